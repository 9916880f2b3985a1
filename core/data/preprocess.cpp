#include "preprocess.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace cs {

namespace {

// The median of the border pixels: what the ground looks like.
float border_median(const float* gray, std::size_t h, std::size_t w)
{
    std::vector<float> border;
    border.reserve(2 * (h + w));
    for (std::size_t c = 0; c < w; ++c) {
        border.push_back(gray[c]);
        if (h > 1) border.push_back(gray[(h - 1) * w + c]);
    }
    for (std::size_t r = 1; r + 1 < h; ++r) {
        border.push_back(gray[r * w]);
        if (w > 1) border.push_back(gray[r * w + w - 1]);
    }
    const auto mid = border.begin() + std::ptrdiff_t(border.size() / 2);
    std::nth_element(border.begin(), mid, border.end());
    return *mid;
}

// Weights (n_out, n_in) that resample one axis: out = W * in.
//   shrinking (n_out < n_in): output pixel j averages the source interval
//     [j f, (j + 1) f), f = n_in / n_out, each source pixel weighted by its
//     overlap (a box filter: every source pixel's ink is kept, spread out);
//   enlarging or equal: bilinear between the two nearest source pixel
//     centres, src = (j + 0.5) / (n_out / n_in) - 0.5 (pixel centres align).
arma::fmat resampling_weights(std::size_t n_in, std::size_t n_out)
{
    arma::fmat W(n_out, n_in, arma::fill::zeros);
    const double f = double(n_in) / double(n_out);
    if (n_out < n_in) {
        for (std::size_t j = 0; j < n_out; ++j) {
            const double lo = double(j) * f, hi = double(j + 1) * f;
            const auto first = std::size_t(std::floor(lo));
            const auto last = std::min(n_in, std::size_t(std::ceil(hi)));
            for (std::size_t i = first; i < last; ++i) {
                const double overlap = std::min(hi, double(i + 1)) - std::max(lo, double(i));
                if (overlap > 0) W(j, i) = float(overlap / f);
            }
        }
    } else {
        for (std::size_t j = 0; j < n_out; ++j) {
            const double src = std::clamp((double(j) + 0.5) * f - 0.5, 0.0, double(n_in - 1));
            const auto i0 = std::size_t(std::floor(src));
            const std::size_t i1 = std::min(i0 + 1, n_in - 1);
            const double t = src - double(i0);
            W(j, i0) += float(1 - t);
            W(j, i1) += float(t);
        }
    }
    return W;
}

} // namespace

CentreOfMass centre_of_mass(const float* image, std::size_t height, std::size_t width)
{
    double mass = 0, rows = 0, cols = 0;
    for (std::size_t r = 0; r < height; ++r)
        for (std::size_t c = 0; c < width; ++c) {
            const double v = image[r * width + c];
            mass += v;
            rows += v * double(r);
            cols += v * double(c);
        }
    if (mass <= 0) return {};
    return {rows / mass, cols / mass};
}

DigitImage mnist_from_drawing(const float* gray, std::size_t height, std::size_t width, Ink ink)
{
    if (height == 0 || width == 0)
        throw ShapeError("mnist_from_drawing: the drawing is " + std::to_string(height) + "x" +
                         std::to_string(width) + ", it needs at least one pixel");
    DigitImage out;
    out.image = Tensor<float>(Shape{1, mnist_side, mnist_side, 1});

    // 1. Polarity, from the ground (the border's median).
    const float ground = border_median(gray, height, width);
    out.inverted = ink == Ink::dark || (ink == Ink::automatic && ground > 0.5f);
    auto value = [&](std::size_t r, std::size_t c) {
        const float v = std::clamp(gray[r * width + c], 0.0f, 1.0f);
        return out.inverted ? 1.0f - v : v;
    };
    // With the polarity forced, the ground is black (inverted) or the border
    // as it is; automatic uses the border either way.
    float bg = out.inverted ? 1.0f - ground : ground;
    if (ink != Ink::automatic) bg = std::clamp(bg, 0.0f, 0.5f);

    // 2. Contrast: ground to 0, the brightest ink to 1.
    float peak = 0;
    for (std::size_t r = 0; r < height; ++r)
        for (std::size_t c = 0; c < width; ++c) peak = std::max(peak, value(r, c));
    if (peak - bg < empty_contrast) return out;
    const float gain = 1.0f / (peak - bg);
    auto ink_at = [&](std::size_t r, std::size_t c) {
        const float v = std::clamp((value(r, c) - bg) * gain, 0.0f, 1.0f);
        return v > ink_threshold ? v : 0.0f;
    };

    // 3. The ink's bounding box.
    std::size_t top = height, bottom = 0, left = width, right = 0;
    for (std::size_t r = 0; r < height; ++r)
        for (std::size_t c = 0; c < width; ++c)
            if (ink_at(r, c) > 0) {
                top = std::min(top, r);
                bottom = std::max(bottom, r + 1);
                left = std::min(left, c);
                right = std::max(right, c + 1);
            }
    if (top >= bottom) return out;
    const std::size_t bh = bottom - top, bw = right - left;
    arma::fmat crop(bh, bw); // (bh, bw), column-major
    for (std::size_t c = 0; c < bw; ++c)
        for (std::size_t r = 0; r < bh; ++r) crop(r, c) = ink_at(top + r, left + c);

    // ... scaled so that its larger side is mnist_box, aspect kept.
    const double scale = double(mnist_box) / double(std::max(bh, bw));
    const auto fit = [&](std::size_t n) {
        return std::clamp<std::size_t>(std::size_t(std::lround(double(n) * scale)), 1, mnist_box);
    };
    const std::size_t nh = fit(bh), nw = fit(bw);
    const arma::fmat scaled = resampling_weights(bh, nh) * crop * resampling_weights(bw, nw).t(); // (nh, nw)

    // 4. Into 28x28, the centre of mass moved to (14, 14).
    // ... and its brightest pixel back to 1: a thin pen shrunk 25 times
    // would otherwise be a grey ghost, and MNIST's ink always reaches white.
    const float top_value = scaled.max();
    if (!(top_value > 0)) return out;
    std::vector<float> box(nh * nw); // row-major
    for (std::size_t r = 0; r < nh; ++r)
        for (std::size_t c = 0; c < nw; ++c) box[r * nw + c] = std::clamp(scaled(r, c) / top_value, 0.0f, 1.0f);
    const CentreOfMass com = centre_of_mass(box.data(), nh, nw);
    const double centre = double(mnist_side) / 2; // pixel (14, 14), as in MNIST
    const auto place = [&](double mass_at, std::size_t n) {
        // The one whole offset that puts the mass in [centre - 0.5, centre + 0.5).
        const long offset = long(std::ceil(centre - 0.5 - mass_at));
        return std::size_t(std::clamp<long>(offset, 0, long(mnist_side - n)));
    };
    const std::size_t row0 = place(com.row, nh), col0 = place(com.column, nw);
    for (std::size_t r = 0; r < nh; ++r)
        for (std::size_t c = 0; c < nw; ++c) out.image(0, row0 + r, col0 + c, 0) = box[r * nw + c];

    out.empty = false;
    out.top = top;
    out.left = left;
    out.height = bh;
    out.width = bw;
    out.scale = scale;
    out.row = row0;
    out.column = col0;
    out.rows = nh;
    out.columns = nw;
    return out;
}

} // namespace cs
