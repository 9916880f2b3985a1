// The parameters shared by the four operations, spelled as in the course.
#pragma once

#include <cstddef>
#include <string>

namespace cs {

enum class Padding { same, valid };
enum class PoolMode { max, avg };
enum class Activation { linear, relu, tanh, sigmoid };

struct Stride {
    std::size_t h = 1;
    std::size_t w = 1;
    friend bool operator==(const Stride&, const Stride&) = default;
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
