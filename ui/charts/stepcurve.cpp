#include "stepcurve.h"

#include <algorithm>
#include <cstring>

void StepCurve::Extremes::take(double x, float value)
{
    if (!std::isfinite(value)) return;
    if (std::isnan(lo) || value < lo) {
        lo = value;
        loX = x;
    }
    if (std::isnan(hi) || value > hi) {
        hi = value;
        hiX = x;
    }
}

void StepCurve::Extremes::take(const Extremes& other)
{
    if (std::isnan(other.lo)) return;
    take(other.loX, other.lo);
    take(other.hiX, other.hi);
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
    count(value, double(m_series.steps()), 1);
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
    for (std::size_t i = 0; i < series.size(); ++i) count(series[i], centre(i), series.steps_in(i));
}

void StepCurve::count(float value, double x, std::uint64_t steps)
{
    if (std::isfinite(value)) {
        m_lo = std::min(m_lo, double(value));
        m_hi = std::max(m_hi, double(value));
        ++m_finite;
        ++m_histogram[bin(value)];
    }
    m_open.take(x, value);
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
        Extremes merged = m_blocks[2 * j];
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

QList<QPointF> StepCurve::decimate(quint64 firstX, int points) const
{
    QList<QPointF> out;
    const std::size_t n = m_series.size();
    const auto add = [&](double x, float value) {
        if (std::isfinite(value)) out.append(QPointF(double(firstX) + x, double(value)));
    };
    if (n <= std::size_t(std::max(points, 0))) {
        out.reserve(qsizetype(n));
        for (std::size_t i = 0; i < n; ++i) add(centre(i), m_series[i]);
        return out;
    }
    const std::size_t buckets = std::size_t(std::max(points / 2, 1));
    out.reserve(qsizetype(2 * buckets));
    Extremes run;
    const auto flush = [&] {
        if (std::isnan(run.lo)) return; // nothing finite in this run
        const bool loFirst = run.loX <= run.hiX;
        add(loFirst ? run.loX : run.hiX, loFirst ? run.lo : run.hi);
        if (run.hiX != run.loX) add(loFirst ? run.hiX : run.loX, loFirst ? run.hi : run.lo);
        run = {};
    };
    const std::size_t full = m_blocks.size();
    if (full >= 2 * buckets || (m_series.steps_per_point() > 1 && full >= buckets)) {
        for (std::size_t b = 0; b < buckets; ++b) {
            for (std::size_t k = b * full / buckets; k < (b + 1) * full / buckets; ++k) run.take(m_blocks[k]);
            if (b + 1 == buckets) run.take(m_open); // the steps after the last full block
            flush();
        }
    } else {
        for (std::size_t b = 0; b < buckets; ++b) {
            for (std::size_t i = b * n / buckets; i < (b + 1) * n / buckets; ++i) run.take(centre(i), m_series[i]);
            flush();
        }
    }
    return out;
}
