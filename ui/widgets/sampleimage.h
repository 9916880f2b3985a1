// One image of a dataset as a QImage: grey or RGB pixels in [0, 1] to bytes.
#pragma once

#include "tensor.hpp"

#include <QImage>

#include <cstddef>

// Sample `index` of an (n, h, w, c) tensor; c = 1 grey, c >= 3 the first three as RGB.
QImage sampleImage(const cs::Tensor<float>& images, std::size_t index);
