#include "conv2d_layer.hpp"

#include "activation.hpp"
#include "architecture.hpp"
#include "direct_conv.hpp"

#include <algorithm>

namespace cs {

template <typename T>
Conv2D<T>::Conv2D(std::size_t filters, KernelShape kernel, Padding padding, Activation activation, Stride stride,
                  bool use_bias)
    : filters_(filters), kernel_size_(kernel), padding_(padding), activation_(activation), stride_(stride),
      use_bias_(use_bias)
{
    if (filters == 0) throw ShapeError("Conv2D: filters must be positive");
    if (kernel.h == 0 || kernel.w == 0) throw ShapeError("Conv2D: kernel must be at least 1x1");
    if (stride.h == 0 || stride.w == 0) throw ShapeError("Conv2D: stride must be positive");
}

template <typename T>
LayerSpec Conv2D<T>::spec() const
{
    return layers::conv2d(filters_, kernel_size_, stride_, padding_, activation_, use_bias_);
}

template <typename T>
Shape Conv2D<T>::output_shape(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    const ConvGeometry g = geometry({1, input[0], input[1], input[2]});
    return {g.h_out, g.w_out, filters_};
}

template <typename T>
std::vector<ParameterShape> Conv2D<T>::parameter_shapes(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    const Shape ks = kernel_shape(input[2]);
    if (!use_bias_) return {{"kernel", ks, 0}};
    return {{"kernel", ks, 0}, {"bias", {filters_}, ks.elements()}};
}

template <typename T>
std::size_t Conv2D<T>::forward_elements(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    // conv_geometry has checked that the patch matrix's size fits. What
    // forward keeps is that matrix, or for a direct convolution the input's
    // padded planes: for LeNet's first layer 1,039 values where im2col's
    // patches are 19,600 (its second: 1,191 for 15,000).
    const ConvGeometry g = geometry({1, input[0], input[1], input[2]});
    const std::size_t kept = direct_conv_applies(g) ? direct_conv_kept_rows(g) : g.patch_rows() * g.out_pixels();
    return checked_add(kept, g.output_shape().elements(), "Conv2D: patches and output");
}

template <typename T>
void Conv2D<T>::initialize(HeNormal& init, const Shape& input, T* params) const
{
    const Shape ks = kernel_shape(input[2]);
    init.fill(params, ks.elements(), ks[0] * ks[1] * ks[2]);
    if (use_bias_) std::fill(params + ks.elements(), params + ks.elements() + filters_, T(0));
}

template <typename T>
void Conv2D<T>::forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                    const PassMode& /*mode*/) const
{
    const ConvGeometry g = geometry(in.shape());
    const T* kernel = params;
    const T* bias = use_bias_ ? params + g.patch_rows() * g.c_new : nullptr;
    conv_forward_into(in.data(), g, kernel, bias, scratch.patches, out);
    activate(activation_, out.data(), out.data(), out.size());
}

template <typename T>
void Conv2D<T>::backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                         LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const
{
    const ConvGeometry g = geometry(in.shape());
    // forward was A = f(Z): dZ = dA * f'(Z), written through A.
    scratch.d_z.resize(out.shape());
    activation_backward(activation_, out.data(), d_out.data(), scratch.d_z.data(), out.size());
    if (d_in) d_in->resize(in.shape());
    T* d_kernel = d_params;
    T* d_bias = use_bias_ ? d_params + g.patch_rows() * g.c_new : nullptr;
    conv_backward_into(scratch.d_z.data(), g, params, scratch.patches, d_kernel, d_bias,
                       d_in ? d_in->data() : nullptr, scratch.d_patches);
}

template <typename T>
std::size_t Conv2D<T>::forward_multiply_adds(const Shape& input) const
{
    const ConvGeometry g = geometry({1, input[0], input[1], input[2]});
    return g.out_pixels() * g.c_new * g.patch_rows();
}

template class Conv2D<float>;
template class Conv2D<double>;

} // namespace cs
