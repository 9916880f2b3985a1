// Dense: out = f(in W + b), Keras' shapes.
//   in (m, n_in); params: kernel (n_in, units) in C order, then bias (units,)
//   unless use_bias is false; out (m, units); scratch: dZ (m, units).
// Column-major, the kernel's buffer is Wm = W^T (units, n_in) and the batch is
// X (n_in, m), a column per sample, so Z = Wm X + b;
//   backward: dWm = dZ X^T, db = sum over samples of dZ, dX = Wm^T dZ.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class Dense final : public Layer<T> {
public:
    Dense(std::size_t units, Activation activation, bool use_bias = true);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    std::vector<ParameterShape> parameter_shapes(const Shape& input) const override;
    void initialize(HeNormal& init, const Shape& input, T* params) const override;

    std::size_t forward_multiply_adds(const Shape& input) const override;
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    std::size_t units_;
    Activation activation_;
    bool use_bias_;
};

} // namespace cs
