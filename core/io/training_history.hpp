// What a training run went through, step by step: the loss and accuracy of
// each step's mini-batch, and the test evaluations taken on the way. Model
// files keep one for the model (history/*) and one per earlier run (runs/*).
#pragma once

#include "npy.hpp"
#include "step_series.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace cs {

struct EpochRecord {
    std::uint64_t step = 0;
    std::size_t epoch = 0;
    double train_loss = 0, train_accuracy = 0;
    double test_loss = 0, test_accuracy = 0;
};

struct TrainingHistory {
    // Each step's mini-batch, at one resolution (means of 2, 4, ... steps
    // once a run is long: step_series.hpp).
    StepSeries loss, accuracy;
    std::vector<EpochRecord> evaluations;

    std::uint64_t steps() const { return loss.steps(); }
    void add_step(float step_loss, float step_accuracy)
    {
        loss.push_back(step_loss);
        accuracy.push_back(step_accuracy);
    }
};

// A history's members in a model file, each named prefix + what:
//   loss, accuracy  float32 (n,)    n points, one per step while a point holds one step
//   resolution      int64 (2,)      steps per point and steps in all, when a point holds more
//   evaluations     float64 (e, 6)  as evaluations_to_npy
// Empty parts are left out. Throws ShapeError when loss and accuracy differ.
void append_history_members(std::vector<std::pair<std::string, NpyArray>>& out, const TrainingHistory& history,
                            const std::string& prefix);
// The same read back through `find` (null for a missing member); FormatError
// naming `path` and the member for anything damaged or inconsistent.
TrainingHistory read_history_members(const std::function<const NpyArray*(const std::string&)>& find,
                                     const std::string& prefix, const std::string& path);

// Evaluations as a float64 (e, 6) array: step, epoch, train loss, train
// accuracy, test loss, test accuracy.
NpyArray evaluations_to_npy(const std::vector<EpochRecord>& evaluations);
// The same read back; FormatError naming `path` and `member` for anything
// but float64 (e, 6) with whole steps and epochs.
std::vector<EpochRecord> evaluations_from_npy(const NpyArray& array, const std::string& path,
                                              const std::string& member);

} // namespace cs
