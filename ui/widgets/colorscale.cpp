#include "colorscale.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace {

struct Stop {
    float at;
    int r, g, b;
};

// viridis at 9 points (matplotlib's _viridis_data), linearly interpolated.
constexpr std::array<Stop, 9> viridis{{{0.000f, 68, 1, 84},
                                       {0.125f, 71, 44, 122},
                                       {0.250f, 59, 81, 139},
                                       {0.375f, 44, 113, 142},
                                       {0.500f, 33, 145, 140},
                                       {0.625f, 39, 173, 129},
                                       {0.750f, 92, 200, 99},
                                       {0.875f, 170, 220, 50},
                                       {1.000f, 253, 231, 37}}};

// ColorBrewer RdBu (reversed: blue low, red high), 7 classes.
constexpr std::array<Stop, 7> rdbu{{{0.000f, 33, 102, 172},
                                    {0.167f, 103, 169, 207},
                                    {0.333f, 209, 229, 240},
                                    {0.500f, 247, 247, 247},
                                    {0.667f, 253, 219, 199},
                                    {0.833f, 239, 138, 98},
                                    {1.000f, 178, 24, 43}}};

template <std::size_t N>
QRgb interpolate(const std::array<Stop, N>& stops, float t)
{
    t = std::clamp(t, 0.0f, 1.0f);
    std::size_t i = 1;
    while (i + 1 < N && stops[i].at < t) ++i;
    const Stop& a = stops[i - 1];
    const Stop& b = stops[i];
    const float u = (t - a.at) / (b.at - a.at);
    auto mix = [u](int x, int y) { return int(std::lround(x + (y - x) * u)); };
    return qRgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b));
}

// The scale sampled at 1024 points, made once: a map's every value is a
// table lookup (the interpolation per pixel was a hot spot of the window's
// thread while training). 1024 steps are finer than 8-bit colour.
constexpr int tableSize = 1024;

template <std::size_t N>
std::array<QRgb, tableSize> table(const std::array<Stop, N>& stops)
{
    std::array<QRgb, tableSize> t{};
    for (int i = 0; i < tableSize; ++i) t[std::size_t(i)] = interpolate(stops, float(i) / (tableSize - 1));
    return t;
}

QRgb lookup(const std::array<QRgb, tableSize>& t, float at)
{
    // NaN compares false: clamped to 0 (the caller has already caught it).
    const float clamped = at > 0.0f ? (at < 1.0f ? at : 1.0f) : 0.0f;
    return t[std::size_t(clamped * (tableSize - 1) + 0.5f)];
}

} // namespace

ColorScale::ColorScale(ColorScaleKind kind, ValueRange range) : m_kind(kind), m_range(range)
{
    if (!m_range.isValid()) m_range.high = m_range.low + 1;
}

QRgb ColorScale::color(float value) const
{
    if (!std::isfinite(value)) return qRgb(255, 0, 255);
    const float t = (value - m_range.low) / (m_range.high - m_range.low);
    switch (m_kind) {
    case ColorScaleKind::Grey:
    case ColorScaleKind::Rgb: {
        const int g = int(std::lround(std::clamp(t, 0.0f, 1.0f) * 255));
        return qRgb(g, g, g);
    }
    case ColorScaleKind::Sequential: {
        static const std::array<QRgb, tableSize> sequential = table(viridis);
        return lookup(sequential, t);
    }
    case ColorScaleKind::Diverging: {
        static const std::array<QRgb, tableSize> diverging = table(rdbu);
        return lookup(diverging, t);
    }
    }
    return 0;
}

QImage ColorScale::legendImage(int width, int height) const
{
    QImage img(std::max(width, 1), std::max(height, 1), QImage::Format_RGB32);
    for (int x = 0; x < img.width(); ++x) {
        const float v = m_range.low + (m_range.high - m_range.low) * (float(x) + 0.5f) / float(img.width());
        const QRgb c = color(v);
        for (int y = 0; y < img.height(); ++y) img.setPixel(x, y, c);
    }
    return img;
}

ValueRange ColorScale::rangeFor(ColorScaleKind kind, const float* values, std::size_t count)
{
    float lo = 0, hi = 0, absMax = 0;
    bool any = false;
    for (std::size_t i = 0; i < count; ++i) {
        const float v = values[i];
        if (!std::isfinite(v)) continue;
        lo = any ? std::min(lo, v) : v;
        hi = any ? std::max(hi, v) : v;
        absMax = std::max(absMax, std::abs(v));
        any = true;
    }
    switch (kind) {
    case ColorScaleKind::Grey:
    case ColorScaleKind::Rgb:
        // Images in [0, 1] keep that range so that brightness means the same
        // thing from sample to sample; anything else shows its own range.
        if (!any || (lo >= 0 && hi <= 1)) return {0, 1};
        return {lo, hi > lo ? hi : lo + 1};
    case ColorScaleKind::Sequential:
        lo = std::min(lo, 0.0f);
        return {lo, hi > lo ? hi : lo + 1};
    case ColorScaleKind::Diverging:
        return absMax > 0 ? ValueRange{-absMax, absMax} : ValueRange{-1, 1};
    }
    return {};
}

QString formatValue(double value)
{
    if (value == 0) return QStringLiteral("0");
    const double a = std::abs(value);
    if (a >= 1e-2 && a < 1e4) return QString::number(value, 'g', 3);
    return QString::number(value, 'e', 1);
}
