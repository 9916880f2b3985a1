// Models trained in Keras, opened as they are on the student's disk.
//
//   model.save('m.h5')        Keras 2.x, tf.keras 2.x and Keras 3 (legacy
//                             HDF5): the architecture is the root attribute
//                             model_config (architecture_json.hpp reads it),
//                             the weights are model_weights/<layer>/<name>
//                             for each name in the group's weight_names
//   model.save('m.keras')     Keras 3: a zip of config.json (the
//                             architecture) and model.weights.h5, whose
//                             weights are layers/<class in snake_case, with
//                             a counter>/vars/0, 1 (conv2d, conv2d_1,
//                             dense...), or the layer whose name is the
//                             `vars` group's `name` attribute when it has one
//   model.save_weights('w.h5')  weights only: tf.keras 2.x (layer groups and
//                             layer_names at the root) or Keras 3
//                             (x.weights.h5, as in a .keras); loaded into an
//                             architecture given apart (the person's
//                             model.to_json(), or the model in the window)
//
// The paths of the weights are those the file lists; none is made up. A
// layer's weights are taken in Keras' order (kernel, then bias) and layers
// are matched as Keras' load_weights matches them: the layers that have
// weights, in order. Every shape is checked against the architecture, from
// the datasets' headers, before the model is allocated.
//
// Refused with a FormatError that names the file and says what is
// supported: a layer ConvScope does not have (BatchNormalization,
// Conv2DTranspose...), a functional model that is not a single chain, a
// TensorFlow SavedModel folder or TF1 checkpoint, a weights-only file opened
// as a model, any damage.
#pragma once

#include "model_file.hpp"

#include <span>
#include <string>

namespace cs {

// Whether `path` is a Keras file (.h5, .hdf5, .keras, or a file with HDF5's
// signature), as opposed to a ConvScope model (.npz).
bool is_keras_file(const std::string& path);

// FormatError saying what `path` is and what to do instead, when it is a
// TensorFlow format that holds no Keras model ConvScope can read (a
// SavedModel folder, a TF1 checkpoint, a frozen graph); nothing otherwise.
void refuse_tensorflow_formats(const std::string& path);

// A full Keras model: architecture and weights. The TrainingState is the
// defaults (the file's optimizer is not read) and the history is empty;
// `origin` says which Keras wrote it.
ModelFile load_keras_model(const std::string& path);
// A Keras file's image held in memory (`name` is used in
// messages): what the fuzz target reads.
ModelFile load_keras_model_bytes(std::span<const std::byte> bytes, const std::string& name);

// The architecture alone, its weights not read.
Architecture load_keras_architecture(const std::string& path);

// Whether the Keras file holds weights only (model.save_weights).
bool is_keras_weights_only(const std::string& path);

// The weights of any Keras file (weights only, or a full model's) into
// `model`, an allocated model of the architecture they were saved from:
// FormatError naming the layer when the layers with weights or their shapes
// differ. The model is unchanged unless every weight was read.
void load_keras_weights(const std::string& path, Sequential<float>& model);

// Keras' name for the saving path of a layer class: "Conv2D" -> "conv2d",
// "MaxPooling2D" -> "max_pooling2d", "ReLU" -> "re_lu" (keras.utils.naming.to_snake_case).
std::string keras_snake_case(const std::string& class_name);

} // namespace cs
