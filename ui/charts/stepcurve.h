// StepCurve: one value per training step (a loss, an accuracy, their
// moving averages), kept whole, with what a chart's redraw needs at a cost
// that does not grow with the run. A 30-minute run on two cores is two
// million steps: a redraw that scanned them all (4 curves, their bounds and
// the loss's median, 7 times a second) took the window's thread longer
// every minute (the soak's event-loop p99 rose from 5 to 13 ms in 5 minutes).
//
// Kept as values arrive:
//   - the finite minimum and maximum;
//   - for every full block of `block` steps, where its lowest and highest
//     finite values are, so that a min and a max per pixel column are read
//     from blocks once the run is long;
//   - a histogram of the finite values by their leading 12 bits (sign,
//     exponent, 3 bits of mantissa: bins 12.5% wide at most), for a median
//     good to that much.
// NaN marks a step with no value (a gap).
#pragma once

#include <QList>
#include <QPointF>

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

class StepCurve {
public:
    static constexpr std::size_t block = 256;

    void clear();
    void push_back(float value);
    // Pads with NaN (steps without a value) up to n values; never shrinks.
    void padTo(std::size_t n);

    std::size_t size() const { return m_values.size(); }
    bool empty() const { return m_values.empty(); }
    float operator[](std::size_t i) const { return m_values[i]; }
    const std::vector<float>& values() const { return m_values; }

    // The lowest and highest finite value ((inf, -inf) when none is).
    std::pair<double, double> bounds() const { return {m_lo, m_hi}; }
    // The finite values counted so far.
    std::size_t finiteCount() const { return m_finite; }
    // The median of the finite values, to within its histogram bin (NaN
    // when none is finite).
    double approximateMedian() const;

    // At most `points` points (x = firstX + index) to draw the curve with:
    // every finite value while they are few, else a min and a max for each
    // of points / 2 runs of steps, in step order (spikes stay visible).
    // Once each run spans two blocks or more, the runs follow block
    // boundaries and are read from the blocks' extremes.
    QList<QPointF> decimate(quint64 firstX, int points) const;

private:
    static std::uint32_t bin(float value);
    static float binMiddle(std::uint32_t bin);
    void closeBlock();

    std::vector<float> m_values;
    // Per full block: indices of its lowest and highest finite values
    // (npos when none is finite).
    std::vector<std::pair<std::size_t, std::size_t>> m_blocks;
    double m_lo = HUGE_VAL, m_hi = -HUGE_VAL;
    std::size_t m_finite = 0;
    std::array<std::uint32_t, 4096> m_histogram{};
};
