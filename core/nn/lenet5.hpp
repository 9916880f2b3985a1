// LeNet-5 as courses teach it (DESIGN.md), for any input (h, w, c):
//
//   conv 6@5x5 same relu      h x w x 6          (28x28x1: 28x28x6)
//   maxpool 2x2 /2            h/2 x w/2 x 6      (14x14x6)
//   conv 16@5x5 valid relu    h/2-4 x w/2-4 x 16 (10x10x16)
//   maxpool 2x2 /2                               (5x5x16)
//   flatten                                      (400)
//   dense 120 relu, dense 84 relu, dense classes (logits; softmax in the loss)
#pragma once

#include "sequential.hpp"

namespace cs {

std::vector<LayerSpec> lenet5_architecture(std::size_t classes = 10);

template <typename T>
std::unique_ptr<Sequential<T>> lenet5(const Shape& input = {28, 28, 1}, std::uint64_t seed = 0,
                                      std::size_t classes = 10)
{
    return make_model<T>(input, lenet5_architecture(classes), seed);
}

} // namespace cs
