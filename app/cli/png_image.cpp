#include "png_image.hpp"

#include "errors.hpp"

#include <png.h>

#include <memory>

namespace cli {

GrayImage read_png_gray(const std::string& path)
{
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    // png_image_free runs on every path out, error or not.
    std::unique_ptr<png_image, void (*)(png_image*)> guard(&image, png_image_free);
    if (!png_image_begin_read_from_file(&image, path.c_str()))
        throw cs::FormatError(path + ": not a readable PNG (" + image.message + ")");
    constexpr png_uint_32 max_side = 1 << 14;
    if (image.width == 0 || image.height == 0 || image.width > max_side || image.height > max_side)
        throw cs::FormatError(path + ": a PNG of " + std::to_string(image.width) + "x" +
                              std::to_string(image.height) + " pixels is too large or empty");
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
