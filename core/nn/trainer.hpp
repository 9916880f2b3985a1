// Trainer: one mini-batch at a time, the unit the whole app steps through.
//
// step() = gather the next mini-batch, forward (dropout on, its masks drawn
// from the seed and the step), softmax cross-entropy, backward, one
// optimizer update; it returns that batch's loss and accuracy
// (before the update). Epochs visit the training set in an order shuffled
// from (seed, epoch), so a run is reproducible and can be resumed from its
// counters alone.
//
// Threads. A mini-batch of n samples is cut into shards of about
// trainer_shard_samples (16) samples: (n + 15) / 16 shards, their sizes
// differing by at most one. Each shard runs forward, loss and backward in a
// workspace of its own (workspace.hpp) on whichever of the trainer's threads
// is free; then the shards' gradients are added in shard order. The cut
// depends on n alone, so a seed gives the same run, bit for bit, with any
// number of threads. Threads share no GEMM (each shard's are small): give
// OpenBLAS one thread (set_blas_threads) when the trainer has several. A
// thread reuses its workspace for each shard it runs (so that a large batch
// costs no more memory than a shard per thread, and stays in cache), and
// keeps each shard's gradient apart until the sum.
//
// The workspaces are the trainer's own, which nothing else runs through:
// once warm, a step allocates nothing (except when the batch grows, e.g.
// after the batch size is raised), and a forward pass elsewhere (a
// snapshot, an evaluation) cannot disturb it.
#pragma once

#include "loss.hpp"
#include "optimizer.hpp"
#include "sequential.hpp"
#include "worker_team.hpp"

#include <cstdint>
#include <memory>
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

// A shard's size: big enough that its GEMMs run near full speed, small
// enough that a batch of 32 gives two threads a shard each.
inline constexpr std::size_t trainer_shard_samples = 16;

struct TrainerOptions {
    std::size_t batch_size = 32;
    std::uint64_t seed = 0;
    bool shuffle = true;
    std::size_t threads = 1; // the caller's included
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

    // parameters_to: if given, the parameters after the update are also
    // written there (parameter_count() values, streaming stores), in the
    // update's own pass: a caller that keeps every step's parameters (the
    // window's timeline: ParameterTimeline::next_buffer) needs no pass of
    // its own. Left as it was if the step throws.
    StepResult step(T* parameters_to = nullptr);

    std::uint64_t step_count() const { return steps_; }
    std::size_t epoch() const { return epoch_; }
    // Samples of the current epoch already used.
    std::size_t position() const { return position_; }
    std::size_t samples() const { return labels_->size(); }
    std::size_t steps_per_epoch() const { return (samples() + options_.batch_size - 1) / options_.batch_size; }
    const TrainerOptions& options() const { return options_; }

    // Applies from the next step. ShapeError for 0.
    void set_batch_size(std::size_t batch);
    // The threads that run the shards (at least 1); the results do not
    // depend on it.
    void set_threads(std::size_t threads);
    std::size_t threads() const { return team_->threads(); }
    // While resting, the helper threads sleep and every step runs on the
    // calling thread (WorkerTeam::rest): the same results, a core left free
    // for a thread that needs it now (the window drawing). rest_helpers()
    // from the training thread between steps; end_helpers_rest() from any
    // thread, even during a step, which then gets the helpers back (but not
    // while set_threads() replaces them).
    void rest_helpers() { team_->rest(); }
    void end_helpers_rest() { team_->end_rest(); }
    bool helpers_resting() const { return team_->resting(); }
    // Resumes at a given point (model files, sessions).
    void set_progress(std::uint64_t steps, std::size_t epoch, std::size_t position);
    // New data (same sample shape as the model's input); restarts the epoch.
    void set_data(const Tensor<T>& images, const std::vector<std::uint8_t>& labels);

    Sequential<T>& model() { return *model_; }
    Optimizer<T>& optimizer() { return *optimizer_; }
    void set_optimizer(Optimizer<T>& optimizer) { optimizer_ = &optimizer; }
    // dL/dparameters of the last step's mini-batch: what its update used.
    const arma::Col<T>& gradients() const { return gradients_; }
    // The shards of the last step and their sizes.
    std::size_t shard_count() const { return shards_in_step_; }
    std::size_t shard_size(std::size_t shard) const { return shards_.at(shard).count; }
    // Thread t's buffers (t < threads()): every layer's outputs and output
    // gradients for the last shard it ran in the last step (not its parameter
    // gradients, which went on to the sum: gradients() has the step's).
    const Workspace<T>& workspace(std::size_t thread = 0) const { return lanes_.at(thread).workspace; }

    // cs::evaluate of the model on the trainer's threads: chunks of `batch`
    // samples, each through its thread's evaluation workspace (apart from
    // the training lanes, which keep what the last step left). The same
    // result as cs::evaluate with the same batch, bit for bit, with any
    // number of threads.
    Evaluation evaluate(const Tensor<T>& images, const std::vector<std::uint8_t>& labels, std::size_t batch = 250);

private:
    // Samples [first, first + count) of the mini-batch: its loss and gradient.
    struct Shard {
        std::size_t first = 0, count = 0;
        LossResult result;
        arma::Col<T> gradients;
    };
    // What a thread reuses from one shard to the next.
    struct Lane {
        Tensor<T> batch, probs, d_logits;
        std::vector<std::uint8_t> labels;
        Workspace<T> workspace;
        std::size_t warm = 0; // the largest shard it has run
    };
    // What a thread reuses from one chunk of an evaluation to the next.
    struct EvaluationLane {
        Tensor<T> chunk, probs, d_logits;
        Workspace<T> workspace;
    };

    void shuffle_epoch();
    void run_shard(Shard& shard, Lane& lane, std::size_t batch, const PassMode& mode);
    // Grows every lane and gradient buffer to what shards of `largest`
    // samples need, before they run (see step()).
    void warm_up(std::size_t count, std::size_t largest, std::size_t batch, const PassMode& mode);

    Sequential<T>* model_;
    Optimizer<T>* optimizer_;
    const Tensor<T>* images_;
    const std::vector<std::uint8_t>* labels_;
    TrainerOptions options_;
    std::unique_ptr<WorkerTeam> team_;
    std::vector<std::size_t> order_;
    std::uint64_t steps_ = 0;
    std::size_t epoch_ = 0, position_ = 0;
    // Grown to the most shards a step has had, never shrunk: warm buffers stay.
    std::vector<Shard> shards_;
    std::vector<Lane> lanes_; // one per thread
    std::vector<EvaluationLane> evaluation_lanes_; // one per thread, made at the first evaluate()
    std::vector<LossResult> evaluation_chunks_;
    std::size_t shards_in_step_ = 0;
    arma::Col<T> gradients_;
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
