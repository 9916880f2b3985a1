// ActivationLayer: Keras' Activation(f) and ReLU() layers, f applied
// element-wise to any shape (activation.hpp):
//   out = f(in);  backward: d_in = d_out * f'(in), written through out.
// softmax is allowed only as a model's last layer (architecture.hpp checks),
// where the loss applies it: the layer passes its logits on.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class ActivationLayer final : public Layer<T> {
public:
    // kind: "activation" (Keras' Activation) or "relu" (Keras' ReLU, whose
    // activation is relu).
    ActivationLayer(std::string kind, Activation activation);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override { return input; }
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    std::string kind_;
    Activation activation_;
};

} // namespace cs
