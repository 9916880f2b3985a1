// The one 256-colour palette every frame of a timeline GIF is drawn in
// (network_frames.hpp), so that all frames share GIF's global colour table:
//
//   0..127    grey ramp, black (lowest) to white (highest): maps and inputs
//   128..250  diverging ramp, blue (-1) through white (0, at 189) to red (+1):
//             kernels, scaled symmetric about 0
//   251       background (pale blue-grey, apart from either ramp's white)
//   252       tile borders
//   253       text
//   254       probability bars
//   255       the probability bar of the sample's label
//
// Values become indices by rounding to the nearest level; anything beyond
// the range (or not a number) takes the nearest end (NaN: the low end or 0).
#pragma once

#include "gif_file.hpp"

#include <cstdint>
#include <vector>

namespace cs {

inline constexpr std::uint8_t ramp_first = 0;
inline constexpr std::uint8_t ramp_last = 127;
inline constexpr std::uint8_t diverging_first = 128;
inline constexpr std::uint8_t diverging_centre = 189;
inline constexpr std::uint8_t diverging_last = 250;
inline constexpr std::uint8_t colour_background = 251;
inline constexpr std::uint8_t colour_border = 252;
inline constexpr std::uint8_t colour_text = 253;
inline constexpr std::uint8_t colour_bar = 254;
inline constexpr std::uint8_t colour_label_bar = 255;

// The 256 colours, in the order above.
std::vector<Rgb> frame_palette();

// v in [lo, hi] on the grey ramp: lo -> 0, hi -> 127 (everything 0 when hi <= lo).
std::uint8_t ramp_index(float v, float lo, float hi);
// v in [-scale, scale] on the diverging ramp: -scale -> 128, 0 -> 189,
// +scale -> 250 (everything 189 when scale <= 0).
std::uint8_t diverging_index(float v, float scale);

} // namespace cs
