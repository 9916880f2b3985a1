#include "rescaling_layer.hpp"

#include "architecture.hpp"
#include "errors.hpp"

#include <cmath>

namespace cs {

template <typename T>
Rescaling<T>::Rescaling(double scale, double offset) : scale_(scale), offset_(offset)
{
    if (!std::isfinite(scale) || !std::isfinite(offset))
        throw ShapeError("Rescaling: scale and offset must be finite numbers");
}

template <typename T>
LayerSpec Rescaling<T>::spec() const
{
    return layers::rescaling(scale_, offset_);
}

template <typename T>
void Rescaling<T>::forward(const T* /*params*/, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& /*scratch*/,
                           const PassMode& /*mode*/) const
{
    out.resize(in.shape());
    const T a = T(scale_), b = T(offset_);
    const T* x = in.data();
    T* y = out.data();
    for (std::size_t i = 0, n = in.size(); i < n; ++i) y[i] = x[i] * a + b;
}

template <typename T>
void Rescaling<T>::backward(const T* /*params*/, const Tensor<T>& in, const Tensor<T>& /*out*/, const Tensor<T>& d_out,
                            LayerScratch<T>& /*scratch*/, T* /*d_params*/, Tensor<T>* d_in) const
{
    if (!d_in) return;
    d_in->resize(in.shape());
    const T a = T(scale_);
    const T* g = d_out.data();
    T* dx = d_in->data();
    for (std::size_t i = 0, n = in.size(); i < n; ++i) dx[i] = g[i] * a;
}

template class Rescaling<float>;
template class Rescaling<double>;

} // namespace cs
