// The per-step training log as CSV: what `convscope-cli train --log` writes
// while it trains and what the window's File > Export > Loss History as CSV
// writes, line for line the same.
//
//   step,epoch,loss,accuracy
//   1,1,2.30211544,0.09375
//
//   step      steps done, this one included: 1, 2, ...
//   epoch     the epoch the step belongs to, counted from 1 as Keras prints
//             "Epoch 1/10" (the Trainer counts from 0; the conversion is here)
//   loss      the mini-batch's mean cross-entropy, before its update
//   accuracy  the fraction of the mini-batch classified right, before its update
// Numbers have 9 significant digits, enough to give back every float exactly.
//
// Layer: io (core/io once core is split into folders).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace cs {

inline constexpr std::string_view step_log_header = "step,epoch,loss,accuracy\n";

// One line of the log, '\n' included. `epoch_index` counts from 0, as
// StepResult::epoch and Trainer::epoch() do.
std::string step_log_line(std::uint64_t step, std::size_t epoch_index, float loss, float accuracy);

} // namespace cs
