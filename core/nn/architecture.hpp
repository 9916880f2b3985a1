// Architecture: a model's input shape and its layers by name, before
// anything is built (what Keras' model.to_json() says of a Sequential
// model, what a model file stores, what the window's designer edits).
//
//   input (h, w, c) -> layers[0] -> ... -> layers[L-1] -> logits (k,)
//
// Shapes follow TensorFlow (per sample, the batch axis left out):
//   Conv2D   'same':  h_out = ceil(h / sh)
//            'valid': h_out = floor((h - kh) / sh) + 1   (needs h >= kh)
//   pooling  'valid' as above; windows may overlap (stride < pool size)
//   ZeroPadding2D     h_out = top + h + bottom
//   Flatten           (h, w, c) -> (h*w*c,)
//   Dense             (n,) -> (units,): it needs a flat input
//   Dropout, Activation, ReLU, Rescaling keep the shape.
// infer_shapes() works every layer out and says, for each, how (the
// formula) or why not (the error), so that a designer can mark the layer
// and a file reader can name it.
#pragma once

#include "layer.hpp"
#include "sequential.hpp"
#include "tensor.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cs {

struct NamedLayer {
    std::string name; // "conv2d", "dense_1": the prefix of its weights' names
    LayerSpec spec;

    friend bool operator==(const NamedLayer&, const NamedLayer&) = default;
};

struct Architecture {
    Shape input; // one sample: (h, w, c)
    std::vector<NamedLayer> layers;

    friend bool operator==(const Architecture&, const Architecture&) = default;
};

// A layer spec of each kind, with Keras' defaults for what is not given.
namespace layers {
LayerSpec conv2d(std::size_t filters, KernelShape kernel, Stride stride = {1, 1}, Padding padding = Padding::valid,
                 Activation activation = Activation::linear, bool use_bias = true);
LayerSpec max_pooling2d(KernelShape pool = {2, 2}, Stride stride = {2, 2});
LayerSpec average_pooling2d(KernelShape pool = {2, 2}, Stride stride = {2, 2});
LayerSpec flatten();
LayerSpec dense(std::size_t units, Activation activation = Activation::linear, bool use_bias = true);
LayerSpec dropout(double rate);
LayerSpec activation(Activation activation);
LayerSpec relu();
LayerSpec rescaling(double scale, double offset = 0);
LayerSpec zero_padding2d(Margins margins);
} // namespace layers

// Every layer kind, in the order a designer offers them.
const std::vector<std::string>& layer_kinds();
// Keras' class name of a kind: "Conv2D" for "conv2d". ShapeError if unknown.
std::string keras_class_name(const std::string& kind);
// The kind of a Keras class name, or "" if ConvScope has no such layer.
std::string kind_of_keras_class(const std::string& class_name);
// One line a person reads: "Conv2D 6@5x5 same relu", "MaxPooling2D 2x2 /2".
std::string describe(const LayerSpec& spec);

// One layer as shape inference sees it.
struct LayerShapes {
    Shape input;                // per sample; empty if an earlier layer is invalid
    Shape output;               // empty if this layer is invalid
    std::size_t parameters = 0; // kernel and bias values
    // How the output shape was worked out, a line per axis that changes:
    // "h_out = ceil(28 / 2) = 14", "h_out = floor((14 - 5) / 1) + 1 = 10".
    std::string formula;
    // Why the layer cannot be built, naming the shapes ("" if it can).
    std::string error;
};

// Each layer in turn, never throwing: a layer after an invalid one has the
// error "follows an invalid layer". Besides each layer's own shape rules,
// it refuses what the network as a whole cannot have: softmax anywhere but
// the last layer, and a last layer that does not give flat logits.
std::vector<LayerShapes> infer_shapes(const Architecture& architecture);
// ShapeError with the first problem, naming the layer and its shapes
// ("layer 3 'conv2d_1' (Conv2D 16@5x5 valid relu): ..."), or the whole
// ("no layers"); nothing is allocated.
void check_architecture(const Architecture& architecture);
// What Keras' model.summary() prints (Keras 2's layout): each layer's name
// (type), output shape (None, ...) and parameter count, then the totals.
// ShapeError as check_architecture.
std::string keras_summary(const Architecture& architecture, const std::string& model_name = "sequential");
// Gives every unnamed layer Keras' default name ("conv2d", "conv2d_1").
Architecture with_default_names(Architecture architecture);

// The model of an architecture (names kept), initialised from seed:
// He-normal kernels, zero biases. ShapeError as check_architecture.
template <typename T>
std::unique_ptr<Sequential<T>> make_model(const Architecture& architecture, std::uint64_t seed);
// A built model's architecture, names included.
template <typename T>
Architecture architecture_of(const Sequential<T>& model);
template <typename T>
Architecture architecture_of(const Network<T>& network);

} // namespace cs
