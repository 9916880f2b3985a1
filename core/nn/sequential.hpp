// Sequential: a stack of layers with one flat parameter vector.
//
// The model owns every buffer a step needs: the output of each layer and the
// gradient of the loss with respect to each layer's output, kept after the
// step so that a viewer can read them (by reference, no copy). It is neither
// copyable nor movable (layers hold views into its buffers): hold it by
// std::unique_ptr.
//
// Two phases: add() only works out shapes and sizes (nothing is allocated,
// every size is overflow-checked), so that what build() would cost can be
// judged first (parameter_count, activations_per_sample, parameter_shapes);
// build() then allocates.
#pragma once

#include "layer.hpp"
#include "tensor.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace cs {

template <typename T>
class Sequential {
public:
    // input: the shape of one sample, (h, w, c).
    explicit Sequential(const Shape& input);
    Sequential(const Sequential&) = delete;
    Sequential& operator=(const Sequential&) = delete;

    // Appends a layer; ShapeError if it cannot take the current output,
    // SizeOverflow if a size would not fit in 64 bits. Allocates no tensor.
    void add(std::unique_ptr<Layer<T>> layer);
    // Allocates the parameters (once, after the last add) and initialises
    // them: He-normal kernels, zero biases, reproducible from the seed.
    void build(std::uint64_t seed);
    // build() without the initialisation: parameters all zero, for weights
    // that are about to be loaded.
    void allocate();
    // ShapeError unless build() can succeed: at least one layer, and flat
    // logits (k,) at the end.
    void check_complete() const;
    void initialize(std::uint64_t seed);

    // Logits (m, k) for a batch (m, h, w, c).
    const Tensor<T>& forward(const Tensor<T>& batch);
    // From dL/dlogits: every layer's parameter gradient and output gradient;
    // dL/d(input) too when asked (a saliency map; training does not need it,
    // and it costs the first layer's col2im).
    void backward(const Tensor<T>& d_logits, bool input_gradient = false);

    arma::Col<T>& parameters() { return params_; }
    const arma::Col<T>& parameters() const { return params_; }
    arma::Col<T>& gradients() { return grads_; }
    const arma::Col<T>& gradients() const { return grads_; }
    // Known from the first add(), before build() allocates anything.
    std::size_t parameter_count() const { return parameter_count_; }
    // Values a forward pass writes per sample: the input, every layer's
    // output and every work buffer (im2col patches). Known before build().
    std::size_t activations_per_sample() const { return activations_per_sample_; }
    // Every parameter with its Keras name ("conv2d/kernel") and shape, in
    // the order of parameters(); known before build().
    std::vector<ParameterShape> parameter_shapes() const;
    // Replaces all parameters at once (loading a model); sizes must agree.
    void set_parameters(const arma::Col<T>& values);

    std::size_t layer_count() const { return layers_.size(); }
    Layer<T>& layer(std::size_t i) { return *layers_[i]; }
    const Layer<T>& layer(std::size_t i) const { return *layers_[i]; }
    const Shape& input_shape() const { return shapes_.front(); }
    // Per-sample shape after layer i.
    const Shape& output_shape(std::size_t i) const { return shapes_[i + 1]; }
    std::size_t classes() const { return shapes_.back()[0]; }
    std::vector<LayerSpec> architecture() const;

    // After forward: the batch output of layer i. After backward: dL/d(output
    // of layer i), and, after backward(..., true), dL/d(input batch).
    const Tensor<T>& output(std::size_t i) const { return outputs_[i]; }
    const Tensor<T>& output_gradient(std::size_t i) const { return d_outputs_[i + 1]; }
    const Tensor<T>& input_gradient() const { return d_outputs_[0]; }
    // The batch given to the last forward.
    const Tensor<T>& input() const { return *input_; }

private:
    std::vector<std::unique_ptr<Layer<T>>> layers_;
    std::vector<Shape> shapes_;       // input, then each layer's output (per sample)
    std::vector<std::size_t> offsets_; // each layer's first parameter
    std::size_t parameter_count_ = 0;
    std::size_t activations_per_sample_ = 0;
    arma::Col<T> params_, grads_;
    std::vector<Tensor<T>> outputs_;   // one per layer
    std::vector<Tensor<T>> d_outputs_; // [0] input, [i+1] output of layer i
    const Tensor<T>* input_ = nullptr;
    bool built_ = false;
};

// Builds a layer from its spec (for model files).
template <typename T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec);

// A model from an input shape and an architecture, initialised from seed.
template <typename T>
std::unique_ptr<Sequential<T>> make_model(const Shape& input, const std::vector<LayerSpec>& layers,
                                          std::uint64_t seed);

} // namespace cs
