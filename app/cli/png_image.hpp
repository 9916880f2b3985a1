// Reads a PNG of any size and colour type as grey levels in [0, 1]
// (transparent pixels count as white paper), through libpng.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cli {

struct GrayImage {
    std::size_t height = 0, width = 0;
    std::vector<float> pixels; // row-major, 0 black .. 1 white
};

// cs::FormatError naming the file when it is not a readable PNG.
GrayImage read_png_gray(const std::string& path);

} // namespace cli
