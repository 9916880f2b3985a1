#include "presets.hpp"

#include "errors.hpp"
#include "lenet5.hpp"

namespace cs {

namespace {

using namespace layers;

constexpr Activation relu_ = Activation::relu;
constexpr Activation tanh_ = Activation::tanh;
constexpr Activation softmax_ = Activation::softmax;

std::vector<LayerSpec> lenet5_1998(std::size_t classes)
{
    return {
        zero_padding2d({2, 2, 2, 2}),                                // 28x28 -> 32x32, as LeCun fed his digits
        conv2d(6, {5, 5}, {1, 1}, Padding::valid, tanh_),            // 28x28x6
        average_pooling2d(),                                         // 14x14x6
        conv2d(16, {5, 5}, {1, 1}, Padding::valid, tanh_),           // 10x10x16
        average_pooling2d(),                                         // 5x5x16
        conv2d(120, {5, 5}, {1, 1}, Padding::valid, tanh_),          // 1x1x120
        flatten(),
        dense(84, tanh_),
        dense(classes, softmax_),
    };
}

std::vector<LayerSpec> tiny(std::size_t classes)
{
    return {conv2d(8, {3, 3}, {1, 1}, Padding::same, relu_), max_pooling2d(), flatten(), dense(classes, softmax_)};
}

std::vector<LayerSpec> wide(std::size_t classes)
{
    return {
        conv2d(32, {3, 3}, {1, 1}, Padding::same, relu_), max_pooling2d(),
        conv2d(64, {3, 3}, {1, 1}, Padding::same, relu_), max_pooling2d(),
        dropout(0.25), flatten(), dense(128, relu_), dropout(0.5), dense(classes, softmax_),
    };
}

std::vector<LayerSpec> all_conv(std::size_t classes)
{
    return {
        conv2d(16, {3, 3}, {1, 1}, Padding::same, relu_), conv2d(16, {3, 3}, {2, 2}, Padding::same, relu_),
        conv2d(32, {3, 3}, {1, 1}, Padding::same, relu_), conv2d(32, {3, 3}, {2, 2}, Padding::same, relu_),
        flatten(), dense(classes, softmax_),
    };
}

} // namespace

const std::vector<Preset>& presets()
{
    static const std::vector<Preset> all{
        {"lenet5", "LeNet-5 as courses teach it: ReLU, max pooling, 'same' first convolution (61,706 parameters "
                   "on digits)"},
        {"lenet5-1998", "LeNet-5 as LeCun had it in 1998: digits padded to 32x32, tanh, average pooling, a "
                        "120-map convolution"},
        {"tiny", "One convolution (8 maps of 3x3), one pooling, one dense layer: trains in seconds"},
        {"wide", "For Fashion-MNIST: 32 and 64 maps of 3x3, dropout, a dense layer of 128"},
        {"all-conv", "No pooling: stride-2 convolutions halve the maps (Springenberg et al., 2015)"},
    };
    return all;
}

bool is_preset(const std::string& name)
{
    for (const Preset& p : presets())
        if (p.name == name) return true;
    return false;
}

Architecture preset_architecture(const std::string& name, const Shape& input, std::size_t classes)
{
    if (input.rank() != 3 || input.elements() == 0)
        throw ShapeError("a preset is made for samples (h, w, c), not " + input.str());
    if (classes < 2) throw ShapeError("a preset needs at least 2 classes, not " + std::to_string(classes));
    std::vector<LayerSpec> specs;
    if (name == "lenet5")
        specs = lenet5_architecture(classes);
    else if (name == "lenet5-1998")
        specs = lenet5_1998(classes);
    else if (name == "tiny")
        specs = tiny(classes);
    else if (name == "wide")
        specs = wide(classes);
    else if (name == "all-conv")
        specs = all_conv(classes);
    else {
        std::string known;
        for (const Preset& p : presets()) known += (known.empty() ? "" : ", ") + p.name;
        throw ShapeError("no architecture is called '" + name + "' (the presets are " + known + ")");
    }
    Architecture a{input, {}};
    for (LayerSpec& s : specs) a.layers.push_back({"", std::move(s)});
    a = with_default_names(std::move(a));
    try {
        check_architecture(a);
    } catch (const ShapeError& e) {
        throw ShapeError("the preset '" + name + "' cannot take samples of " + std::to_string(input[0]) + "x" +
                         std::to_string(input[1]) + "x" + std::to_string(input[2]) + ": " + e.what());
    }
    return a;
}

} // namespace cs
