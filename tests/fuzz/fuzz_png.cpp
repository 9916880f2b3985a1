// PNG images as the command line reads them (app/cli/png_image.cpp, compiled
// into this target): a FormatError or grey levels in [0, 1], one per pixel.
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "png_image.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    cli::GrayImage image;
    try {
        image = cli::read_png_gray(fuzz::scratch_file({data, size}));
    } catch (const cs::FormatError&) {
        return 0;
    }
    if (image.pixels.size() != image.height * image.width) std::abort();
    for (float p : image.pixels)
        if (!(p >= 0.0f && p <= 1.0f)) std::abort();
    return 0;
}
