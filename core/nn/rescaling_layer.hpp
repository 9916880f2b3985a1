// Rescaling: Keras' Rescaling(scale, offset), out = in * scale + offset, any
// shape (a model that takes pixels in 0..255 starts with 1/255).
//   backward: d_in = d_out * scale.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class Rescaling final : public Layer<T> {
public:
    // ShapeError unless both are finite.
    Rescaling(double scale, double offset);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override { return input; }
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    double scale_, offset_;
};

} // namespace cs
