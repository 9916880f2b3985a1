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

void check_lenet5_input(const Shape& input, std::size_t classes, const std::string& name)
{
    Sequential<float> model(input); // shapes only: add() allocates nothing
    try {
        for (const LayerSpec& spec : lenet5_architecture(classes)) model.add(make_layer<float>(spec));
    } catch (const ShapeError& e) {
        throw ShapeError(name + ": LeNet-5 cannot be trained on images of " + std::to_string(input[0]) + "x" +
                         std::to_string(input[1]) + "x" + std::to_string(input[2]) +
                         " (it takes 12x12 and larger): " + e.what());
    }
}

} // namespace cs
