// Model files: architecture, weights, optimizer state and training history.
//
// A model file is a NumPy .npz (so `numpy.load` opens it) holding
//   format_version           int64 (1,)  files from a newer version are refused
//   input_shape              int64 (3,)  (h, w, c)
//   architecture             uint8       JSON text: one object per layer
//   <layer>/kernel, /bias    float32     Keras shapes and names (conv2d/kernel...)
//   optimizer/<i>            float32     the optimizer's moments
//   state                    uint8       JSON text: optimizer, learning rate,
//                                        batch, seed, step/epoch/position
//   history/loss, /accuracy  float32     per step
//   history/evaluations      float64 (n, 6) step, epoch, train loss/acc, test loss/acc
// Writes go to a temporary file renamed over the target: a crash never
// leaves half a file.
//
// Reading trusts nothing before it has been checked against what the file
// holds: the architecture is measured (overflow-checked) without allocating,
// refused beyond the limits below, and every `<layer>/kernel` and `/bias` it
// needs must be in the file with the right shape; only then is the model
// allocated. Running out of memory is a FormatError naming the file.
#pragma once

#include "optimizer.hpp"
#include "sequential.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace cs {

inline constexpr std::int64_t model_format_version = 1;

// What a model file may ask for. LeNet-5 has 61,706 parameters and about
// 10^4 activations per 28x28 digit: these are three to five orders of
// magnitude beyond any model this app trains, and still allocatable.
inline constexpr std::size_t model_max_layers = 1000;
inline constexpr std::size_t model_max_parameters = 100'000'000;
// Per sample: the input, every layer's output and im2col patches
// (Sequential::activations_per_sample).
inline constexpr std::size_t model_max_activations = 1'000'000'000;

struct EpochRecord {
    std::uint64_t step = 0;
    std::size_t epoch = 0;
    double train_loss = 0, train_accuracy = 0;
    double test_loss = 0, test_accuracy = 0;
};

struct TrainingHistory {
    std::vector<float> loss, accuracy; // one per step, that step's mini-batch
    std::vector<EpochRecord> evaluations;
};

// Where training stands and with what settings: enough to resume exactly.
struct TrainingState {
    std::string optimizer = "adam";
    double learning_rate = 0.001;
    std::size_t batch_size = 32;
    std::uint64_t seed = 0;
    bool shuffle = true;
    std::uint64_t steps = 0;
    std::size_t epoch = 0, position = 0;
    std::string dataset; // what it was trained on ("digits", a path...)
    std::uint64_t optimizer_iterations = 0;
    std::vector<arma::Col<float>> optimizer_state;
};

struct ModelFile {
    std::unique_ptr<Sequential<float>> model;
    TrainingState state;
    TrainingHistory history;
};

void save_model(const std::string& path, const Sequential<float>& model, const TrainingState& state = {},
                const TrainingHistory& history = {});
// FormatError naming the file and the problem for anything unreadable.
ModelFile load_model(const std::string& path);
// A model file's image held in memory (the shipped model); `name` is used in messages.
ModelFile load_model_bytes(std::span<const std::byte> bytes, const std::string& name);

// Copies an optimizer's settings and memory into `state`, and back.
void capture_optimizer(Optimizer<float>& optimizer, TrainingState& state);
std::unique_ptr<Optimizer<float>> restore_optimizer(const TrainingState& state, std::size_t parameters);

// Weights only, Keras' names and shapes (conv2d/kernel (5,5,1,6), ...).
void export_weights_npz(const std::string& path, const Sequential<float>& model);
// ShapeError/FormatError when a name is missing or a shape differs.
void import_weights_npz(const std::string& path, Sequential<float>& model);

} // namespace cs
