// What a training run went through, step by step: the loss and accuracy of
// each step's mini-batch, and the test evaluations taken on the way. Model
// files keep one for the model (history/*) and one per earlier run (runs/*).
#pragma once

#include "npy.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cs {

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

// Evaluations as a float64 (e, 6) array: step, epoch, train loss, train
// accuracy, test loss, test accuracy.
NpyArray evaluations_to_npy(const std::vector<EpochRecord>& evaluations);
// The same read back; FormatError naming `path` and `member` for anything
// but float64 (e, 6) with whole steps and epochs.
std::vector<EpochRecord> evaluations_from_npy(const NpyArray& array, const std::string& path,
                                              const std::string& member);

} // namespace cs
