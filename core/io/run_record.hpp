// Training runs: every Reset (or a new model) starts one, and the runs that
// came before stay for comparison. A session keeps them (model_file.hpp):
//
//   runs/index                uint8 (n,)     UTF-8 JSON text:
//       {"current": {"name": "Run 3", "started_at": "2026-11-27T17:00:54Z", "seconds": 12.5},
//        "runs": [{"name": "Run 1", "started_at": "...", "seconds": 40.2,
//                  "architecture": "<Keras model.to_json() text>",
//                  "optimizer": "adam", "learning_rate": 0.001, "batch_size": 32, "seed": 0,
//                  "dataset": "digits", "steps": 1200,
//                  "train_accuracy": 0.93, "test_accuracy": 0.91}, ...]}
//                                            (accuracies null when the run had no evaluation)
//   runs/<i>/loss, /accuracy  float32 (n,)   run i's per-step history (absent when it has none),
//                                            with /resolution past 2^18 steps (training_history.hpp)
//   runs/<i>/evaluations      float64 (e, 6) its test evaluations, as history/evaluations
//
// "current" names the run the session's own model and history continue.
// Reading checks everything against the limits below before it allocates,
// and any problem is a FormatError naming the file and the member.
#pragma once

#include "npy.hpp"
#include "training_history.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cs {

// What a session may hold: far more runs than anyone compares, each
// described in a few kB (its architecture is most of it).
inline constexpr std::size_t runs_max_count = 1000;
inline constexpr std::size_t runs_max_index_bytes = std::size_t(16) << 20;
inline constexpr std::size_t runs_max_text_bytes = 4096; // a name, a dataset, a time stamp...
// A run's architecture text: as much as a model file's own (model_max_architecture_bytes).
inline constexpr std::size_t runs_max_architecture_bytes = std::size_t(1) << 20;

// One finished run: what it trained, how, how far, how well, and its curves.
struct RunRecord {
    std::string name;
    std::string started_at;  // ISO 8601, UTC ("2026-11-27T17:00:54Z"); may be empty
    double seconds = 0;      // time spent training it (not the time it sat paused)
    std::string architecture; // Keras' model.to_json() text
    std::string optimizer = "adam";
    double learning_rate = 0.001; // the settings in force at its end
    std::size_t batch_size = 32;
    std::uint64_t seed = 0;
    std::string dataset; // what it trained on ("digits", a path...)
    std::uint64_t steps = 0;
    // From its last test evaluation: the mini-batches' accuracy since the
    // one before, and the test subset's. NaN when it had none.
    double train_accuracy = NAN, test_accuracy = NAN;
    TrainingHistory history;
};

// The runs a session keeps: the current one's name and time (its model and
// history are the session's own), and the earlier ones.
struct SessionRuns {
    std::string current_name;
    std::string current_started_at;
    double current_seconds = 0;
    std::vector<RunRecord> earlier;
};

// The members above, for write_npz.
std::vector<std::pair<std::string, NpyArray>> session_runs_members(const SessionRuns& runs);

// Reads them back. `find` gives a member by name (nullptr when the file has
// none); `path` names the file in messages. Call only when runs/index is there.
SessionRuns read_session_runs(const std::function<const NpyArray*(const std::string&)>& find,
                              const std::string& path);

// For read_npz's filter: refuses, from its header, a runs/index longer than
// runs_max_index_bytes or not text.
void check_runs_index_header(const std::string& key, const NpyArray& header);

} // namespace cs
