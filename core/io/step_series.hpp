// StepSeries: a value for every training step (a mini-batch's loss, its
// accuracy), kept in memory that stops growing.
//
// While a run is short every step is a point of its own. When the points
// would pass `max_points`, each two neighbours become their mean and a point
// stands for twice as many steps: 1, 2, 4, ... steps a point. A window that
// trains flat out for 30 minutes takes 1.7 million steps; kept whole, the
// curves' and the history's copies grew the process by 50 MB, and a day's run
// would have grown it by 2 GB. With 2^18 points a series never takes more than
// 1 MB, still four points for every pixel of a wide chart.
//
// Points:   points()[i] is the mean of steps [i * s, i * s + s) (0-based),
//           s = steps_per_point(); the last point may hold fewer steps
//           (last_point_steps(), 1 to s) and takes its mean as they come.
// NaN:      a step without a value (or a loss that overflowed) makes its
//           point NaN: a gap in a curve, never a made-up value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace cs {

class StepSeries {
public:
    // 2^18: see above. Tests set a smaller one (at least 2).
    static constexpr std::size_t default_max_points = std::size_t(1) << 18;
    // The coarsest resolution a file may claim: 2^40 steps a point.
    static constexpr std::uint64_t max_steps_per_point = std::uint64_t(1) << 40;

    StepSeries() = default;
    // One point per step.
    StepSeries(std::initializer_list<float> per_step) : StepSeries(std::vector<float>(per_step)) {}
    explicit StepSeries(std::vector<float> per_step);
    // Points as kept at a coarser resolution (read from a file): `steps` steps
    // in all, `steps_per_point` a power of two. Throws std::invalid_argument
    // when they do not fit together (the points are not ceil(steps / s)).
    StepSeries(std::vector<float> points, std::uint64_t steps_per_point, std::uint64_t steps);

    // Appends one step's value.
    void push_back(float value);
    void clear();
    // Makes `max_points` (a power of two, at least 2) the limit, halving the
    // resolution now if the series holds more.
    void set_max_points(std::size_t max_points);
    std::size_t max_points() const { return m_max_points; }

    bool empty() const { return m_points.empty(); }
    std::size_t size() const { return m_points.size(); } // points, not steps
    float operator[](std::size_t point) const { return m_points[point]; }
    float back() const { return m_points.back(); }
    const std::vector<float>& points() const { return m_points; }

    std::uint64_t steps() const;
    std::uint64_t steps_per_point() const { return m_steps_per_point; }
    std::uint64_t last_point_steps() const { return m_points.empty() ? 0 : m_last_point_steps; }
    // The point holding 0-based step `step` (size() past the end).
    std::size_t point_of_step(std::uint64_t step) const;
    // The 0-based first step of point `point`, and how many steps it holds.
    std::uint64_t first_step(std::size_t point) const { return std::uint64_t(point) * m_steps_per_point; }
    std::uint64_t steps_in(std::size_t point) const;

    // Two neighbouring points become their mean (weighted by their steps),
    // and a point holds twice as many steps (nothing happens when empty).
    void halve();

    // The same points for the same steps (the point limit aside).
    bool operator==(const StepSeries& other) const
    {
        return m_points == other.m_points && m_steps_per_point == other.m_steps_per_point &&
               last_point_steps() == other.last_point_steps();
    }

private:
    std::vector<float> m_points;
    std::uint64_t m_steps_per_point = 1;
    std::uint64_t m_last_point_steps = 1;
    double m_last_mean = 0; // the last point's mean before rounding to float
    std::size_t m_max_points = default_max_points;
};

} // namespace cs
