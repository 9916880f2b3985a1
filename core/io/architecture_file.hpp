// An architecture as a person names it: on the command line (`--arch`), in
// the window's Open Architecture dialog, or in the bench.
//
//   "lenet5", "tiny"...  a preset (presets.hpp), made for the data's sample
//                        shape and class count
//   FILE.json            Keras' model.to_json() text (architecture_json.hpp):
//                        its input shape is the file's own
//   MODEL.npz            a model file: the architecture it stores
//   MODEL.h5, .keras     a Keras model (keras_file.hpp): its architecture
//
// Every problem is an exception with a one-line message: FormatError naming
// the file for one that cannot be read, ShapeError for an architecture that
// does not fit together (naming the layer) or does not fit the data.
#pragma once

#include "architecture.hpp"

#include <filesystem>
#include <string>

namespace cs {

// JSON files larger than this are refused before they are read (Keras
// writes well under 1 kB a layer).
inline constexpr std::size_t architecture_file_max_bytes = std::size_t(1) << 20;

Architecture load_architecture(const std::string& name_or_path, const Shape& input, std::size_t classes);
// A Keras JSON file, checked to fit together.
Architecture read_architecture_file(const std::filesystem::path& path);
// Written whole or not at all (atomic_file.hpp), indented for a person to read.
void write_architecture_file(const std::filesystem::path& path, const Architecture& architecture);

// ShapeError unless a model of `architecture` can be trained on samples of
// `input` with `classes` classes: "arch.json takes 32x32x3 samples, but
// digits has 28x28x1".
void check_fits_data(const Architecture& architecture, const Shape& input, std::size_t classes,
                     const std::string& data_name);

} // namespace cs
