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

} // namespace cs
