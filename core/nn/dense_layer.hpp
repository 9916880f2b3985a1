// Dense: out = f(in W + b), Keras' shapes.
//   in (m, n_in), kernel (n_in, units) in C order, bias (units,), out (m, units)
// Column-major, the kernel's buffer is Wm = W^T (units, n_in) and the batch is
// X (n_in, m), a column per sample, so Z = Wm X + b;
//   backward: dWm = dZ X^T, db = sum over samples of dZ, dX = Wm^T dZ.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class Dense final : public Layer<T> {
public:
    Dense(std::size_t units, Activation activation);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    std::vector<ParameterShape> parameter_shapes(const Shape& input) const override;
    void bind(const Shape& input, T* params, T* grads) override;
    void initialize(HeNormal& init) override;
    std::vector<NamedTensor<T>> parameters() override { return kernel_and_bias(kernel_, bias_); }
    std::vector<NamedTensor<T>> gradients() override { return kernel_and_bias(d_kernel_, d_bias_); }

    void forward(const Tensor<T>& in, Tensor<T>& out) override;
    void backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in) override;

private:
    std::size_t units_;
    Activation activation_;
    std::size_t inputs_ = 0;
    Tensor<T> kernel_, bias_, d_kernel_, d_bias_;
    Tensor<T> d_z_;
};

} // namespace cs
