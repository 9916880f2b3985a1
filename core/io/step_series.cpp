#include "step_series.hpp"

#include <stdexcept>
#include <string>

namespace cs {

namespace {

bool power_of_two(std::uint64_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

} // namespace

StepSeries::StepSeries(std::vector<float> per_step) : m_points(std::move(per_step))
{
    if (!m_points.empty()) m_last_mean = m_points.back();
    while (m_points.size() > m_max_points) halve();
}

StepSeries::StepSeries(std::vector<float> points, std::uint64_t steps_per_point, std::uint64_t steps)
    : m_points(std::move(points)), m_steps_per_point(steps_per_point)
{
    if (!power_of_two(steps_per_point) || steps_per_point > max_steps_per_point)
        throw std::invalid_argument("a history point must hold a power of two steps from 1 to 2^40, not " +
                                    std::to_string(steps_per_point));
    // points = ceil(steps / s), written so that it cannot overflow.
    const std::uint64_t needed = steps / steps_per_point + (steps % steps_per_point != 0);
    if (needed != m_points.size())
        throw std::invalid_argument(std::to_string(steps) + " steps at " + std::to_string(steps_per_point) +
                                    " a point are " + std::to_string(needed) + " points, not " +
                                    std::to_string(m_points.size()));
    const std::uint64_t rest = steps % steps_per_point;
    m_last_point_steps = rest ? rest : steps_per_point;
    if (!m_points.empty()) m_last_mean = m_points.back();
    while (m_points.size() > m_max_points) halve();
}

std::uint64_t StepSeries::steps() const
{
    return m_points.empty() ? 0 : std::uint64_t(m_points.size() - 1) * m_steps_per_point + m_last_point_steps;
}

std::size_t StepSeries::point_of_step(std::uint64_t step) const
{
    return step >= steps() ? m_points.size() : std::size_t(step / m_steps_per_point);
}

std::uint64_t StepSeries::steps_in(std::size_t point) const
{
    return point + 1 == m_points.size() ? m_last_point_steps : m_steps_per_point;
}

void StepSeries::push_back(float value)
{
    if (!m_points.empty() && m_last_point_steps < m_steps_per_point) {
        // The last point's running mean, kept in double: rounded to float at
        // every step it would drift over thousands of steps.
        const double k = double(m_last_point_steps);
        m_last_mean = (m_last_mean * k + double(value)) / (k + 1);
        m_points.back() = float(m_last_mean);
        ++m_last_point_steps;
        return;
    }
    if (m_points.size() == m_max_points) halve(); // the last point is full: so are all pairs
    if (m_last_point_steps < m_steps_per_point) { // halving left a part-filled point
        push_back(value);
        return;
    }
    m_points.push_back(value);
    m_last_mean = value;
    m_last_point_steps = 1;
}

void StepSeries::clear()
{
    m_points.clear();
    m_last_mean = 0;
    m_steps_per_point = 1;
    m_last_point_steps = 1;
}

void StepSeries::set_max_points(std::size_t max_points)
{
    if (max_points < 2 || !power_of_two(max_points))
        throw std::invalid_argument("a step series needs a power of two points from 2 up, not " +
                                    std::to_string(max_points));
    m_max_points = max_points;
    while (m_points.size() > m_max_points) halve();
}

void StepSeries::halve()
{
    if (m_points.empty()) return;
    const std::size_t n = m_points.size();
    const double s = double(m_steps_per_point), last = double(m_last_point_steps);
    std::uint64_t new_last = 0;
    for (std::size_t j = 0; 2 * j < n; ++j) {
        const std::size_t a = 2 * j, b = a + 1;
        if (b >= n) { // an odd last point stands alone
            m_points[j] = m_points[a];
            new_last = m_last_point_steps;
        } else {
            const double wb = b + 1 == n ? last : s;
            m_points[j] = float((double(m_points[a]) * s + double(m_points[b]) * wb) / (s + wb));
            new_last = m_steps_per_point + std::uint64_t(wb);
        }
    }
    m_points.resize((n + 1) / 2);
    m_steps_per_point *= 2;
    m_last_point_steps = new_last;
    m_last_mean = m_points.back();
}

} // namespace cs
