// Animated GIFs (GIF89a) of indexed frames, written with giflib.
//
//   palette   1..256 RGB colours (padded with black to a power of two, as
//             GIF's colour tables must be); one global table for all frames
//   frames    1 or more, each width x height indices into the palette,
//             row-major, top row first; every frame the same size
//             (1..65535 on each side)
//   delay     centiseconds each frame is shown (0..65535), in a Graphics
//             Control Extension before every frame
//   loop      a NETSCAPE2.0 application extension with loop count 0 (for
//             ever) after the screen descriptor
//
// Every frame covers the whole screen, so disposal is "do not dispose" and
// no colour is transparent. The file is made in memory and then written
// whole or not at all (atomic_file.hpp): a failure never leaves half a GIF.
// Bad input is a ShapeError saying which frame and what; a file that cannot
// be written is a WriteError naming it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace cs {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

// An image of palette indices: pixels[y * width + x].
struct IndexedImage {
    std::size_t width = 0, height = 0;
    std::vector<std::uint8_t> pixels;

    IndexedImage() = default;
    IndexedImage(std::size_t w, std::size_t h, std::uint8_t fill = 0) : width(w), height(h), pixels(w * h, fill) {}
    std::uint8_t& at(std::size_t x, std::size_t y) { return pixels[y * width + x]; }
    std::uint8_t at(std::size_t x, std::size_t y) const { return pixels[y * width + x]; }
};

// The GIF file image; `name` starts every error message.
std::vector<std::byte> gif_bytes(std::span<const Rgb> palette, std::span<const IndexedImage> frames,
                                 unsigned delay_centiseconds, bool loop = true, const std::string& name = "GIF");
// gif_bytes() written to `path` atomically.
void write_gif(const std::filesystem::path& path, std::span<const Rgb> palette, std::span<const IndexedImage> frames,
               unsigned delay_centiseconds, bool loop = true);

} // namespace cs
