#include "conv2d_layer.hpp"

#include "activation.hpp"

namespace cs {

template <typename T>
Conv2D<T>::Conv2D(std::size_t filters, KernelShape kernel, Padding padding, Activation activation, Stride stride)
    : filters_(filters), kernel_size_(kernel), padding_(padding), activation_(activation), stride_(stride)
{
    if (filters == 0) throw ShapeError("Conv2D: filters must be positive");
    if (kernel.h == 0 || kernel.w == 0) throw ShapeError("Conv2D: kernel must be at least 1x1");
    if (stride.h == 0 || stride.w == 0) throw ShapeError("Conv2D: stride must be positive");
}

template <typename T>
LayerSpec Conv2D<T>::spec() const
{
    return {"conv2d", filters_, kernel_size_, stride_, padding_, activation_};
}

template <typename T>
Shape Conv2D<T>::output_shape(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    const ConvGeometry g = conv_geometry({1, input[0], input[1], input[2]}, kernel_shape(input), padding_, stride_);
    return {g.h_out, g.w_out, filters_};
}

template <typename T>
std::vector<ParameterShape> Conv2D<T>::parameter_shapes(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    return {{"kernel", kernel_shape(input)}, {"bias", {filters_}}};
}

template <typename T>
std::size_t Conv2D<T>::forward_elements(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Conv2D: input must be (h, w, c), not " + input.str());
    // conv_geometry has checked that the patch matrix's size fits.
    const ConvGeometry g = conv_geometry({1, input[0], input[1], input[2]}, kernel_shape(input), padding_, stride_);
    const std::size_t patches = g.patch_rows() * g.out_pixels();
    return checked_add(patches, g.output_shape().elements(), "Conv2D: patches and output");
}

template <typename T>
void Conv2D<T>::bind(const Shape& input, T* params, T* grads)
{
    const Shape ks = kernel_shape(input);
    kernel_ = Tensor<T>::view(params, ks);
    bias_ = Tensor<T>::view(params + ks.elements(), {filters_});
    d_kernel_ = Tensor<T>::view(grads, ks);
    d_bias_ = Tensor<T>::view(grads + ks.elements(), {filters_});
}

template <typename T>
void Conv2D<T>::initialize(HeNormal& init)
{
    init.fill(kernel_.data(), kernel_.size(), kernel_.dim(0) * kernel_.dim(1) * kernel_.dim(2));
    bias_.zeros();
}

template <typename T>
void Conv2D<T>::forward(const Tensor<T>& in, Tensor<T>& out)
{
    geometry_ = conv_geometry(in.shape(), kernel_.shape(), padding_, stride_);
    conv_forward_into(in.data(), geometry_, kernel_.data(), bias_.data(), patches_, out);
    activate(activation_, out.data(), out.data(), out.size());
}

template <typename T>
void Conv2D<T>::backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in)
{
    // forward was A = f(Z): dZ = dA * f'(Z), written through A.
    d_z_.resize(out.shape());
    activation_backward(activation_, out.data(), d_out.data(), d_z_.data(), out.size());
    if (d_in) d_in->resize(in.shape());
    conv_backward_into(d_z_.data(), geometry_, kernel_.data(), patches_, d_kernel_.data(), d_bias_.data(),
                       d_in ? d_in->data() : nullptr, d_patches_);
}

template class Conv2D<float>;
template class Conv2D<double>;

} // namespace cs
