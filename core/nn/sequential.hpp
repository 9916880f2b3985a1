// Sequential: a model, i.e. a Network (the architecture, shared read-only)
// and one flat parameter vector laid out by it.
//
// The model keeps no batch: a forward or backward pass is given a Workspace
// (workspace.hpp) that holds every buffer of that batch, and is const on the
// model. Keep one workspace per use (training, evaluation, one sample) and
// none of them disturbs another.
//
// Another thread reads the model through network() and a copy of the
// parameters (snapshot()): both are immutable, so that thread never reads
// parameters a training step is writing, and builds no model of its own.
//
// Two phases: add() only works out shapes and sizes (nothing is allocated,
// every size is overflow-checked), so that what build() would cost can be
// judged first (parameter_count, activations_per_sample, parameter_shapes);
// build() then allocates and freezes the architecture. The model is neither
// copyable nor movable: hold it by std::unique_ptr.
#pragma once

#include "layer.hpp"
#include "network.hpp"
#include "tensor.hpp"
#include "workspace.hpp"

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
    void check_complete() const { network_->check_complete(); }
    void initialize(std::uint64_t seed);

    // Logits (m, k) for a batch (m, h, w, c), every layer's output left in
    // the workspace. See Network::forward.
    const Tensor<T>& forward(const Tensor<T>& batch, Workspace<T>& workspace, const PassMode& mode = {}) const;
    // From dL/dlogits of the last forward through `workspace`: the parameter
    // gradients and every output gradient, into the workspace; dL/d(input)
    // too when asked. See Network::backward.
    void backward(const Tensor<T>& d_logits, Workspace<T>& workspace, bool input_gradient = false) const;

    arma::Col<T>& parameters() { return params_; }
    const arma::Col<T>& parameters() const { return params_; }
    // A copy of the parameters as they are now, for another thread (the
    // window): no later step changes it.
    std::shared_ptr<const arma::Col<T>> snapshot() const { return std::make_shared<const arma::Col<T>>(params_); }
    // Replaces all parameters at once (loading a model); sizes must agree.
    void set_parameters(const arma::Col<T>& values);
    // Layer i's parameters ("kernel", "bias") as views into parameters().
    std::vector<NamedTensor<T>> layer_parameters(std::size_t i);

    // The architecture, frozen by build() or allocate() (ShapeError before).
    const Network<T>& network() const { return *shared_network(); }
    std::shared_ptr<const Network<T>> shared_network() const;

    // Known from the first add(), before build() allocates anything.
    std::size_t parameter_count() const { return network_->parameter_count(); }
    std::size_t activations_per_sample() const { return network_->activations_per_sample(); }
    std::vector<ParameterShape> parameter_shapes() const { return network_->parameter_shapes(); }
    std::size_t layer_count() const { return network_->layer_count(); }
    const Layer<T>& layer(std::size_t i) const { return network_->layer(i); }
    const Shape& input_shape() const { return network_->input_shape(); }
    // Per-sample shape after layer i.
    const Shape& output_shape(std::size_t i) const { return network_->output_shape(i); }
    std::size_t classes() const { return network_->classes(); }
    std::vector<LayerSpec> architecture() const { return network_->architecture(); }

private:
    // Mutable only until built; then shared read-only (shared_network()).
    std::shared_ptr<Network<T>> network_;
    arma::Col<T> params_;
    bool built_ = false;
};

// Builds a layer from its spec; ShapeError for an impossible setting (a
// stride of 0, a dropout rate of 1...). Make models with make_model
// (architecture.hpp), which names the layers.
template <typename T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& spec);

// A model from an input shape and unnamed layers (Keras' default names),
// initialised from seed.
template <typename T>
std::unique_ptr<Sequential<T>> make_model(const Shape& input, const std::vector<LayerSpec>& layers,
                                          std::uint64_t seed);

} // namespace cs
