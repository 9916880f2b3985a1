#include "lenet5.hpp"

namespace cs {

std::vector<LayerSpec> lenet5_architecture(std::size_t classes)
{
    const LayerSpec pool{"max_pooling2d", 0, {2, 2}, {2, 2}, Padding::valid, Activation::linear};
    return {
        {"conv2d", 6, {5, 5}, {1, 1}, Padding::same, Activation::relu},
        pool,
        {"conv2d", 16, {5, 5}, {1, 1}, Padding::valid, Activation::relu},
        pool,
        {"flatten", 0, {0, 0}, {1, 1}, Padding::valid, Activation::linear},
        {"dense", 120, {0, 0}, {1, 1}, Padding::valid, Activation::relu},
        {"dense", 84, {0, 0}, {1, 1}, Padding::valid, Activation::relu},
        {"dense", classes, {0, 0}, {1, 1}, Padding::valid, Activation::linear},
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
