// A drawing becomes an MNIST digit (DESIGN.md, "A drawn digit becomes an
// MNIST digit"): the same steps that made MNIST out of NIST's scans.
//
//   gray (height, width), values in [0, 1], row-major, any size
//   1. polarity: MNIST ink is white on black. With Ink::automatic the
//      background is the median of the border pixels; a light background
//      (> 0.5) means dark ink, and the image is inverted (v -> 1 - v).
//   2. background out, contrast in: v -> clamp((v - bg) / (peak - bg), 0, 1),
//      bg the border median, peak the brightest pixel. A drawing whose peak
//      is within empty_contrast of the background has no ink: all zeros.
//   3. the ink's bounding box (pixels above ink_threshold) is scaled, aspect
//      kept, so that its larger side is 20: area averaging (a box filter)
//      when shrinking, bilinear when enlarging, per axis; then divided by
//      its brightest pixel (MNIST's ink always reaches white; a thin pen
//      shrunk 25 times would otherwise be a grey ghost).
//   4. the 20x20-or-smaller result goes into a 28x28 black image, shifted by
//      the rounded offset that brings its centre of mass to pixel (14, 14)
//      (pixel-index coordinates, as scipy.ndimage.center_of_mass; MNIST's
//      own digits have theirs in [13.5, 14.5) on both axes).
//      The shift is clamped so that no ink leaves the 28x28 field; only a
//      digit whose mass sits more than 4 px off its box's centre notices.
//   out (1, 28, 28, 1), values in [0, 1]: one sample for Sequential::forward.
#pragma once

#include "tensor.hpp"

#include <cstddef>

namespace cs {

enum class Ink { automatic, dark, light };

struct DigitImage {
    Tensor<float> image;    // (1, 28, 28, 1), white ink on black, in [0, 1]
    bool empty = true;      // no ink was found; image is all zeros
    bool inverted = false;  // the drawing was dark ink on a light ground
    // The ink's bounding box in the drawing (rows [top, top + height), ...).
    std::size_t top = 0, left = 0, height = 0, width = 0;
    double scale = 0;       // drawing pixels -> MNIST pixels
    // Where the scaled box landed in the 28x28 image, and its size there.
    std::size_t row = 0, column = 0, rows = 0, columns = 0;
};

inline constexpr std::size_t mnist_side = 28;   // the image
inline constexpr std::size_t mnist_box = 20;    // the box the ink is scaled into
inline constexpr float ink_threshold = 0.05f;   // after step 2: ink vs. ground
inline constexpr float empty_contrast = 0.1f;   // below this peak-to-ground: empty

// ShapeError if height or width is 0.
DigitImage mnist_from_drawing(const float* gray, std::size_t height, std::size_t width, Ink ink = Ink::automatic);

// Centre of mass (row, column) of an (h, w) image in pixel-index coordinates
// (a single lit pixel (i, j) has it at (i, j)); {-1, -1} if it is all 0.
struct CentreOfMass {
    double row = -1, column = -1;
};
CentreOfMass centre_of_mass(const float* image, std::size_t height, std::size_t width);

} // namespace cs
