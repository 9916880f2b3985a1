// How a model from elsewhere reads ConvScope's images.
//
// ConvScope's images are floats in 0..1 (DESIGN.md). A student's Keras
// model may have been trained on pixels in 0..255, and the classic LeNet-5
// on digits padded to 32x32; its file says neither. A PixelReading says how
// the images are brought to what the model expects, and it is put in front
// of the model as layers of its own, so that training, evaluation, every
// view and the drawing pad feed the model the same way, and the network
// view shows the step:
//
//   images (n, 28, 28, 1) in 0..1
//     -> Rescaling 255     'pixels_0_255'   when scale is 255
//     -> ZeroPadding2D 2   'pad_to_32x32'   when the model's input is larger
//     -> the model's own layers (its own Rescaling applies after these)
//
// choose_pixel_reading tries each reading on labelled images (a few hundred
// of a test set) and keeps the one that is right most often.
#pragma once

#include "architecture.hpp"
#include "sequential.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cs {

// What the person asks for: find out, or one of the two ranges.
enum class PixelRange { automatic, unit, byte };
// "auto", "0-1" or "0-255" (also "0..1", "0..255"); SettingError otherwise.
PixelRange parse_pixel_range(const std::string& text);
std::string to_string(PixelRange range);

struct PixelReading {
    double scale = 1;     // 1: the model reads 0..1; 255: 0..255
    std::size_t pad = 0;  // zeros added on every side
    friend bool operator==(const PixelReading&, const PixelReading&) = default;
};

// "pixels 0..255", "pixels 0..1, padded to 32x32" (for an input of `image`).
std::string describe(const PixelReading& reading, const Shape& image);

// The padding that brings `image` (h, w, c) to the model's `input`: the
// same even number of pixels larger in both sides, same channels; nullopt
// when no padding does.
std::optional<std::size_t> padding_to(const Shape& image, const Shape& input);

// The names of the layers a reading puts in front of a model.
inline constexpr const char* pixel_scale_layer_name = "pixels_0_255";
inline constexpr const char* pixel_padding_layer_prefix = "pad_to_";

// `model` with the reading's layers in front: its input becomes the image
// shape. Any reading layers already in front are replaced, so readings do
// not pile up.
Architecture with_pixel_reading(const Architecture& model, const PixelReading& reading);
// The reading in front of `model` (scale 1, pad 0 when none).
PixelReading pixel_reading_of(const Architecture& model);
// `model` without the reading's layers.
Architecture without_pixel_reading(const Architecture& model);

struct PixelReadingTrial {
    PixelReading reading;
    double accuracy = 0; // 0..1
};

struct PixelReadingChoice {
    PixelReading chosen;
    std::vector<PixelReadingTrial> trials; // the chosen one first
    std::size_t images = 0;                // how many were read each way
    Shape image;                           // their shape
    // "pixels 0..255: 97.9% on 500 test images; 0..1: 39.0%"
    std::string summary() const;
};

// Reads the first `count` images (n, h, w, c in 0..1) with their labels
// each way the model may read them: 0..1 and 0..255, padded when its input
// is larger; keeps the reading that is right most often (0..1 on a tie).
// ShapeError when no reading makes the images fit the model.
PixelReadingChoice choose_pixel_reading(const Sequential<float>& model, const Tensor<float>& images,
                                        const std::vector<std::uint8_t>& labels, std::size_t count = 500);

// A model that reads the images by `reading`: `model`'s layers and
// parameters behind the reading's layers (which have none).
std::unique_ptr<Sequential<float>> apply_pixel_reading(const Sequential<float>& model, const PixelReading& reading);

} // namespace cs
