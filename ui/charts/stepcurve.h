// StepCurve: one value per training step (a loss, an accuracy, their
// moving averages), with what a chart's redraw needs, in memory and at a
// cost that stop growing with the run. A 30-minute run on two cores is two
// million steps: a redraw that scanned them all (4 curves, their bounds and
// the loss's median, 7 times a second) took the window's thread longer
// every minute (the soak's event-loop p99 rose from 5 to 13 ms in 5 minutes).
//
// Kept as values arrive:
//   - the values themselves in a cs::StepSeries: one point per step, and
//     past 2^18 steps the means of 2, 4, ... steps, so that memory stops
//     growing (a 30-minute soak grew the window by 50 MB when kept whole);
//   - the finite minimum and maximum of the steps;
//   - for every block of steps (256, doubled whenever there are 2^14 blocks),
//     its lowest and highest finite value and the sum of its finite values,
//     so that a min and a max, or a mean, per pixel column are read from
//     blocks once the run is long, and a spike that the means would dilute
//     still shows;
//   - a histogram of the finite values by their leading 12 bits (sign,
//     exponent, 3 bits of mantissa: bins 12.5% wide at most), for a median
//     good to that much.
// NaN marks a step with no value (a gap).
#pragma once

#include "step_series.hpp"

#include <QList>
#include <QPointF>

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

class StepCurve {
public:
    static constexpr std::uint64_t firstBlockSteps = 256;
    static constexpr std::size_t maxBlocks = std::size_t(1) << 14;

    void clear();
    void push_back(float value);
    // Pads with NaN (steps without a value) up to n steps; never shrinks.
    void padTo(std::uint64_t steps);
    // Replaces the curve by `series` (a history read from a file, perhaps
    // already in means of several steps).
    void assign(const cs::StepSeries& series);

    // Points (steps while the run is short): see cs::StepSeries.
    std::size_t size() const { return m_series.size(); }
    bool empty() const { return m_series.empty(); }
    float operator[](std::size_t point) const { return m_series[point]; }
    const cs::StepSeries& series() const { return m_series; }
    std::uint64_t steps() const { return m_series.steps(); }
    // Where a point is drawn: the middle of its steps (0-based).
    double centre(std::size_t point) const
    {
        return double(m_series.first_step(point)) + double(m_series.steps_in(point) - 1) / 2;
    }

    // The lowest and highest finite value ((inf, -inf) when none is).
    std::pair<double, double> bounds() const { return {m_lo, m_hi}; }
    // The finite values counted so far.
    std::size_t finiteCount() const { return m_finite; }
    // The median of the finite values, to within its histogram bin (NaN
    // when none is finite).
    double approximateMedian() const;

    // Every finite point, x = firstX + its centre: a curve while a run is
    // short (no more points than the plot has pixels).
    QList<QPointF> everyPoint(quint64 firstX) const;
    // For each of `runs` runs of steps (a pixel column each), its lowest and
    // its highest finite value, at the middle of its steps: the band a long
    // run's per-step values fill, spikes included. Runs with no finite value
    // are left out. A line through min/max pairs instead filled a late run's
    // log axis with strokes of its whole height, and Qt's raster engine hands
    // each long stroke's spans to its thread pool and waits: 15-40 ms a
    // redraw while training held the cores.
    struct Band {
        QList<QPointF> lower, upper;
    };
    Band band(quint64 firstX, int runs) const;
    // At most `points` points: every finite point while they are few, else
    // the mean of each of `points` runs of steps (weighted by the steps a
    // point holds), at the middle of its steps. What a smoothed curve shows
    // once a pixel column holds more steps than its smoothing spans: a
    // 20-step average of a late, spiky loss still spans decades of a log
    // axis from one step to the next.
    QList<QPointF> means(quint64 firstX, int points) const;

private:
    // A block of steps, or a run of them: its lowest and highest finite
    // value (NaN when none is finite), and the sum of its finite values with
    // the number of steps they stand for.
    struct Summary {
        float lo = NAN, hi = NAN;
        double sum = 0, finiteSteps = 0;
        void take(float value, std::uint64_t steps);
        void take(const Summary& other);
    };
    // Calls visit(run, from, to) for each of `runs` runs of steps [from, to)
    // in order: read from the blocks once each run spans two blocks or more
    // (or points hold several steps), else from the points.
    template <class Visit>
    void forEachRun(std::size_t runs, Visit visit) const;
    static std::uint32_t bin(float value);
    static float binMiddle(std::uint32_t bin);
    // Counts a value standing for `steps` steps (a point never straddles
    // two blocks: both sizes are powers of two).
    void count(float value, std::uint64_t steps);
    void closeBlock();

    cs::StepSeries m_series;
    std::vector<Summary> m_blocks; // every full block
    Summary m_open;                // the block being filled
    std::uint64_t m_blockSteps = firstBlockSteps;
    std::uint64_t m_counted = 0;    // steps counted into blocks
    double m_lo = HUGE_VAL, m_hi = -HUGE_VAL;
    std::size_t m_finite = 0;
    std::array<std::uint32_t, 4096> m_histogram{};
};
