// Architectures by name: `--arch lenet5` (the default), in the CLI, the
// bench and the window's Presets menu. Each is made for the data's sample
// shape (h, w, c) and class count; for 28x28x1 digits:
//
//   lenet5       LeNet-5 as courses teach it (DESIGN.md): conv 6@5x5 same relu,
//                max 2x2, conv 16@5x5 valid relu, max 2x2, dense 120, 84, 10.
//                61,706 parameters.
//   lenet5-1998  LeNet-5 as LeCun had it in 1998: the digit padded by 2 to
//                32x32, conv 6@5x5 tanh, average 2x2, conv 16@5x5 tanh,
//                average 2x2, conv 120@5x5 tanh (1x1x120), dense 84 tanh, 10.
//                61,706 parameters.
//   tiny         one convolution: conv 8@3x3 same relu, max 2x2, dense 10.
//   wide         for Fashion-MNIST: conv 32@3x3 same relu, max 2x2, conv
//                64@3x3 same relu, max 2x2, dropout 0.25, dense 128 relu,
//                dropout 0.5, dense 10.
//   all-conv     no pooling (Springenberg et al. 2015): stride-2 3x3
//                convolutions halve the maps; 16, 16/2, 32, 32/2, dense 10.
#pragma once

#include "architecture.hpp"

#include <string>
#include <vector>

namespace cs {

struct Preset {
    std::string name;        // "lenet5"
    std::string description; // a sentence for a menu's tooltip
};

inline constexpr const char* default_preset = "lenet5";

const std::vector<Preset>& presets();
bool is_preset(const std::string& name);
// The preset `name` for samples of shape `input` and `classes` classes,
// layers named as Keras would. ShapeError for an unknown name, or (from
// check_architecture) when the input is too small for it.
Architecture preset_architecture(const std::string& name, const Shape& input, std::size_t classes);

} // namespace cs
