// Network: the architecture of a Sequential model, apart from its parameters
// and from any batch (llm.c keeps ParameterTensors and ActivationTensors
// apart; this is the config that both are laid out by).
//
//   input (h, w, c) -> layer 0 -> ... -> layer L-1 -> logits (k,)
//   parameters: one flat vector of parameter_count() values, layer i's slice
//   starting at parameter_offset(i) (kernel, then bias, Keras' shapes)
//
// Once assembled (by Sequential, which owns it until then) a network is
// immutable and held as std::shared_ptr<const Network>: forward and backward
// are const and keep nothing, and are given
//   params     any flat vector of the right size: the model's own, or a
//              snapshot another thread copied out of it;
//   workspace  the buffers of that batch (workspace.hpp), one per caller.
// So one network serves the training step, an evaluation and the window's
// drawing at once, each with its own workspace, without copies of the model;
// a thread that reads a parameter snapshot never sees a half-made update.
#pragma once

#include "layer.hpp"
#include "workspace.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace cs {

template <typename T>
class Network {
public:
    // input: the shape of one sample, (h, w, c).
    explicit Network(const Shape& input);
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // Appends a layer (while the network is assembled, before it is shared);
    // ShapeError if it cannot take the current output, SizeOverflow if a size
    // would not fit in 64 bits. A refused layer leaves the network as it was.
    // A layer without a name is given Keras' default ("conv2d", "conv2d_1").
    void add(std::unique_ptr<Layer<T>> layer);
    // ShapeError unless the network is usable: at least one layer, and flat
    // logits (k,) at the end.
    void check_complete() const;

    std::size_t parameter_count() const { return parameter_count_; }
    // Values a forward pass writes per sample: the input, every layer's
    // output and every work buffer (im2col patches).
    std::size_t activations_per_sample() const { return activations_per_sample_; }
    // Multiply-adds per sample of a forward pass, and of a training step
    // (forward, then backward: every weight gradient, and every input
    // gradient but the first layer's). Layer::forward_multiply_adds says
    // what counts.
    std::size_t forward_multiply_adds() const;
    std::size_t training_multiply_adds() const;
    // Every parameter with its Keras name ("conv2d/kernel"), shape and
    // offset, in the order of the flat vector.
    std::vector<ParameterShape> parameter_shapes() const;
    // Layer i's parameters ("kernel", "bias"), offsets into the flat vector.
    std::vector<ParameterShape> layer_parameter_shapes(std::size_t i) const;

    std::size_t layer_count() const { return layers_.size(); }
    const Layer<T>& layer(std::size_t i) const { return *layers_.at(i); }
    const Shape& input_shape() const { return shapes_.front(); }
    // Per-sample shape after layer i.
    const Shape& output_shape(std::size_t i) const { return shapes_.at(i + 1); }
    std::size_t classes() const { return shapes_.back()[0]; }
    std::vector<LayerSpec> architecture() const;

    // He-normal kernels and zero biases in params (resized to
    // parameter_count()), reproducible bit for bit from the seed.
    void initialize(arma::Col<T>& params, std::uint64_t seed) const;

    // Logits (m, k) for a batch (m, h, w, c): every layer's output is left in
    // the workspace (the returned reference is its last one). ShapeError if
    // the batch or params do not fit.
    // mode: dropout on only in training (layer.hpp's PassMode); each layer
    // draws its masks from mode.seed mixed with its index.
    const Tensor<T>& forward(const arma::Col<T>& params, const Tensor<T>& batch, Workspace<T>& workspace,
                             const PassMode& mode = {}) const;
    // From dL/dlogits of the last forward through `workspace` (with the same
    // params): every parameter gradient and output gradient, into the
    // workspace; dL/d(input) too when asked (a saliency map; training does
    // not need it, and it costs the first layer's col2im).
    void backward(const arma::Col<T>& params, const Tensor<T>& d_logits, Workspace<T>& workspace,
                  bool input_gradient = false) const;

private:
    void check_parameters(const arma::Col<T>& params) const;

    std::vector<std::unique_ptr<Layer<T>>> layers_;
    std::vector<Shape> shapes_;        // input, then each layer's output (per sample)
    std::vector<std::size_t> offsets_; // each layer's first parameter
    std::size_t parameter_count_ = 0;
    std::size_t activations_per_sample_ = 0;
};

} // namespace cs
