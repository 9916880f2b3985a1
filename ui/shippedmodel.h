// The model shipped with ConvScope: a LeNet-5 trained on the shipped digits
// (`convscope-cli train --data digits`), so that the app reads digits from
// the first second.
//
// It is compiled into the program as the Qt resource
// :/models/lenet5-digits.npz when the build found it, so the app works from
// anywhere; otherwise it is read from the source tree
// (${CONVSCOPE_RESOURCES_DIR}/models/lenet5-digits.npz).
#pragma once

#include "model_file.hpp"

#include <QString>

// A file-system path that cs::load_model can open (a resource is copied to a
// temporary file once per run), or "" if there is no shipped model.
QString shippedModelPath();
// The model file; FormatError (cs) if it exists but cannot be read,
// std::runtime_error if there is none.
cs::ModelFile loadShippedModel();
