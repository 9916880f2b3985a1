// The parameters shared by the four operations, spelled as in the course.
#pragma once

#include <cstddef>
#include <string>

namespace cs {

enum class Padding { same, valid };
enum class PoolMode { max, avg };
// softmax: only on a model's last layer, where it is fused with the
// cross-entropy loss (DESIGN.md): that layer passes its logits on unchanged
// and the loss applies the softmax.
enum class Activation { linear, relu, tanh, sigmoid, softmax };

struct Stride {
    std::size_t h = 1;
    std::size_t w = 1;
    friend bool operator==(const Stride&, const Stride&) = default;
};

// ZeroPadding2D's zeros on each side.
struct Margins {
    std::size_t top = 0, bottom = 0, left = 0, right = 0;
    friend bool operator==(const Margins&, const Margins&) = default;
};

struct KernelShape {
    std::size_t h = 2;
    std::size_t w = 2;
    friend bool operator==(const KernelShape&, const KernelShape&) = default;
};

std::string to_string(Padding p);
std::string to_string(PoolMode m);
std::string to_string(Activation a);
// Parse the names above ("same", "max", "relu", ...); ShapeError on anything else.
Padding parse_padding(const std::string& s);
PoolMode parse_pool_mode(const std::string& s);
Activation parse_activation(const std::string& s);

} // namespace cs
