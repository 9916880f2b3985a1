#include "stepcurve.h"

#include <algorithm>
#include <cstring>

namespace {
constexpr std::size_t none = std::size_t(-1);
} // namespace

void StepCurve::clear()
{
    m_values.clear();
    m_blocks.clear();
    m_lo = HUGE_VAL;
    m_hi = -HUGE_VAL;
    m_finite = 0;
    m_histogram.fill(0);
}

void StepCurve::push_back(float value)
{
    m_values.push_back(value);
    if (std::isfinite(value)) {
        m_lo = std::min(m_lo, double(value));
        m_hi = std::max(m_hi, double(value));
        ++m_finite;
        ++m_histogram[bin(value)];
    }
    if (m_values.size() % block == 0) closeBlock();
}

void StepCurve::padTo(std::size_t n)
{
    while (m_values.size() < n) push_back(NAN);
}

void StepCurve::closeBlock()
{
    const std::size_t from = m_values.size() - block;
    std::size_t lo = none, hi = none;
    for (std::size_t i = from; i < m_values.size(); ++i) {
        const float v = m_values[i];
        if (!std::isfinite(v)) continue;
        if (lo == none || v < m_values[lo]) lo = i;
        if (hi == none || v > m_values[hi]) hi = i;
    }
    m_blocks.emplace_back(lo, hi);
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
    const std::size_t n = m_values.size();
    const auto add = [&](std::size_t i) {
        if (std::isfinite(m_values[i])) out.append(QPointF(double(firstX + i), double(m_values[i])));
    };
    if (n <= std::size_t(std::max(points, 0))) {
        out.reserve(qsizetype(n));
        for (std::size_t i = 0; i < n; ++i) add(i);
        return out;
    }
    const std::size_t buckets = std::size_t(std::max(points / 2, 1));
    out.reserve(qsizetype(2 * buckets));
    // A run's extremes: from raw steps, or merged from blocks'.
    std::size_t lo = none, hi = none;
    const auto take = [&](std::size_t low, std::size_t high) {
        if (low != none && (lo == none || m_values[low] < m_values[lo])) lo = low;
        if (high != none && (hi == none || m_values[high] > m_values[hi])) hi = high;
    };
    const auto scan = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i)
            if (std::isfinite(m_values[i])) take(i, i);
    };
    const auto flush = [&] {
        if (lo == none) return; // nothing finite in this run
        add(std::min(lo, hi));
        if (hi != lo) add(std::max(lo, hi));
        lo = hi = none;
    };
    const std::size_t full = m_blocks.size();
    if (full >= 2 * buckets) {
        for (std::size_t b = 0; b < buckets; ++b) {
            for (std::size_t k = b * full / buckets; k < (b + 1) * full / buckets; ++k)
                take(m_blocks[k].first, m_blocks[k].second);
            if (b + 1 == buckets) scan(full * block, n); // the steps after the last full block
            flush();
        }
    } else {
        for (std::size_t b = 0; b < buckets; ++b) {
            scan(b * n / buckets, (b + 1) * n / buckets);
            flush();
        }
    }
    return out;
}
