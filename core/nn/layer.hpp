// The layer interface of a Sequential model.
//
// A layer is configuration only (filters, kernel, stride, padding,
// activation, its Keras name): it holds neither parameters nor anything of a
// batch, and forward/backward are const, so one layer object serves any
// number of parameter vectors and workspaces at once, from any thread.
//
// Shapes here are per sample, (h, w, c) or (n,); the batch axis m comes first
// at run time. Each pass is given
//   params    this layer's slice of a flat parameter vector (kernel, then bias,
//             in C order with Keras' shapes: parameter_shapes()),
//   scratch   what forward keeps for backward (patches, winners), in the
//             caller's workspace,
// and backward writes (=, not +=) this layer's slice of the flat gradient
// vector, d_params, laid out as params.
#pragma once

#include "checked_arithmetic.hpp"
#include "he_normal.hpp"
#include "ops_types.hpp"
#include "tensor.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace cs {

// Everything that defines a layer's architecture: what a model file stores.
// Each kind reads only its own fields (architecture.hpp builds them by kind):
//   conv2d             units (filters), kernel, stride, padding, activation, use_bias
//   max_pooling2d,
//   average_pooling2d  kernel (pool size), stride (windows may overlap)
//   flatten            -
//   dense              units, activation, use_bias
//   dropout            rate (of the units zeroed in training)
//   activation         activation
//   relu               - (Keras' ReLU layer)
//   rescaling          scale, offset: x * scale + offset
//   zero_padding2d     margins
struct LayerSpec {
    std::string kind;
    std::size_t units = 0; // filters of a conv2d, units of a dense layer
    KernelShape kernel{0, 0};
    Stride stride{1, 1};
    Padding padding = Padding::valid;
    Activation activation = Activation::linear;
    bool use_bias = true;
    double rate = 0;
    double scale = 1, offset = 0;
    Margins margins{};

    friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

// How a forward pass runs. Training turns dropout on, its masks drawn from
// `seed` (the trainer's seed and step; the network mixes in each layer's
// index), so that a step is reproducible bit for bit. Every other pass
// (evaluation, prediction, each view) runs with dropout off.
struct PassMode {
    bool training = false;
    std::uint64_t seed = 0;
    // The pass's first sample within the whole mini-batch, when the pass
    // runs one part of it (the trainer splits a mini-batch across threads):
    // dropout draws each unit's mask from its place in the whole mini-batch,
    // so a split batch is dropped exactly as the whole one would be.
    std::size_t first_sample = 0;
};

// A parameter's name and shape before any memory is assigned to it, and
// where it lies in the model's flat parameter vector.
struct ParameterShape {
    std::string name; // "kernel" or "bias" (a model prefixes the layer's name)
    Shape shape;      // Keras' shape: (kh, kw, c_prev, filters), (n_in, units), (units,)
    std::size_t offset = 0; // its first element in the flat vector (set by the model)
};

template <typename T>
struct NamedTensor {
    std::string name; // "kernel" or "bias", as Keras names them
    Tensor<T> tensor; // a view into a flat parameter (or gradient) vector
};

// What one layer's forward keeps for its backward, beyond its output. One per
// layer in a Workspace; each kind of layer uses its own fields, the others
// stay empty. Buffers are resized, never shrunk: once warm they allocate
// nothing.
template <typename T>
struct LayerScratch {
    // Conv2D: im2col of the input, (kh*kw*c_prev, m*h_out*w_out); for a
    // direct convolution (direct_conv.hpp) the input's padded planes,
    // (direct_conv_kept_rows, m), in the same buffer.
    arma::Mat<T> patches;
    // Conv2D: dP = Wm^T dZ, same shape (backward's scratch); a direct
    // convolution's weight gradient uses it first, for a few KB of scratch.
    arma::Mat<T> d_patches;
    Tensor<T> d_z;          // Conv2D, Dense: dL/dZ, the pre-activation gradient (the output's shape)
    // Dropout in training: each unit's factor, 0 (dropped) or 1/(1-rate);
    // empty after an inference pass (backward then passes dA through).
    std::vector<T> mask;
    // Max pooling: for each output cell, the flat index into the input of
    // its window's winner (what the gradient view highlights).
    std::vector<std::uint32_t> winners;
};

template <typename T>
class Layer {
public:
    virtual ~Layer() = default;

    virtual LayerSpec spec() const = 0;
    std::string kind() const { return spec().kind; }
    // Keras' default name: conv2d, conv2d_1, dense_2... (set by the model
    // while it is assembled, before anyone shares it).
    const std::string& name() const { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }

    // Output shape for one sample of shape `input`; ShapeError if it can't take it.
    virtual Shape output_shape(const Shape& input) const = 0;

    // The parameters this layer needs for an input of shape `input`, known
    // before anything is allocated (what a model file must hold for it), in
    // the order of its slice of the flat vector.
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
    // Multiply-adds of one sample's forward pass: the GEMM-shaped work
    // (convolutions, dense layers), which the speed is measured against; the
    // element-wise passes (activations, pooling) count none. The backward
    // pass costs as much again for the weight gradient, and again for the
    // input gradient when one is needed.
    virtual std::size_t forward_multiply_adds(const Shape& /*input*/) const { return 0; }
    // Fills this layer's slice `params` for an input of shape `input`:
    // He-normal kernels, zero biases.
    virtual void initialize(HeNormal& /*init*/, const Shape& /*input*/, T* /*params*/) const {}

    // out = layer(in) for a batch; out and scratch are resized (their buffers
    // reused). The caller has checked that `in` has this layer's input shape.
    virtual void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                         const PassMode& mode) const = 0;
    // From dL/d out: writes this layer's parameter gradients into d_params
    // and, if d_in is given, dL/d in. in, out and scratch are those of the
    // forward pass of the same batch.
    virtual void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                          LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const = 0;

private:
    std::string name_;
};

} // namespace cs
