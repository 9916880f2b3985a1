// Direct convolution for "thin" layers (few filters, stride 1), such as
// LeNet-5's first, 28x28x1 -> 28x28x6 by 5x5 'same', and its second,
// 14x14x6 -> 10x10x16 by 5x5 'valid'.
//
// There im2col + GEMM is a poor fit: with M = c_new = 6 rows and K = 25, the
// GEMM does 6 multiply-adds per value of a (25, m*784) patch matrix that it
// first has to write and then pack, and ran at ~3.5 GFLOP/s. Here the input
// is laid out once per sample as zero-padded planes, and the sums are taken
// straight from them, with the filters in the lanes of a vector: the output
// comes out NHWC as it is, and dZ goes in NHWC as it is.
//
// The planes, what forward keeps for backward (one column per sample):
//   planes (direct_conv_kept_rows(g), m); column n = sample n's c_prev
//   planes, each (hp, wp) row-major with hp = h_out + kh - 1, wp = w_out +
//   kw - 1 (the input with its 'same' padding: pad_top rows and pad_left
//   columns before, the rest after; none for 'valid'), then a few zeros.
// A window tap t = (i, j, c) of output pixel (oh, ow) is then
//   planes[n][off(t) + oh*wp + ow],   off(t) = c*hp*wp + i*wp + j.
//
//   forward:  Z[n, oh, ow, f] = b[f] + sum over t of W[t, f] * planes[n][off(t) + oh*wp + ow]
//   backward: dW[t, f] = sum over n, oh, ow of planes[n][off(t) + oh*wp + ow] * dZ[n, oh, ow, f]
//             db[f] = sum over n, oh, ow of dZ[n, oh, ow, f]
// with W (kh, kw, c_prev, c_new) in C order read as (kh*kw*c_prev, c_new),
// t = (i, j, c) with c fastest: the order of im2col's patch rows.
//
// The input gradient has no direct kernel: training never asks for the first
// layer's, and saliency can afford the GEMM (conv.cpp keeps it; it needs
// only W and dZ, not what forward kept).
#pragma once

#include "im2col.hpp"

#include <armadillo>

namespace cs {

// Whether a convolution goes the direct way: stride 1, at most 16 filters,
// at most 256 values per window (kh*kw*c_prev). Measured on a Zen 3 core
// against im2col + OpenBLAS, one thread, float, batch 32 (forward, dW):
//   LeNet conv1 (28x28x1, 6 @ 5x5 same)        5x, 2.6x faster in training
//                                               (5-7x, 2.2-2.8x alone)
//   LeNet conv2 (14x14x6, 16 @ 5x5 valid)      1.4-1.7x, 1.5-2.4x alone
//   28x28x8, 8 @ 3x3; 14x14x32, 16 @ 3x3        2.8x, 2.0x; 1.8x, 2.3x
//   10x10x16, 16 @ 5x5 valid (400 values)       1.1x, 1.2x: the GEMM's turn
// Past 16 filters the GEMM's rows fill its kernels and it wins.
// The weight gradient gains less: a vector of 8 floats carries 6 filters,
// and each product is a multiply-add of its own, where the GEMM's cost was
// mostly packing.
bool direct_conv_applies(const ConvGeometry& g);

// Rows of the planes matrix: one sample's padded planes and zero tail.
// Requires direct_conv_applies(g).
std::size_t direct_conv_kept_rows(const ConvGeometry& g);

// planes = the padded planes of A_prev (m, h_prev, w_prev, c_prev), resized
// to (direct_conv_kept_rows(g), m) (reused when the size is unchanged).
template <typename T>
void direct_conv_pad(const T* A_prev, const ConvGeometry& g, arma::Mat<T>& planes);

// Z (m, h_out, w_out, c_new) = conv(A_prev, W) + b, the pre-activation; b may
// be null. planes is left as direct_conv_pad made it, for the backward pass.
// ShapeError unless direct_conv_applies(g).
template <typename T>
void direct_conv_forward(const T* A_prev, const ConvGeometry& g, const T* W, const T* b, arma::Mat<T>& planes,
                         Tensor<T>& Z);

// dW (kh, kw, c_prev, c_new) and db (c_new,) from dZ (m, h_out, w_out,
// c_new) and the planes that forward kept; written (=), not accumulated. db
// may be null. scratch: resized and overwritten (a few KB).
template <typename T>
void direct_conv_backward_weights(const T* dZ, const ConvGeometry& g, const arma::Mat<T>& planes, T* dW, T* db,
                                  arma::Mat<T>& scratch);

// Which kernels run: on x86-64 the AVX2 + FMA build when the CPU has both,
// else the baseline one (SSE2; elsewhere the compiler's vectors). Tests turn
// AVX2 off to check the baseline build on a machine that has it.
bool direct_conv_avx2_available();
void direct_conv_allow_avx2(bool allow); // process-wide; allowed by default

} // namespace cs
