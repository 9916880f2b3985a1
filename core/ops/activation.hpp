// Element-wise activations and their derivatives.
//
//   forward:  A = f(Z)
//   backward: dZ = dA * f'(Z), with f' written through A (which layers keep):
//     relu    f'(Z) = [A > 0]
//     tanh    f'(Z) = 1 - A^2
//     sigmoid f'(Z) = A (1 - A)
//   softmax (a last layer's): A = Z, the logits; the loss applies the softmax
//     and its gradient (probs - onehot) / m is already dL/dZ.
#pragma once

#include "ops_types.hpp"

#include <cstddef>

namespace cs {

template <typename T>
void activate(Activation act, const T* z, T* a, std::size_t n);

// dz must not overlap a or da (except for linear, where dz == da is allowed).
template <typename T>
void activation_backward(Activation act, const T* a, const T* da, T* dz, std::size_t n);

} // namespace cs
