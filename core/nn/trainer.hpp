// Trainer: one mini-batch at a time, the unit the whole app steps through.
//
// step() = gather the next mini-batch, forward (dropout on, its masks drawn
// from the seed and the step), softmax cross-entropy, backward, one
// optimizer update; it returns that batch's loss and accuracy
// (before the update). Epochs visit the training set in an order shuffled
// from (seed, epoch), so a run is reproducible and can be resumed from its
// counters alone. The trainer has a workspace of its own (workspace.hpp),
// which nothing else runs through: once warm, a step allocates nothing
// (except when the batch grows, e.g. after the batch size is raised), and a
// forward pass elsewhere (a snapshot, an evaluation) cannot disturb it.
#pragma once

#include "optimizer.hpp"
#include "sequential.hpp"

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace cs {

// The loss or the gradients stopped being finite: the step was not applied.
class DivergenceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The largest mini-batch the CLI takes and a session file may name
// (LeNet-5 on 28x28 digits needs about 40 kB a sample: 40 GB for a batch
// this size, so it is a bound against nonsense, not a recommendation).
inline constexpr std::size_t trainer_max_batch_size = std::size_t(1) << 20;

struct TrainerOptions {
    std::size_t batch_size = 32;
    std::uint64_t seed = 0;
    bool shuffle = true;
};

struct StepResult {
    double loss = 0;
    double accuracy = 0;    // fraction of the batch classified right
    std::size_t batch = 0;  // samples in this batch
    std::uint64_t step = 0; // steps done, this one included
    std::size_t epoch = 0;  // the epoch this step belonged to (0-based)
    bool epoch_done = false; // this step finished its epoch
};

struct Evaluation {
    double loss = 0;
    double accuracy = 0;
    std::vector<std::uint8_t> predictions;
    std::vector<float> confidence; // probability of the predicted class
    // confusion[true * classes + predicted]
    std::vector<std::size_t> confusion;
    std::size_t classes = 0;
};

template <typename T>
class Trainer {
public:
    // images (n, h, w, c) and labels (n) must outlive the trainer.
    Trainer(Sequential<T>& model, Optimizer<T>& optimizer, const Tensor<T>& images,
            const std::vector<std::uint8_t>& labels, TrainerOptions options = {});

    StepResult step();

    std::uint64_t step_count() const { return steps_; }
    std::size_t epoch() const { return epoch_; }
    // Samples of the current epoch already used.
    std::size_t position() const { return position_; }
    std::size_t samples() const { return labels_->size(); }
    std::size_t steps_per_epoch() const { return (samples() + options_.batch_size - 1) / options_.batch_size; }
    const TrainerOptions& options() const { return options_; }

    // Applies from the next step. ShapeError for 0.
    void set_batch_size(std::size_t batch);
    // Resumes at a given point (model files, sessions).
    void set_progress(std::uint64_t steps, std::size_t epoch, std::size_t position);
    // New data (same sample shape as the model's input); restarts the epoch.
    void set_data(const Tensor<T>& images, const std::vector<std::uint8_t>& labels);

    Sequential<T>& model() { return *model_; }
    Optimizer<T>& optimizer() { return *optimizer_; }
    void set_optimizer(Optimizer<T>& optimizer) { optimizer_ = &optimizer; }
    // The mini-batch of the last step and its labels.
    const Tensor<T>& batch() const { return batch_; }
    // The last step's buffers: every layer's output and output gradient for
    // the mini-batch, and dL/dparameters (what the step's update used).
    const Workspace<T>& workspace() const { return workspace_; }
    const std::vector<std::uint8_t>& batch_labels() const { return batch_labels_; }

private:
    void shuffle_epoch();

    Sequential<T>* model_;
    Optimizer<T>* optimizer_;
    const Tensor<T>* images_;
    const std::vector<std::uint8_t>* labels_;
    TrainerOptions options_;
    std::vector<std::size_t> order_;
    std::uint64_t steps_ = 0;
    std::size_t epoch_ = 0, position_ = 0;
    Tensor<T> batch_, probs_, d_logits_;
    Workspace<T> workspace_;
    std::vector<std::uint8_t> batch_labels_;
};

// Loss, accuracy, predictions and confusion matrix over a whole set, in
// chunks of `batch` through `workspace` (kept warm by a caller that
// evaluates again; the overload without one makes its own).
template <typename T>
Evaluation evaluate(const Sequential<T>& model, const Tensor<T>& images, const std::vector<std::uint8_t>& labels,
                    Workspace<T>& workspace, std::size_t batch = 500);
template <typename T>
Evaluation evaluate(const Sequential<T>& model, const Tensor<T>& images, const std::vector<std::uint8_t>& labels,
                    std::size_t batch = 500);

// Class probabilities (n, classes) for images (n, h, w, c).
template <typename T>
Tensor<T> predict(const Sequential<T>& model, const Tensor<T>& images, Workspace<T>& workspace,
                  std::size_t batch = 500);
template <typename T>
Tensor<T> predict(const Sequential<T>& model, const Tensor<T>& images, std::size_t batch = 500);

// Samples [first, first + count) of a batch tensor, copied into `out`.
template <typename T>
void slice_samples(const Tensor<T>& images, std::size_t first, std::size_t count, Tensor<T>& out);

} // namespace cs
