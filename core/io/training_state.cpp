#include "training_state.hpp"

namespace cs {

TrainingState capture_training_state(const Trainer<float>& trainer, Optimizer<float>& optimizer, std::string dataset,
                                     bool with_optimizer_state)
{
    TrainingState state;
    capture_optimizer(optimizer, state);
    if (!with_optimizer_state) {
        state.optimizer_iterations = 0;
        state.optimizer_state.clear();
    }
    const TrainerOptions& options = trainer.options();
    state.batch_size = options.batch_size;
    state.seed = options.seed;
    state.shuffle = options.shuffle;
    state.steps = trainer.step_count();
    state.epoch = trainer.epoch();
    state.position = trainer.position();
    state.dataset = std::move(dataset);
    return state;
}

} // namespace cs
