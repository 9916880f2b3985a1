// A trainer and its optimizer captured into the TrainingState a model file
// stores (model_file.hpp): the counters that resume the epoch exactly, the
// options the trainer runs with, the optimizer's name and learning rate,
// and, for a session, the optimizer's moments.
#pragma once

#include "model_file.hpp"
#include "optimizer.hpp"
#include "trainer.hpp"

#include <string>

namespace cs {

// dataset: what the model is trained on ("digits", a path), as the file says it.
TrainingState capture_training_state(const Trainer<float>& trainer, Optimizer<float>& optimizer, std::string dataset,
                                     bool with_optimizer_state = true);

} // namespace cs
