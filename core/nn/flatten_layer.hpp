// Flatten: (m, h, w, c) -> (m, h*w*c) in C order, i.e. Keras' NHWC flatten.
// The buffer is already laid out that way: forward and backward only copy.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class Flatten final : public Layer<T> {
public:
    LayerSpec spec() const override { return {.kind = "flatten"}; }
    Shape output_shape(const Shape& input) const override { return {input.elements()}; }
    void forward(const T*, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>&, const PassMode&) const override
    {
        out.resize({in.dim(0), in.size() / in.dim(0)});
        out.flat() = in.flat();
    }
    void backward(const T*, const Tensor<T>& in, const Tensor<T>&, const Tensor<T>& d_out, LayerScratch<T>&, T*,
                  Tensor<T>* d_in) const override
    {
        if (!d_in) return;
        d_in->resize(in.shape());
        d_in->flat() = d_out.flat();
    }
};

} // namespace cs
