// Pooling forward and backward (NHWC, never padded).
//
//   A_prev (m, h_prev, w_prev, c)  ->  A (m, h_new, w_new, c),
//   h_new = floor((h_prev - kh) / sh) + 1, likewise for w.
//
//   max: A = max of the window; backward routes dA to the first maximum of
//        the window in row-major order (forward keeps its index).
//   avg: A = mean of the window; backward shares dA / (kh*kw) over the window.
// Windows may overlap (stride < kernel): their gradients then add up.
#pragma once

#include "ops_types.hpp"
#include "tensor.hpp"

#include <cstdint>
#include <vector>

namespace cs {

struct PoolGeometry {
    std::size_t m = 0, h_prev = 0, w_prev = 0, c = 0;
    std::size_t kh = 0, kw = 0, sh = 1, sw = 1;
    std::size_t h_out = 0, w_out = 0;

    Shape output_shape() const { return {m, h_out, w_out, c}; }
};

PoolGeometry pool_geometry(const Shape& A_prev, KernelShape kernel, Stride stride);

// The course's API. Throws ShapeError naming the shapes on any mismatch.
template <typename T>
Tensor<T> pool_forward(const Tensor<T>& A_prev, KernelShape kernel_shape, Stride stride = {1, 1},
                       PoolMode mode = PoolMode::max);

template <typename T>
Tensor<T> pool_backward(const Tensor<T>& dA, const Tensor<T>& A_prev, KernelShape kernel_shape,
                        Stride stride = {1, 1}, PoolMode mode = PoolMode::max);

// Buffer-reusing kernels. For max pooling, forward stores in `argmax` the flat
// index into A_prev of each output's winner; backward scatters through it.
template <typename T>
void pool_forward_into(const T* A_prev, const PoolGeometry& g, PoolMode mode, Tensor<T>& A,
                       std::vector<std::uint32_t>& argmax);

template <typename T>
void pool_backward_into(const T* dA, const PoolGeometry& g, PoolMode mode, const std::vector<std::uint32_t>& argmax,
                        T* dA_prev);

} // namespace cs
