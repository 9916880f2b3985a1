// Convolution forward and backward (NHWC, TensorFlow's 'same'/'valid').
//
//   A_prev (m, h_prev, w_prev, c_prev)   W (kh, kw, c_prev, c_new)
//   b (1, 1, 1, c_new)                   Z, A, dZ (m, h_new, w_new, c_new)
//
// As one GEMM (see im2col.hpp; thin convolutions go a direct way with the
// same results, direct_conv.hpp): with P = im2col(A_prev) (kh*kw*c_prev, m*h_new*w_new)
// and W viewed as Wm (c_new, kh*kw*c_prev),
//   forward:  Z = Wm P + b,  A = activation(Z)      (Z is already NHWC)
//   backward: dW = dZm P^T,  db = sum of dZ over m, h, w,
//             dP = Wm^T dZm,  dA_prev = col2im(dP).
#pragma once

#include "im2col.hpp"
#include "ops_types.hpp"
#include "tensor.hpp"

namespace cs {

template <typename T>
struct ConvGrads {
    Tensor<T> dA_prev; // (m, h_prev, w_prev, c_prev)
    Tensor<T> dW;      // (kh, kw, c_prev, c_new)
    Tensor<T> db;      // (1, 1, 1, c_new)
};

// The course's API. Throws ShapeError naming the shapes on any mismatch.
template <typename T>
Tensor<T> conv_forward(const Tensor<T>& A_prev, const Tensor<T>& W, const Tensor<T>& b, Activation activation,
                       Padding padding = Padding::same, Stride stride = {1, 1});

// dZ is the gradient of the pre-activation Z.
template <typename T>
ConvGrads<T> conv_backward(const Tensor<T>& dZ, const Tensor<T>& A_prev, const Tensor<T>& W, const Tensor<T>& b,
                           Padding padding = Padding::same, Stride stride = {1, 1});

// The buffer-reusing kernels behind them, for layers that run every step.
// Z = Wm P + b with P = im2col(A_prev) left in `patches` for the backward pass;
// or, when direct_conv_applies(g) (thin convolutions such as both of
// LeNet's, direct_conv.hpp), Z computed directly and `patches` holding the padded
// input planes (direct_conv_kept_rows(g), m) instead. The numbers are the
// same either way, within float rounding.
// b may be null: a convolution without bias (Keras' use_bias=False).
template <typename T>
void conv_forward_into(const T* A_prev, const ConvGeometry& g, const T* W, const T* b, arma::Mat<T>& patches,
                       Tensor<T>& Z);

// From the patches (or planes) kept by forward of the same geometry: dW, db
// written (not accumulated; db null for a convolution without bias); when
// dA_prev is non-null it is overwritten with the input gradient, using
// `dpatches` as scratch (both ways: dP = Wm^T dZ, then col2im).
template <typename T>
void conv_backward_into(const T* dZ, const ConvGeometry& g, const T* W, const arma::Mat<T>& patches, T* dW, T* db,
                        T* dA_prev, arma::Mat<T>& dpatches);

// Checks b against W: (1, 1, 1, c_new) or (c_new,).
void check_bias_shape(const Shape& b, const Shape& W, const char* op);

} // namespace cs
