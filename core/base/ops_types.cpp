#include "ops_types.hpp"

#include "errors.hpp"

namespace cs {

std::string to_string(Padding p) { return p == Padding::same ? "same" : "valid"; }
std::string to_string(PoolMode m) { return m == PoolMode::max ? "max" : "avg"; }
std::string to_string(Activation a)
{
    switch (a) {
    case Activation::linear: return "linear";
    case Activation::relu: return "relu";
    case Activation::tanh: return "tanh";
    case Activation::sigmoid: return "sigmoid";
    case Activation::softmax: return "softmax";
    }
    return "?";
}

Padding parse_padding(const std::string& s)
{
    if (s == "same") return Padding::same;
    if (s == "valid") return Padding::valid;
    throw ShapeError("padding must be 'same' or 'valid', not '" + s + "'");
}

PoolMode parse_pool_mode(const std::string& s)
{
    if (s == "max") return PoolMode::max;
    if (s == "avg" || s == "average") return PoolMode::avg;
    throw ShapeError("pooling mode must be 'max' or 'avg', not '" + s + "'");
}

Activation parse_activation(const std::string& s)
{
    for (Activation a :
         {Activation::linear, Activation::relu, Activation::tanh, Activation::sigmoid, Activation::softmax})
        if (s == to_string(a)) return a;
    throw ShapeError("activation must be linear, relu, tanh, sigmoid or softmax, not '" + s + "'");
}

} // namespace cs
