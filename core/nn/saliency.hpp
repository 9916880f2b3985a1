// One sample's backward pass for a class of the user's choosing: what the
// gradient view draws.
//
//   sample x (1, h, w, c) or (h, w, c); target class t
//   forward: z = model(x) (1, k); p = softmax(z)
//   L = -log p[t]  (cross-entropy as if t were the label)
//   dL/dz = p - onehot(t)                       (loss.hpp, m = 1)
//   then Network::backward(dL/dz, input_gradient = true):
//   dA_i = dL/d(output of layer i) for every layer, and dL/dx, the saliency.
// Signs: a negative dA means "more of this activation raises p[t]" (lowers L).
// Max pooling routes each dA to its window's first maximum, so the dA of the
// layer before a max pool is zero everywhere but at the winners
// (the workspace's scratch(i).winners).
//
// Both run on any parameter vector of the network (the model's, or a
// snapshot of it) through the caller's workspace, which they overwrite:
// give them one of their own, not the trainer's.
#pragma once

#include "network.hpp"

#include <cstddef>
#include <vector>

namespace cs {

template <typename T>
struct SampleGradients {
    std::size_t target = 0;
    std::size_t predicted = 0;
    double loss = 0;                          // -log p[target]
    std::vector<T> probabilities;             // softmax(z), (k)
    std::vector<Tensor<T>> outputs;           // A_i, one per layer, per-sample shape
    std::vector<Tensor<T>> output_gradients;  // dA_i = dL/dA_i, same shapes
    Tensor<T> input_gradient;                 // dL/dx (h, w, c): the saliency map
};

// ShapeError if the sample does not fit the model or target >= classes.
template <typename T>
SampleGradients<T> sample_gradients(const Network<T>& network, const arma::Col<T>& params, const Tensor<T>& sample,
                                    std::size_t target, Workspace<T>& workspace);

// Class probabilities for one sample (h, w, c) or (1, h, w, c).
template <typename T>
std::vector<T> classify(const Network<T>& network, const arma::Col<T>& params, const Tensor<T>& sample,
                        Workspace<T>& workspace);

} // namespace cs
