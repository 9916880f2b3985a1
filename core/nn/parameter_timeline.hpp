// ParameterTimeline: the parameters a training run had at past steps, so
// that any view can be computed again for any of them (issue 16).
//
// Which steps are kept depends on their age a = now - step alone:
//   a < R            every step               (R: the dense window, 500 by default)
//   a < 10 R         every 10th step          (steps that are multiples of 10)
//   a < 100 R        every 100th step
//   ...              every 10^t-th step for a < 10^t R
// plus the first step recorded (the run's start) and the newest. Spacings
// are powers of ten, so a step dropped as it ages is never wanted again:
// thinning only ever removes. With P parameters a snapshot costs 4P bytes;
// when the kept steps would exceed the memory budget, R is halved (down to
// 1), and past that the oldest kept steps after the first are dropped.
// LeNet-5 (61,706 parameters, 247 kB a step) fits about 1,000 steps in the
// default 256 MB: the last 500 steps, every 10th of the 4,500 before them,
// and so on.
//
// Threads: the trainer's thread records, any thread reads; every member
// function locks an internal mutex for as long as it takes to copy a few
// pointers (record copies the parameters before it locks; next_buffer and
// keep_next are the recording thread's). A snapshot handed
// out (at()) is immutable and shared: a later record never writes it.
// Once warm, record() allocates nothing: dropped snapshots that no reader
// holds are recycled.
#pragma once

#include <armadillo>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace cs {

class ParameterTimeline {
public:
    using Parameters = std::shared_ptr<const arma::Col<float>>;

    static constexpr std::size_t default_budget_bytes = std::size_t(256) << 20;
    static constexpr std::uint64_t default_dense_steps = 500;

    // parameter_count: the model's (every snapshot has that many values).
    // ShapeError for 0 parameters.
    explicit ParameterTimeline(std::size_t parameter_count, std::size_t budget_bytes = default_budget_bytes,
                               std::uint64_t dense_steps = default_dense_steps);
    ParameterTimeline(const ParameterTimeline&) = delete;
    ParameterTimeline& operator=(const ParameterTimeline&) = delete;

    // The parameters after `step` steps (0: the initial weights). A step at
    // or before the newest kept one starts the timeline again from there
    // (the steps after it are dropped: they belong to another future).
    // ShapeError if params has the wrong size.
    void record(std::uint64_t step, const arma::Col<float>& params);

    // record() in two halves, for a caller that writes the parameters as it
    // makes them (Trainer::step(to) writes them in its update, with
    // streaming stores): next_buffer() is where the next record's
    // parameter_count() values go, the same buffer until keep_next(step)
    // keeps what was written there as `step`, by record's rules.
    float* next_buffer();
    void keep_next(std::uint64_t step);

    // The kept steps, ascending.
    std::vector<std::uint64_t> steps() const;
    // The parameters after `step` steps, or nullptr unless that step is kept.
    Parameters at(std::uint64_t step) const;
    // The newest kept step at or before `step`, if any.
    std::optional<std::uint64_t> kept_at_or_before(std::uint64_t step) const;
    bool empty() const;
    std::size_t size() const;
    std::optional<std::uint64_t> first_step() const;
    std::optional<std::uint64_t> last_step() const;

    std::size_t parameter_count() const { return parameter_count_; }
    // Bytes the kept snapshots take (4 P each).
    std::size_t bytes() const;
    std::size_t budget_bytes() const;
    // Thins at once to fit. ShapeError for a budget below two snapshots.
    void set_budget_bytes(std::size_t budget);
    // R now (halved as the budget demands).
    std::uint64_t dense_steps() const;
    // Steps the budget holds: max(2, budget / (4 P)).
    std::size_t capacity() const;
    // Counts every change (a record, a thinning, clear): a reader that saw
    // the same revision has nothing new to read.
    std::uint64_t revision() const;

    void clear();

    // Whether a step of age `age` is kept with dense window R (the rule
    // above, without the first and the newest).
    static bool keeps(std::uint64_t step, std::uint64_t age, std::uint64_t dense_steps);

private:
    struct Kept {
        std::uint64_t step;
        std::shared_ptr<arma::Col<float>> values;
    };
    std::shared_ptr<arma::Col<float>> spare_buffer();
    void thin(std::uint64_t now);
    void drop(std::size_t index);

    mutable std::mutex mutex_;
    std::size_t parameter_count_;
    std::size_t budget_;
    std::uint64_t dense_;
    std::uint64_t revision_ = 0;
    std::vector<Kept> kept_;
    // Dropped snapshots no reader held, to be written again (a few).
    std::vector<std::shared_ptr<arma::Col<float>>> spares_;
    std::shared_ptr<arma::Col<float>> next_; // next_buffer()'s, not yet kept
};

} // namespace cs
