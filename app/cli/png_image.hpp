// Reads a PNG of any size and colour type as grey levels in [0, 1]
// (transparent pixels count as white paper), through libpng.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cli {

struct GrayImage {
    std::size_t height = 0, width = 0;
    std::vector<float> pixels; // row-major, 0 black .. 1 white
};

// The largest PNG read: a drawing or a photo of one, not a poster. Its grey
// levels and floats take 80 MB.
inline constexpr std::uint64_t png_max_side = 1 << 14;
inline constexpr std::uint64_t png_max_pixels = std::uint64_t(1) << 24; // 4096x4096
// Deflate cannot expand by more than 1032:1 (a 258-byte match costs at least
// two bits): what the header claims is checked against the file's size
// before the pixels are allocated.
inline constexpr std::uint64_t png_max_deflate_ratio = 1032;

// cs::FormatError naming the file when it is not a readable PNG, or when its
// header claims more pixels than the limits above or than the file can hold.
GrayImage read_png_gray(const std::string& path);

} // namespace cli
