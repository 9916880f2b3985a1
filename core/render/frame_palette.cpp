#include "frame_palette.hpp"

#include <algorithm>
#include <cmath>

namespace cs {

namespace {

Rgb mix(Rgb a, Rgb b, double t)
{
    const auto channel = [t](std::uint8_t x, std::uint8_t y) {
        return std::uint8_t(std::lround(double(x) + (double(y) - double(x)) * t));
    };
    return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b)};
}

} // namespace

std::vector<Rgb> frame_palette()
{
    std::vector<Rgb> p(256);
    for (int i = ramp_first; i <= ramp_last; ++i) {
        const auto v = std::uint8_t(std::lround(255.0 * (i - ramp_first) / (ramp_last - ramp_first)));
        p[std::size_t(i)] = {v, v, v};
    }
    const Rgb blue{33, 82, 190}, white{255, 255, 255}, red{200, 35, 35};
    const int half = diverging_centre - diverging_first;
    for (int i = diverging_first; i <= diverging_last; ++i) {
        const double t = double(i - diverging_centre) / half; // -1..1
        p[std::size_t(i)] = t < 0 ? mix(white, blue, -t) : mix(white, red, t);
    }
    p[colour_background] = {236, 239, 244};
    p[colour_border] = {128, 128, 128};
    p[colour_text] = {20, 20, 20};
    p[colour_bar] = {70, 110, 180};
    p[colour_label_bar] = {40, 150, 70};
    return p;
}

std::uint8_t ramp_index(float v, float lo, float hi)
{
    if (!(hi > lo) || !(v > lo)) return ramp_first;
    const double t = std::min(1.0, (double(v) - lo) / (double(hi) - lo));
    return std::uint8_t(ramp_first + std::lround(t * (ramp_last - ramp_first)));
}

std::uint8_t diverging_index(float v, float scale)
{
    if (!(scale > 0) || std::isnan(v)) return diverging_centre;
    const double t = std::clamp(double(v) / scale, -1.0, 1.0);
    return std::uint8_t(diverging_centre + std::lround(t * (diverging_centre - diverging_first)));
}

} // namespace cs
