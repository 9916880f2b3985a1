// im2col / col2im: convolution as one matrix product.
//
// For A_prev (m, h_prev, w_prev, c_prev) and a kh x kw kernel, the patch
// matrix P has shape (kh*kw*c_prev, m*h_out*w_out): a column per output pixel
// (n, oh, ow) in NHWC order, its rows ordered (i, j, c) with c fastest, which
// is the C order of a kernel W (kh, kw, c_prev, c_new). Cells that fall in the
// padding are zero. col2im is the adjoint: it adds each column back onto the
// pixels it was gathered from (overlapping windows add up).
#pragma once

#include "ops_types.hpp"
#include "tensor.hpp"

#include <armadillo>

namespace cs {

// Everything about one convolution's shapes, checked once.
struct ConvGeometry {
    std::size_t m = 0, h_prev = 0, w_prev = 0, c_prev = 0;
    std::size_t kh = 0, kw = 0, c_new = 0;
    std::size_t sh = 1, sw = 1;
    std::size_t h_out = 0, w_out = 0;
    std::size_t pad_top = 0, pad_left = 0; // the odd pixel of 'same' goes bottom/right

    std::size_t patch_rows() const { return kh * kw * c_prev; }
    std::size_t out_pixels() const { return m * h_out * w_out; }
    Shape output_shape() const { return {m, h_out, w_out, c_new}; }
};

// Checks A_prev (m, h, w, c_prev) against W (kh, kw, c_prev, c_new) and the
// parameters; ShapeError naming the shapes when they cannot work together.
ConvGeometry conv_geometry(const Shape& A_prev, const Shape& W, Padding padding, Stride stride);

// TensorFlow's output size and leading pad for one axis.
std::size_t conv_output_size(std::size_t in, std::size_t k, std::size_t s, Padding padding);
std::size_t conv_pad_before(std::size_t in, std::size_t k, std::size_t s, Padding padding);

// P = im2col(A_prev); P is resized (reused when its size is unchanged).
template <typename T>
void im2col(const T* A_prev, const ConvGeometry& g, arma::Mat<T>& P);

// dA_prev += col2im(dP); dA_prev must hold m*h_prev*w_prev*c_prev values.
template <typename T>
void col2im_add(const arma::Mat<T>& dP, const ConvGeometry& g, T* dA_prev);

} // namespace cs
