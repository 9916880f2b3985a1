#include "png_image.hpp"

#include "errors.hpp"

#include <png.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <system_error>

namespace cli {

GrayImage read_png_gray(const std::string& path)
{
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    // png_image_free runs on every path out, error or not.
    std::unique_ptr<png_image, void (*)(png_image*)> guard(&image, png_image_free);
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw cs::FormatError(path + ": not a readable PNG (" + image.message + ")");
    // The header's size is a claim: judge it before allocating the pixels.
    const std::uint64_t width = image.width, height = image.height;
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    if (width == 0 || height == 0) throw cs::FormatError(path + ": a PNG of " + size + " pixels is empty");
    if (width > png_max_side || height > png_max_side || width * height > png_max_pixels)
        throw cs::FormatError(path + ": a PNG of " + size + " pixels is too large (at most " +
                              std::to_string(png_max_side) + " pixels a side and " + std::to_string(png_max_pixels) +
                              " in all are read)");
    // Its rows, filtered, are at least 1 bit a pixel plus a byte a row, and
    // deflate packs at most 1032 bytes into one: a file too small to hold
    // them is lying about its size.
    std::error_code ec;
    const std::uint64_t file_bytes = std::filesystem::file_size(path, ec);
    const std::uint64_t least_data = height * (1 + (width + 7) / 8);
    if (!ec && file_bytes * png_max_deflate_ratio < least_data)
        throw cs::FormatError(path + ": a PNG of " + std::to_string(file_bytes) + " bytes cannot hold the " + size +
                              " pixels its header claims (damaged or hostile)");
    image.format = PNG_FORMAT_GRAY;
    std::vector<png_byte> bytes(PNG_IMAGE_SIZE(image));
    png_color white{255, 255, 255};
    if (!png_image_finish_read(&image, &white, bytes.data(), 0, nullptr))
        throw cs::FormatError(path + ": damaged PNG (" + image.message + ")");
    GrayImage out;
    out.height = image.height;
    out.width = image.width;
    out.pixels.resize(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) out.pixels[i] = float(bytes[i]) / 255.0f;
    return out;
}

} // namespace cli
