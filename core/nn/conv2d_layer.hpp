// Conv2D: conv_forward / conv_backward as a layer, buffers kept across steps.
//   in (m, h, w, c_prev) -> out (m, h_new, w_new, filters)
//   kernel (kh, kw, c_prev, filters), bias (filters,)
#pragma once

#include "conv.hpp"
#include "layer.hpp"

namespace cs {

template <typename T>
class Conv2D final : public Layer<T> {
public:
    Conv2D(std::size_t filters, KernelShape kernel, Padding padding, Activation activation, Stride stride = {1, 1});

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    std::vector<ParameterShape> parameter_shapes(const Shape& input) const override;
    // The output and the im2col patches (kh*kw*c_prev, h_new*w_new).
    std::size_t forward_elements(const Shape& input) const override;
    void bind(const Shape& input, T* params, T* grads) override;
    void initialize(HeNormal& init) override;
    std::vector<NamedTensor<T>> parameters() override { return kernel_and_bias(kernel_, bias_); }
    std::vector<NamedTensor<T>> gradients() override { return kernel_and_bias(d_kernel_, d_bias_); }

    void forward(const Tensor<T>& in, Tensor<T>& out) override;
    void backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in) override;

private:
    Shape kernel_shape(const Shape& input) const { return {kernel_size_.h, kernel_size_.w, input[2], filters_}; }

    std::size_t filters_;
    KernelShape kernel_size_;
    Padding padding_;
    Activation activation_;
    Stride stride_;

    Tensor<T> kernel_, bias_, d_kernel_, d_bias_; // views into the model's buffers
    ConvGeometry geometry_;
    arma::Mat<T> patches_, d_patches_; // im2col of the last input; scratch for dP
    Tensor<T> d_z_;                    // dL/dZ, the pre-activation gradient
};

} // namespace cs
