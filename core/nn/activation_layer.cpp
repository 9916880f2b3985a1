#include "activation_layer.hpp"

#include "activation.hpp"
#include "errors.hpp"

namespace cs {

template <typename T>
ActivationLayer<T>::ActivationLayer(std::string kind, Activation activation)
    : kind_(std::move(kind)), activation_(activation)
{
    if (kind_ != "activation" && kind_ != "relu") throw ShapeError("ActivationLayer: unknown kind '" + kind_ + "'");
    if (kind_ == "relu" && activation != Activation::relu) throw ShapeError("ReLU: its activation is relu");
}

template <typename T>
LayerSpec ActivationLayer<T>::spec() const
{
    return {.kind = kind_, .activation = activation_};
}

template <typename T>
void ActivationLayer<T>::forward(const T* /*params*/, const Tensor<T>& in, Tensor<T>& out,
                                 LayerScratch<T>& /*scratch*/, const PassMode& /*mode*/) const
{
    out.resize(in.shape());
    activate(activation_, in.data(), out.data(), in.size());
}

template <typename T>
void ActivationLayer<T>::backward(const T* /*params*/, const Tensor<T>& in, const Tensor<T>& out,
                                  const Tensor<T>& d_out, LayerScratch<T>& /*scratch*/, T* /*d_params*/,
                                  Tensor<T>* d_in) const
{
    if (!d_in) return;
    d_in->resize(in.shape());
    activation_backward(activation_, out.data(), d_out.data(), d_in->data(), in.size());
}

template class ActivationLayer<float>;
template class ActivationLayer<double>;

} // namespace cs
