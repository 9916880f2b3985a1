// Model files: architecture, weights, optimizer state and training history.
//
// A model file is a NumPy .npz (a zip of .npy files, deflated) holding
//   format_version           int64 (1,)     2; files from a newer version are refused
//   architecture             uint8 (n,)     UTF-8 JSON text: Keras' model.to_json() of a
//                                           Sequential model, input shape included
//                                           (architecture_json.hpp says which layers and fields)
//   <layer>/kernel, /bias    float32        Keras' names and shapes: conv2d/kernel (kh, kw, c_prev, filters),
//                                           dense/kernel (n_in, units), biases (units,)
//   optimizer/name           uint8 (n,)     text: "adam" or "sgd"
//   optimizer/state_<i>      float32 (P,)   the optimizer's moments, one per parameter (P of them),
//                                           in the order of Sequential::parameters()
//   training/learning_rate   float64 (1,)
//   training/counters        int64 (7,)     batch size, seed, shuffle (0/1), steps, epoch,
//                                           position in the epoch, optimizer iterations
//   training/dataset         uint8 (n,)     text: what it was trained on ("digits", a path...)
//   history/loss, /accuracy  float32 (n,)   one per step, that step's mini-batch; past 2^18 steps
//                                           the means of 2, 4, ... steps (step_series.hpp)
//   history/resolution       int64 (2,)     when a point holds more than one step: steps per point,
//                                           and steps in all
//   history/evaluations      float64 (e, 6) step, epoch, train loss/accuracy, test loss/accuracy
//   runs/index               uint8 (n,)     sessions only: UTF-8 JSON text naming the current run
//                                           and describing the earlier ones (run_record.hpp)
//   runs/<i>/loss, /accuracy float32 (n,)   earlier run i's per-step history (and /resolution, as above)
//   runs/<i>/evaluations     float64 (e, 6) its test evaluations, as history/evaluations
//   timeline/steps           int64 (n,)     sessions with a timeline (parameter_timeline.hpp):
//                                           the kept steps, ascending
//   timeline/parameters      float32 (n, P) the parameters after each of them, in the order of
//                                           Sequential::parameters() (stored, not deflated)
//   timeline/settings        int64 (2,)     the timeline's memory budget in bytes, and its dense window
// optimizer/state_<i>, history/*, runs/* and timeline/* are there when there is
// something to keep; a reader takes defaults for any member after the
// weights (a file without runs/* has no earlier runs to bring back).
// A student reads it with NumPy alone:
//   z = numpy.load("m.npz"); json.loads(bytes(z["architecture"])); z["conv2d/kernel"]
//
// Format 1 (ConvScope 0.2 and before) is still read: its `architecture` is
// int64 (layers, 8), a row per layer (kind, units, kh, kw, sh, sw, padding,
// activation as integers), and the input shape is a member `input_shape`
// int64 (3,) (h, w, c).
//
// Writes are whole or nothing (atomic_file.hpp): a crash or a full disk
// never leaves half a file, nor harms the one that was there.
//
// Reading trusts nothing before it has been checked against what the file
// holds: an architecture text over model_max_architecture_bytes is refused
// from its header, before it is read; the architecture is measured
// (overflow-checked) without allocating, refused beyond the limits below,
// and every `<layer>/kernel` and `/bias` it needs must be in the file with
// the right shape; only then is the model allocated. Every problem,
// running out of memory included, is a FormatError naming the file (and
// the layer, for the architecture).
#pragma once

#include "architecture.hpp"
#include "optimizer.hpp"
#include "parameter_timeline.hpp"
#include "run_record.hpp"
#include "sequential.hpp"
#include "training_history.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cs {

inline constexpr std::int64_t model_format_version = 2;

// What a model file may ask for. LeNet-5 has 61,706 parameters and about
// 10^4 activations per 28x28 digit: these are three to five orders of
// magnitude beyond any model this app trains, and still allocatable.
inline constexpr std::size_t model_max_layers = 1000;
// The architecture's JSON text: Keras writes well under 1 kB a layer.
inline constexpr std::size_t model_max_architecture_bytes = std::size_t(1) << 20;
inline constexpr std::size_t model_max_parameters = 100'000'000;
// Per sample: the input, every layer's output and im2col patches
// (Sequential::activations_per_sample).
inline constexpr std::size_t model_max_activations = 1'000'000'000;

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
    std::optional<SessionRuns> runs; // when the file has runs/index
    // The parameters at past steps, when the file has timeline/*.
    std::shared_ptr<ParameterTimeline> timeline;
    // Who wrote it, when not ConvScope: "Keras 2.3.1 (.h5)", "Keras 3.3.3
    // (.keras)" (keras_file.hpp). A model from elsewhere does not say which
    // pixels it was trained on (pixel_reading.hpp finds out).
    std::string origin;
};

// runs: a session's runs (runs/*), or none; timeline: the parameters at past
// steps (timeline/*), or none.
void save_model(const std::string& path, const Sequential<float>& model, const TrainingState& state = {},
                const TrainingHistory& history = {}, const SessionRuns* runs = nullptr,
                const ParameterTimeline* timeline = nullptr);
// FormatError naming the file and the problem for anything unreadable.
ModelFile load_model(const std::string& path);
// A model file's image held in memory (the shipped model); `name` is used in messages.
ModelFile load_model_bytes(std::span<const std::byte> bytes, const std::string& name);

// The architecture as a model not yet allocated (shapes and sizes only;
// Sequential::allocate() makes its parameters), refused with a FormatError
// naming `path` when it does not fit together or asks for more than the
// limits above. Every reader of a model builds it so, then checks the
// weights the file holds against it, then allocates.
std::unique_ptr<Sequential<float>> plan_model(const Architecture& architecture, const std::string& path);

// The model's architecture as a model file stores it: Keras' model.to_json() text.
std::string architecture_text(const Sequential<float>& model);

// Copies an optimizer's settings and memory into `state`, and back.
void capture_optimizer(Optimizer<float>& optimizer, TrainingState& state);
std::unique_ptr<Optimizer<float>> restore_optimizer(const TrainingState& state, std::size_t parameters);

// Weights only, Keras' names and shapes (conv2d/kernel (5,5,1,6), ...).
void export_weights_npz(const std::string& path, const Sequential<float>& model);
// ShapeError/FormatError when a name is missing or a shape differs.
void import_weights_npz(const std::string& path, Sequential<float>& model);

} // namespace cs
