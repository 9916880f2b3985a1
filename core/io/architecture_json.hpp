// An architecture as Keras writes it: the text of `model.to_json()` for a
// Sequential model, restricted to the layers ConvScope has. For LeNet-5:
//
//   {"class_name": "Sequential", "config": {"name": "sequential", "layers": [
//     {"class_name": "InputLayer",
//      "config": {"name": "input", "batch_input_shape": [null, 28, 28, 1], "dtype": "float32"}},
//     {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 6, "kernel_size": [5, 5],
//                                         "strides": [1, 1], "padding": "same", "activation": "relu"}},
//     {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2],
//                                               "strides": [2, 2], "padding": "valid"}},
//     ...
//     {"class_name": "Flatten", "config": {"name": "flatten"}},
//     {"class_name": "Dense", "config": {"name": "dense", "units": 120, "activation": "relu"}},
//     ...]}}
//
// Layers (architecture.hpp): Conv2D (filters, kernel_size, strides,
// padding, activation, use_bias), MaxPooling2D and AveragePooling2D
// (pool_size, strides, padding "valid": pooling never pads), Flatten, Dense
// (units, activation, use_bias), Dropout (rate), Activation (activation),
// ReLU (Keras' defaults only), Rescaling (scale, offset) and ZeroPadding2D
// (padding: n, [h, w] or [[top, bottom], [left, right]]). padding is "same"
// or "valid"; activation "linear", "relu", "tanh", "sigmoid" or "softmax"
// (softmax on the last layer only: it belongs to the loss). The input is
// the first layer, an InputLayer whose batch_input_shape (Keras 2; Keras
// 3's batch_shape is read too) is [null, h, w, c]. Every `name` is kept: it
// keys the layer's weights ("conv2d/kernel").
//
// What Keras writes into model files is read as well: Keras 2.3's
// Sequential models whose first layer carries the batch_input_shape (no
// InputLayer), Keras 3's (module, registered_name, build_config, dtype
// policies), and functional models ("Functional", or "Model" before tf.keras
// 2.4) whose layers form one chain from one InputLayer to the output,
// followed through inbound_nodes in Keras 2's and Keras 3's forms. A shared
// layer, a layer with two inputs or an output that feeds two layers is
// refused, naming the layer.
//
// Reading is strict: an unknown class_name, a missing field, a field of the
// wrong type or out of range (counts 1 to 2^20, kernel sizes and strides 1
// to 1024, input sides 1 to 4096, padding 0 to 1024) is a FormatError naming
// the file and the layer. Settings that would change the numbers (a
// dilation_rate or groups other than 1, data_format channels_first, a ReLU
// with a max_value, a Dropout noise_shape) are refused the same way; other
// keys (dtype, trainable, initialisers...) change nothing here and are
// ignored. Whether the layers fit together is architecture.hpp's to say.
#pragma once

#include "architecture.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cs {

// The text (UTF-8 JSON, keys in the order above): on one line, or indented
// by `indent` spaces a level (for a file a person reads).
std::string architecture_to_json(const Architecture& architecture, int indent = -1);

// The architecture in `text`; `where` starts every message ("m.npz: ...").
// More than `max_layers` layers (besides the InputLayer) is refused before
// any layer is looked at, and so is a text nested deeper than Keras nests.
Architecture architecture_from_json(std::string_view text, const std::string& where, std::size_t max_layers);

} // namespace cs
