#include "conv.hpp"

#include "activation.hpp"
#include "direct_conv.hpp"
#include "gemm.hpp"

#include <algorithm>

namespace cs {

void check_bias_shape(const Shape& b, const Shape& W, const char* op)
{
    const std::size_t c_new = W[3];
    const bool ok = (b.rank() == 4 && b[0] == 1 && b[1] == 1 && b[2] == 1 && b[3] == c_new) ||
                    (b.rank() == 1 && b[0] == c_new);
    if (!ok)
        throw ShapeError(std::string(op) + ": b must have shape (1, 1, 1, " + std::to_string(c_new) + ") for W " +
                         W.str() + ", not " + b.str());
}

template <typename T>
void conv_forward_into(const T* A_prev, const ConvGeometry& g, const T* W, const T* b, arma::Mat<T>& patches,
                       Tensor<T>& Z)
{
    if (direct_conv_applies(g)) return direct_conv_forward(A_prev, g, W, b, patches, Z);
    im2col(A_prev, g, patches);
    Z.resize(g.output_shape());
    // Z (c_new, pixels) = W (c_new, patch_rows) * patches (patch_rows, pixels), then + b per column.
    const std::size_t c_new = g.c_new, pixels = g.out_pixels();
    gemm(false, false, c_new, pixels, g.patch_rows(), T(1), W, patches.memptr(), T(0), Z.data());
    if (b) add_to_each_column(Z.data(), b, c_new, pixels);
}

template <typename T>
void conv_backward_into(const T* dZ, const ConvGeometry& g, const T* W, const arma::Mat<T>& patches, T* dW, T* db,
                        T* dA_prev, arma::Mat<T>& dpatches)
{
    const std::size_t c_new = g.c_new, pixels = g.out_pixels(), rows = g.patch_rows();
    if (direct_conv_applies(g)) {
        // `patches` holds the padded planes; dpatches is free until dA_prev's turn.
        direct_conv_backward_weights(dZ, g, patches, dW, db, dpatches);
    } else {
        // dW (c_new, patch_rows) = dZ (c_new, pixels) * patches^T; db = dZ summed over pixels.
        gemm(false, true, c_new, rows, pixels, T(1), dZ, patches.memptr(), T(0), dW);
        if (db) sum_of_columns(dZ, c_new, pixels, db);
    }
    if (dA_prev) {
        // The same way for both: dA_prev needs only W and dZ.
        // dpatches (patch_rows, pixels) = W^T * dZ, scattered back by col2im.
        dpatches.set_size(rows, pixels);
        gemm(true, false, rows, pixels, c_new, T(1), W, dZ, T(0), dpatches.memptr());
        std::fill(dA_prev, dA_prev + g.m * g.h_prev * g.w_prev * g.c_prev, T(0));
        col2im_add(dpatches, g, dA_prev);
    }
}

template <typename T>
Tensor<T> conv_forward(const Tensor<T>& A_prev, const Tensor<T>& W, const Tensor<T>& b, Activation activation,
                       Padding padding, Stride stride)
{
    const ConvGeometry g = conv_geometry(A_prev.shape(), W.shape(), padding, stride);
    check_bias_shape(b.shape(), W.shape(), "conv_forward");
    arma::Mat<T> patches;
    Tensor<T> Z;
    conv_forward_into(A_prev.data(), g, W.data(), b.data(), patches, Z);
    activate(activation, Z.data(), Z.data(), Z.size());
    return Z;
}

template <typename T>
ConvGrads<T> conv_backward(const Tensor<T>& dZ, const Tensor<T>& A_prev, const Tensor<T>& W, const Tensor<T>& b,
                           Padding padding, Stride stride)
{
    const ConvGeometry g = conv_geometry(A_prev.shape(), W.shape(), padding, stride);
    check_bias_shape(b.shape(), W.shape(), "conv_backward");
    if (!(dZ.shape() == g.output_shape()))
        throw ShapeError("conv_backward: dZ has shape " + dZ.shape().str() + " but the convolution of A_prev " +
                         A_prev.shape().str() + " with W " + W.shape().str() + " gives " +
                         g.output_shape().str());
    arma::Mat<T> patches, dpatches;
    if (direct_conv_applies(g))
        direct_conv_pad(A_prev.data(), g, patches);
    else
        im2col(A_prev.data(), g, patches);
    ConvGrads<T> grads{Tensor<T>(A_prev.shape()), Tensor<T>(W.shape()), Tensor<T>(b.shape())};
    conv_backward_into(dZ.data(), g, W.data(), patches, grads.dW.data(), grads.db.data(), grads.dA_prev.data(),
                       dpatches);
    return grads;
}

#define CS_INSTANTIATE(T)                                                                                        \
    template void conv_forward_into<T>(const T*, const ConvGeometry&, const T*, const T*, arma::Mat<T>&,          \
                                       Tensor<T>&);                                                              \
    template void conv_backward_into<T>(const T*, const ConvGeometry&, const T*, const arma::Mat<T>&, T*, T*, T*, \
                                        arma::Mat<T>&);                                                          \
    template Tensor<T> conv_forward<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, Activation, Padding, \
                                       Stride);                                                                  \
    template ConvGrads<T> conv_backward<T>(const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, const Tensor<T>&, \
                                           Padding, Stride);
CS_INSTANTIATE(float)
CS_INSTANTIATE(double)
#undef CS_INSTANTIATE

} // namespace cs
