#include "lenet5.hpp"

#include "architecture.hpp"

namespace cs {

std::vector<LayerSpec> lenet5_architecture(std::size_t classes)
{
    using namespace layers;
    const Activation relu = Activation::relu;
    return {
        conv2d(6, {5, 5}, {1, 1}, Padding::same, relu),   max_pooling2d(),
        conv2d(16, {5, 5}, {1, 1}, Padding::valid, relu), max_pooling2d(),
        flatten(),
        dense(120, relu),
        dense(84, relu),
        dense(classes), // logits: the loss applies the softmax (the shipped model's files say linear)
    };
}

} // namespace cs
