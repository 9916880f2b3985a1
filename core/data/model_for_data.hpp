// A model made to read a data set's images: the step between opening a
// model and running it on data, the same for the CLI and the window.
//
// A ConvScope model was trained on the images as ConvScope reads them
// (0..1) and is used as it is. A model from elsewhere (a Keras file) may
// expect pixels in 0..255 or digits padded to 32x32; with PixelRange
// automatic it is tried both ways on a few hundred of the data set's test
// images (pixel_reading.hpp), and the reading that is right most often is
// put in front of it. An explicit range is applied as asked, to any model.
#pragma once

#include "dataset.hpp"
#include "model_file.hpp"
#include "pixel_reading.hpp"

#include <optional>
#include <string>

namespace cs {

// How many test images choose_pixel_reading reads each way.
inline constexpr std::size_t pixel_reading_test_images = 500;

struct PixelReadingReport {
    PixelReading reading;
    // What was chosen and how it was found: "pixels 0..255: 97.9% on 500
    // test images; 0..1: 39.0%", or "pixels 0..255 (as asked)".
    std::string summary;
};

// Puts the reading in front of `file.model` (replacing one already there)
// and returns what was done; nothing when the model is used as it is. A
// model that does not fit the images whatever the reading is left as it
// is: the caller's check of the shapes says why.
std::optional<PixelReadingReport> fit_pixels_to_data(ModelFile& file, const Dataset& data, PixelRange range);

} // namespace cs
