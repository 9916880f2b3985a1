// The layer interface of a Sequential model.
//
// Shapes here are per sample, (h, w, c) or (n,); the batch axis m comes first
// at run time. A layer's parameters are views into the model's one flat
// parameter vector (bind), so the optimizer is one loop over one buffer.
// Forward keeps what backward needs (patches, winners); backward receives the
// layer's input and output (held by the model) and the gradient of the loss
// with respect to that output.
#pragma once

#include "checked_arithmetic.hpp"
#include "he_normal.hpp"
#include "ops_types.hpp"
#include "tensor.hpp"

#include <string>
#include <vector>

namespace cs {

// Everything that defines a layer's architecture: what a model file stores.
struct LayerSpec {
    std::string kind; // "conv2d", "max_pooling2d", "average_pooling2d", "flatten", "dense"
    std::size_t units = 0; // filters of a conv2d, units of a dense layer
    KernelShape kernel{0, 0};
    Stride stride{1, 1};
    Padding padding = Padding::valid;
    Activation activation = Activation::linear;

    friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

// A parameter's name and shape before any memory is assigned to it.
struct ParameterShape {
    std::string name; // "kernel" or "bias" (a model prefixes the layer's name)
    Shape shape;      // Keras' shape: (kh, kw, c_prev, filters), (n_in, units), (units,)
};

template <typename T>
struct NamedTensor {
    std::string name; // "kernel" or "bias", as Keras names them
    Tensor<T> tensor; // a view into the model's parameters (or gradients)
};

// A second view of the same memory (copying a Tensor copies its values).
template <typename T>
Tensor<T> alias(Tensor<T>& t)
{
    return Tensor<T>::view(t.data(), t.shape());
}

// {"kernel", kernel}, {"bias", bias} as views. (Built with push_back of
// temporaries: an initializer_list would copy the tensors, and a copy of a
// Tensor owns its values.)
template <typename T>
std::vector<NamedTensor<T>> kernel_and_bias(Tensor<T>& kernel, Tensor<T>& bias)
{
    std::vector<NamedTensor<T>> v;
    v.reserve(2);
    v.push_back({"kernel", alias(kernel)});
    v.push_back({"bias", alias(bias)});
    return v;
}

template <typename T>
class Layer {
public:
    virtual ~Layer() = default;

    virtual LayerSpec spec() const = 0;
    std::string kind() const { return spec().kind; }
    // Keras' default name: conv2d, conv2d_1, dense_2... (set by the model).
    const std::string& name() const { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }

    // Output shape for one sample of shape `input`; ShapeError if it can't take it.
    virtual Shape output_shape(const Shape& input) const = 0;

    // The parameters this layer needs for an input of shape `input`, known
    // before anything is allocated (what a model file must hold for it).
    virtual std::vector<ParameterShape> parameter_shapes(const Shape& /*input*/) const { return {}; }
    // Their total size; SizeOverflow rather than a wrapped count.
    std::size_t parameter_count(const Shape& input) const
    {
        std::size_t total = 0;
        for (const ParameterShape& p : parameter_shapes(input))
            total = checked_add(total, p.shape.elements(), "a layer's parameter count");
        return total;
    }
    // Values one forward pass writes per sample: the output, plus whatever
    // work buffer the layer keeps (a convolution's im2col patches).
    virtual std::size_t forward_elements(const Shape& input) const { return output_shape(input).elements(); }
    // Called once by the model: input shape known, parameter memory assigned.
    virtual void bind(const Shape& /*input*/, T* /*params*/, T* /*grads*/) {}
    virtual void initialize(HeNormal& /*init*/) {}
    virtual std::vector<NamedTensor<T>> parameters() { return {}; }
    virtual std::vector<NamedTensor<T>> gradients() { return {}; }

    // out = layer(in) for a batch; out is resized (its buffer reused).
    virtual void forward(const Tensor<T>& in, Tensor<T>& out) = 0;
    // Writes this layer's parameter gradients and, if d_in is given, dL/d in.
    virtual void backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in) = 0;

private:
    std::string name_;
};

} // namespace cs
