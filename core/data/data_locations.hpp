// Where installed data sets are found: the folders that may hold them, in the
// order they are searched (the most personal first), as the XDG Base
// Directory specification has it:
//
//   $CONVSCOPE_DATA_DIR                    a folder the user points at
//   $XDG_DATA_HOME/convscope               default ~/.local/share/convscope
//                                          (scripts/setup.sh fetches MNIST here)
//   <dir>/convscope for each <dir> of $XDG_DATA_DIRS
//                                          default /usr/local/share:/usr/share
//                                          (the .deb installs MNIST in /usr/share)
//   <prefix>/share/convscope               where `cmake --install` put the program
//
// A data set `name` lives in <folder>/<name> (mnist/, fashion-mnist/) as four
// MNIST-format IDX files, plain or .gz. Fashion-MNIST is also taken from
// Debian's dataset-fashion-mnist package (/usr/share/datasets/fashion-mnist).
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

namespace cs {

inline constexpr const char* debian_fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";

// The folders above that this environment names (whether or not they exist),
// without duplicates.
std::vector<std::filesystem::path> data_search_path();

// The folders where the installed data set `name` ("mnist", "fashion-mnist")
// is looked for, in order.
std::vector<std::filesystem::path> dataset_candidates(std::string_view name);

// The first of those folders that holds the four IDX files, or an empty path.
std::filesystem::path find_installed_dataset(std::string_view name);

// True if `folder` holds train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each plain or .gz.
bool has_idx_set(const std::filesystem::path& folder);

} // namespace cs
