// Softmax cross-entropy, averaged over the batch, fused for the gradient.
//
//   logits z (m, k); p = softmax(z) per row
//   L = (1/m) sum_n [ logsumexp(z_n) - z_n[y_n] ]       (no exp overflows)
//   dL/dz = (p - onehot(y)) / m
#pragma once

#include "tensor.hpp"

#include <cstdint>

namespace cs {

struct LossResult {
    double loss = 0;       // mean cross-entropy
    std::size_t correct = 0; // samples whose argmax is the label
};

// probs and d_logits are resized to logits' shape (buffers reused).
// Labels must be < k; ShapeError otherwise.
// mean_over: the size of the whole mini-batch when these logits are one part
// of it (dL/dz is then (p - onehot(y)) / mean_over, and the parts' parameter
// gradients add up to the whole batch's); 0 means m. The loss returned is
// this part's own mean either way.
template <typename T>
LossResult softmax_cross_entropy(const Tensor<T>& logits, const std::uint8_t* labels, Tensor<T>& probs,
                                 Tensor<T>& d_logits, std::size_t mean_over = 0);

// Row-wise softmax of (m, k) logits, stable.
template <typename T>
void softmax(const Tensor<T>& logits, Tensor<T>& probs);

} // namespace cs
