#include "parameter_timeline.hpp"

#include "errors.hpp"
#include "stream_copy.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace cs {

namespace {

// Spare buffers kept for reuse: a record drops at most a few snapshots.
constexpr std::size_t max_spares = 4;

std::size_t snapshot_bytes(std::size_t parameters) { return parameters * sizeof(float); }

} // namespace

ParameterTimeline::ParameterTimeline(std::size_t parameter_count, std::size_t budget_bytes, std::uint64_t dense_steps)
    : parameter_count_(parameter_count), budget_(budget_bytes), dense_(std::max<std::uint64_t>(dense_steps, 1))
{
    if (parameter_count == 0) throw ShapeError("a parameter timeline needs a model with parameters");
    if (parameter_count > std::numeric_limits<std::size_t>::max() / sizeof(float) / 2)
        throw ShapeError("a parameter timeline of " + std::to_string(parameter_count) + " parameters is too large");
    if (budget_bytes < 2 * snapshot_bytes(parameter_count))
        throw ShapeError("a timeline budget of " + std::to_string(budget_bytes) + " bytes holds less than two steps of " +
                         std::to_string(snapshot_bytes(parameter_count)) + " bytes");
}

bool ParameterTimeline::keeps(std::uint64_t step, std::uint64_t age, std::uint64_t dense_steps)
{
    if (age < dense_steps) return true;
    std::uint64_t spacing = 10, bound = dense_steps;
    // bound = 10^t R, spacing = 10^t: find the tier whose bound exceeds the age.
    while (true) {
        if (bound > std::numeric_limits<std::uint64_t>::max() / 10) break;
        bound *= 10;
        if (age < bound) break;
        if (spacing > std::numeric_limits<std::uint64_t>::max() / 10) break;
        spacing *= 10;
    }
    return step % spacing == 0;
}

std::shared_ptr<arma::Col<float>> ParameterTimeline::spare_buffer()
{
    if (!spares_.empty()) {
        auto buffer = std::move(spares_.back());
        spares_.pop_back();
        return buffer;
    }
    return nullptr;
}

void ParameterTimeline::drop(std::size_t index)
{
    auto values = std::move(kept_[index].values);
    kept_.erase(kept_.begin() + std::ptrdiff_t(index));
    // No reader holds it (copies are made under the mutex), so it is ours to write again.
    if (values.use_count() == 1 && spares_.size() < max_spares) spares_.push_back(std::move(values));
}

void ParameterTimeline::thin(std::uint64_t now)
{
    const std::size_t cap = std::max<std::size_t>(2, budget_ / snapshot_bytes(parameter_count_));
    while (true) {
        // Keep the first and the newest; the rest by the rule. One pass, from the end
        // (erasing from a vector of a few thousand pointers is cheap).
        for (std::size_t i = kept_.size(); i-- > 1;) {
            const std::uint64_t step = kept_[i].step;
            if (step != now && !keeps(step, now - step, dense_)) drop(i);
        }
        if (kept_.size() <= cap || dense_ == 1) break;
        dense_ = std::max<std::uint64_t>(1, dense_ / 2);
    }
    while (kept_.size() > cap) drop(1);
}

void ParameterTimeline::record(std::uint64_t step, const arma::Col<float>& params)
{
    if (params.n_elem != parameter_count_)
        throw ShapeError("a timeline of " + std::to_string(parameter_count_) + " parameters was given " +
                         std::to_string(params.n_elem));
    copy_streaming(params.memptr(), next_buffer(), parameter_count_);
    keep_next(step);
}

float* ParameterTimeline::next_buffer()
{
    if (!next_) {
        {
            const std::lock_guard lock(mutex_);
            next_ = spare_buffer();
        }
        if (!next_) next_ = std::make_shared<arma::Col<float>>(parameter_count_, arma::fill::none);
    }
    return next_->memptr();
}

void ParameterTimeline::keep_next(std::uint64_t step)
{
    if (!next_) throw std::logic_error("ParameterTimeline::keep_next before next_buffer");
    const std::lock_guard lock(mutex_);
    while (!kept_.empty() && kept_.back().step >= step) drop(kept_.size() - 1);
    kept_.push_back({step, std::move(next_)});
    thin(step);
    ++revision_;
}

std::vector<std::uint64_t> ParameterTimeline::steps() const
{
    const std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> out;
    out.reserve(kept_.size());
    for (const Kept& k : kept_) out.push_back(k.step);
    return out;
}

ParameterTimeline::Parameters ParameterTimeline::at(std::uint64_t step) const
{
    const std::lock_guard lock(mutex_);
    const auto it = std::lower_bound(kept_.begin(), kept_.end(), step,
                                     [](const Kept& k, std::uint64_t s) { return k.step < s; });
    if (it == kept_.end() || it->step != step) return nullptr;
    return it->values;
}

std::optional<std::uint64_t> ParameterTimeline::kept_at_or_before(std::uint64_t step) const
{
    const std::lock_guard lock(mutex_);
    const auto it = std::upper_bound(kept_.begin(), kept_.end(), step,
                                     [](std::uint64_t s, const Kept& k) { return s < k.step; });
    if (it == kept_.begin()) return std::nullopt;
    return std::prev(it)->step;
}

bool ParameterTimeline::empty() const
{
    const std::lock_guard lock(mutex_);
    return kept_.empty();
}

std::size_t ParameterTimeline::size() const
{
    const std::lock_guard lock(mutex_);
    return kept_.size();
}

std::optional<std::uint64_t> ParameterTimeline::first_step() const
{
    const std::lock_guard lock(mutex_);
    if (kept_.empty()) return std::nullopt;
    return kept_.front().step;
}

std::optional<std::uint64_t> ParameterTimeline::last_step() const
{
    const std::lock_guard lock(mutex_);
    if (kept_.empty()) return std::nullopt;
    return kept_.back().step;
}

std::size_t ParameterTimeline::bytes() const
{
    const std::lock_guard lock(mutex_);
    return kept_.size() * snapshot_bytes(parameter_count_);
}

std::size_t ParameterTimeline::budget_bytes() const
{
    const std::lock_guard lock(mutex_);
    return budget_;
}

void ParameterTimeline::set_budget_bytes(std::size_t budget)
{
    if (budget < 2 * snapshot_bytes(parameter_count_))
        throw ShapeError("a timeline budget of " + std::to_string(budget) + " bytes holds less than two steps of " +
                         std::to_string(snapshot_bytes(parameter_count_)) + " bytes");
    const std::lock_guard lock(mutex_);
    budget_ = budget;
    if (!kept_.empty()) thin(kept_.back().step);
    ++revision_;
}

std::uint64_t ParameterTimeline::dense_steps() const
{
    const std::lock_guard lock(mutex_);
    return dense_;
}

std::size_t ParameterTimeline::capacity() const
{
    const std::lock_guard lock(mutex_);
    return std::max<std::size_t>(2, budget_ / snapshot_bytes(parameter_count_));
}

std::uint64_t ParameterTimeline::revision() const
{
    const std::lock_guard lock(mutex_);
    return revision_;
}

void ParameterTimeline::clear()
{
    const std::lock_guard lock(mutex_);
    kept_.clear();
    spares_.clear();
    ++revision_;
}

} // namespace cs
