// The model shipped with ConvScope: LeNet-5 trained on the shipped digits
// (`convscope-cli train --data digits --epochs 10 --seed 1`, see the README),
// compiled into the library (embedded_resources.hpp), so that the app reads
// digits from its first second and `predict` needs no model argument. It
// is a format-1 model file (model_file.hpp), kept so to prove that old
// files open; remade, it becomes format 2.
#pragma once

#include "model_file.hpp"

#include <string>

namespace cs {

// The name that stands for the shipped model wherever a model file's path is
// taken (`convscope-cli eval shipped`, the window's Restore action).
inline constexpr const char* shipped_model_name = "shipped";

// FormatError if this build holds no shipped model (or a damaged one).
ModelFile load_shipped_model();

// The shipped model for "shipped", else the model file at that path: a
// ConvScope model (.npz) or a Keras model (.h5, .keras; keras_file.hpp, read
// in a child process: keras_reader_process.hpp). KerasWeightsOnly for a
// Keras file of weights only.
ModelFile open_model(const std::string& spec);
// A model of `architecture` with the weights of `spec`: a Keras file
// (weights only, or a whole model's), a ConvScope model or weights .npz
// (keyed by the layers' names), or "shipped". FormatError naming the file
// and the layer when the weights do not fit the architecture.
ModelFile open_model(const std::string& spec, const Architecture& architecture);

} // namespace cs
