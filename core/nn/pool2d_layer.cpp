#include "pool2d_layer.hpp"

namespace cs {

template <typename T>
Pool2D<T>::Pool2D(KernelShape kernel, Stride stride, PoolMode mode) : kernel_(kernel), stride_(stride), mode_(mode)
{
    if (kernel.h == 0 || kernel.w == 0) throw ShapeError("Pool2D: kernel must be at least 1x1");
    if (stride.h == 0 || stride.w == 0) throw ShapeError("Pool2D: stride must be positive");
}

template <typename T>
LayerSpec Pool2D<T>::spec() const
{
    return {.kind = mode_ == PoolMode::max ? "max_pooling2d" : "average_pooling2d", .kernel = kernel_,
            .stride = stride_};
}

template <typename T>
Shape Pool2D<T>::output_shape(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("Pool2D: input must be (h, w, c), not " + input.str());
    const PoolGeometry g = pool_geometry({1, input[0], input[1], input[2]}, kernel_, stride_);
    return {g.h_out, g.w_out, g.c};
}

template <typename T>
void Pool2D<T>::forward(const T* /*params*/, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                        const PassMode& /*mode*/) const
{
    pool_forward_into(in.data(), pool_geometry(in.shape(), kernel_, stride_), mode_, out, scratch.winners);
}

template <typename T>
void Pool2D<T>::backward(const T* /*params*/, const Tensor<T>& in, const Tensor<T>& /*out*/, const Tensor<T>& d_out,
                         LayerScratch<T>& scratch, T* /*d_params*/, Tensor<T>* d_in) const
{
    if (!d_in) return;
    d_in->resize(in.shape());
    pool_backward_into(d_out.data(), pool_geometry(in.shape(), kernel_, stride_), mode_, scratch.winners,
                       d_in->data());
}

template class Pool2D<float>;
template class Pool2D<double>;

} // namespace cs
