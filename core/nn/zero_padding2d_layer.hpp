// ZeroPadding2D: Keras' layer, zeros around each map.
//   in (m, h, w, c) -> out (m, top + h + bottom, left + w + right, c)
//   backward: d_in = d_out cropped to the input's cells.
// LeNet-5 as LeCun had it reads a 28x28 digit padded by 2 to 32x32.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class ZeroPadding2D final : public Layer<T> {
public:
    explicit ZeroPadding2D(Margins margins);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    Margins margins_;
};

} // namespace cs
