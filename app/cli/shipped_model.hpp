// Where the model shipped with ConvScope lives (trained on the shipped digits
// by `convscope-cli train`, see the README).
#pragma once

#include <string>

namespace cli {

std::string shipped_model_path();

} // namespace cli
