// A 5x7 bitmap font for the captions of frames drawn without Qt
// (network_frames.hpp): digits, a to z (capitals are drawn as small
// letters), space and , : . _ - / ( ) % ?; any other character is drawn as
// '?'. A glyph is 5 pixels wide and 7 high and advances 6; at scale s every
// pixel is an s x s square.
#pragma once

#include "gif_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cs {

inline constexpr std::size_t glyph_width = 5, glyph_height = 7, glyph_advance = 6;

// Pixels `text` takes at `scale`: wide (the last glyph without its gap) and high.
std::size_t text_width(std::string_view text, std::size_t scale = 1);
inline std::size_t text_height(std::size_t scale = 1) { return glyph_height * scale; }

// Draws `text` with its top-left corner at (x, y) in `colour`; what falls
// outside the image is clipped.
void draw_text(IndexedImage& image, std::size_t x, std::size_t y, std::string_view text, std::uint8_t colour,
               std::size_t scale = 1);

} // namespace cs
