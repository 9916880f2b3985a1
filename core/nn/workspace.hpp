// Workspace: everything one forward/backward pass of a batch writes (llm.c's
// ActivationTensors, beside the model's ParameterTensors).
//
// For a network of L layers and a batch of m samples:
//   input              the batch of the last forward (m, h, w, c), a copy
//   output(i)          A_i, the output of layer i (m, per-sample shape i)
//   output_gradient(i) dA_i = dL/dA_i after backward, same shape
//   input_gradient()   dL/d input (m, h, w, c), after backward(..., true)
//   scratch(i)         what layer i's forward keeps for its backward
//                      (im2col patches, pooling winners)
//   gradients()        dL/d parameters, flat and laid out as the parameters
//
// A plain object: it belongs to no model, and any number of them can serve
// one network, one per batch size or thread (a training step, an
// evaluation, the pinned sample, a drawing). Buffers grow to the largest
// batch seen and are then reused: once warm, a pass allocates nothing.
// What it holds stays readable until the next pass through it.
#pragma once

#include "layer.hpp"
#include "tensor.hpp"

#include <vector>

namespace cs {

template <typename T>
class Network;

template <typename T>
class Workspace {
public:
    const Tensor<T>& input() const { return input_; }
    const Tensor<T>& output(std::size_t i) const { return outputs_.at(i); }
    const Tensor<T>& output_gradient(std::size_t i) const { return d_outputs_.at(i + 1); }
    const Tensor<T>& input_gradient() const { return d_outputs_.at(0); }
    const LayerScratch<T>& scratch(std::size_t i) const { return scratch_.at(i); }
    const arma::Col<T>& gradients() const { return d_params_; }
    // Trades the gradients for another buffer without copying (a trainer's
    // shard keeps them; its old buffer, of the same size once warm, is
    // overwritten by the next backward).
    void swap_gradients(arma::Col<T>& other) { d_params_.swap(other); }
    // Samples in the last forward (0 before any).
    std::size_t batch_size() const { return input_.rank() ? input_.dim(0) : 0; }

private:
    friend class Network<T>;

    Tensor<T> input_;
    std::vector<Tensor<T>> outputs_;        // [i] output of layer i
    std::vector<Tensor<T>> d_outputs_;      // [0] the input's gradient, [i+1] layer i's output's
    std::vector<LayerScratch<T>> scratch_;  // [i] layer i's
    arma::Col<T> d_params_;
    // The layer count of the network whose forward filled outputs_ (0: none
    // yet), so that backward refuses a workspace no forward has prepared.
    std::size_t forward_layers_ = 0;
};

} // namespace cs
