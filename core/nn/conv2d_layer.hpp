// Conv2D: conv_forward / conv_backward as a layer.
//   in (m, h, w, c_prev) -> out (m, h_new, w_new, filters)
//   params: kernel (kh, kw, c_prev, filters), then bias (filters,) unless
//   use_bias is false
//   scratch: the im2col patches (kh*kw*c_prev, m*h_new*w_new) kept for
//   backward, dP of the same shape, dZ of the output's shape; for a thin
//   convolution (direct_conv_applies: both of LeNet's) `patches` holds the
//   padded input planes (direct_conv_kept_rows, m) instead, and the weight
//   gradient uses `d_patches` for a few KB of scratch (direct_conv.hpp).
#pragma once

#include "conv.hpp"
#include "layer.hpp"

namespace cs {

template <typename T>
class Conv2D final : public Layer<T> {
public:
    Conv2D(std::size_t filters, KernelShape kernel, Padding padding, Activation activation, Stride stride = {1, 1},
           bool use_bias = true);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    std::vector<ParameterShape> parameter_shapes(const Shape& input) const override;
    // The output and the im2col patches (kh*kw*c_prev, h_new*w_new), or
    // the padded planes (direct_conv_kept_rows) of a direct convolution.
    std::size_t forward_elements(const Shape& input) const override;
    void initialize(HeNormal& init, const Shape& input, T* params) const override;

    std::size_t forward_multiply_adds(const Shape& input) const override;
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    Shape kernel_shape(std::size_t channels) const { return {kernel_size_.h, kernel_size_.w, channels, filters_}; }
    // The geometry of a batch `in` (m, h, w, c_prev).
    ConvGeometry geometry(const Shape& in) const { return conv_geometry(in, kernel_shape(in[3]), padding_, stride_); }

    std::size_t filters_;
    KernelShape kernel_size_;
    Padding padding_;
    Activation activation_;
    Stride stride_;
    bool use_bias_;
};

} // namespace cs
