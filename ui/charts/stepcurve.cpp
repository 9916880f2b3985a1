#include "stepcurve.h"

#include <algorithm>
#include <cstring>

void StepCurve::Summary::take(float value, std::uint64_t steps)
{
    if (!std::isfinite(value)) return;
    lo = std::isnan(lo) ? value : std::min(lo, value);
    hi = std::isnan(hi) ? value : std::max(hi, value);
    sum += double(value) * double(steps);
    finiteSteps += double(steps);
}

void StepCurve::Summary::take(const Summary& other)
{
    if (std::isnan(other.lo)) return;
    lo = std::isnan(lo) ? other.lo : std::min(lo, other.lo);
    hi = std::isnan(hi) ? other.hi : std::max(hi, other.hi);
    sum += other.sum;
    finiteSteps += other.finiteSteps;
}

void StepCurve::clear()
{
    m_series.clear();
    m_blocks.clear();
    m_open = {};
    m_blockSteps = firstBlockSteps;
    m_counted = 0;
    m_lo = HUGE_VAL;
    m_hi = -HUGE_VAL;
    m_finite = 0;
    m_histogram.fill(0);
}

void StepCurve::push_back(float value)
{
    count(value, 1);
    m_series.push_back(value);
}

void StepCurve::padTo(std::uint64_t steps)
{
    while (m_series.steps() < steps) push_back(NAN);
}

void StepCurve::assign(const cs::StepSeries& series)
{
    const std::size_t maxPoints = m_series.max_points();
    clear();
    m_series = series;
    m_series.set_max_points(std::max(maxPoints, series.max_points()));
    m_blockSteps = std::max(firstBlockSteps, series.steps_per_point());
    for (std::size_t i = 0; i < series.size(); ++i) count(series[i], series.steps_in(i));
}

void StepCurve::count(float value, std::uint64_t steps)
{
    if (std::isfinite(value)) {
        m_lo = std::min(m_lo, double(value));
        m_hi = std::max(m_hi, double(value));
        ++m_finite;
        ++m_histogram[bin(value)];
    }
    m_open.take(value, steps);
    m_counted += steps;
    if (m_counted % m_blockSteps == 0) closeBlock();
}

void StepCurve::closeBlock()
{
    m_blocks.push_back(m_open);
    m_open = {};
    if (m_blocks.size() < maxBlocks) return;
    // Pairs of blocks become one: a block holds twice the steps.
    for (std::size_t j = 0; j < m_blocks.size() / 2; ++j) {
        Summary merged = m_blocks[2 * j];
        merged.take(m_blocks[2 * j + 1]);
        m_blocks[j] = merged;
    }
    m_blocks.resize(m_blocks.size() / 2);
    m_blockSteps *= 2;
}

// The float's bits made to sort as the floats do (negatives reversed, below
// the positives), then their leading 12 bits.
std::uint32_t StepCurve::bin(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    const std::uint32_t key = (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
    return key >> 20;
}

// The middle of a bin, as a float.
float StepCurve::binMiddle(std::uint32_t b)
{
    const std::uint32_t key = (b << 20) | 0x80000u;
    const std::uint32_t bits = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

double StepCurve::approximateMedian() const
{
    if (m_finite == 0) return NAN;
    const std::size_t target = (m_finite - 1) / 2; // the lower median's rank
    std::size_t seen = 0;
    for (std::uint32_t b = 0; b < m_histogram.size(); ++b) {
        seen += m_histogram[b];
        if (seen > target) return double(binMiddle(b));
    }
    return NAN; // not reached: the bins count every finite value
}

template <class Visit>
void StepCurve::forEachRun(std::size_t runs, Visit visit) const
{
    const std::size_t n = m_series.size(), full = m_blocks.size();
    if (full >= 2 * runs || (m_series.steps_per_point() > 1 && full >= runs)) {
        for (std::size_t b = 0; b < runs; ++b) {
            Summary run;
            const std::size_t k0 = b * full / runs, k1 = (b + 1) * full / runs;
            for (std::size_t k = k0; k < k1; ++k) run.take(m_blocks[k]);
            const bool last = b + 1 == runs;
            if (last) run.take(m_open); // the steps after the last full block
            visit(run, k0 * m_blockSteps, last ? m_counted : k1 * m_blockSteps);
        }
        return;
    }
    for (std::size_t b = 0; b < runs; ++b) {
        Summary run;
        const std::size_t i0 = b * n / runs, i1 = (b + 1) * n / runs;
        for (std::size_t i = i0; i < i1; ++i) run.take(m_series[i], m_series.steps_in(i));
        visit(run, m_series.first_step(i0), i1 < n ? m_series.first_step(i1) : m_series.steps());
    }
}

QList<QPointF> StepCurve::everyPoint(quint64 firstX) const
{
    QList<QPointF> out;
    out.reserve(qsizetype(m_series.size()));
    for (std::size_t i = 0; i < m_series.size(); ++i)
        if (std::isfinite(m_series[i])) out.append(QPointF(double(firstX) + centre(i), double(m_series[i])));
    return out;
}

StepCurve::Band StepCurve::band(quint64 firstX, int runs) const
{
    Band out;
    out.lower.reserve(runs);
    out.upper.reserve(runs);
    forEachRun(std::size_t(std::max(runs, 1)), [&](const Summary& run, std::uint64_t from, std::uint64_t to) {
        if (std::isnan(run.lo)) return; // nothing finite in this run
        const double x = double(firstX) + (double(from) + double(to - 1)) / 2;
        out.lower.append(QPointF(x, double(run.lo)));
        out.upper.append(QPointF(x, double(run.hi)));
    });
    return out;
}

QList<QPointF> StepCurve::means(quint64 firstX, int points) const
{
    if (m_series.size() <= std::size_t(std::max(points, 0))) return everyPoint(firstX);
    QList<QPointF> out;
    out.reserve(points);
    forEachRun(std::size_t(points), [&](const Summary& run, std::uint64_t from, std::uint64_t to) {
        if (run.finiteSteps > 0)
            out.append(QPointF(double(firstX) + (double(from) + double(to - 1)) / 2, run.sum / run.finiteSteps));
    });
    return out;
}
