// Dropout: inverted dropout, as Keras (DESIGN.md).
//   training:  out = in * mask, mask = 0 with probability `rate`, else
//              1 / (1 - rate), so the expected output is the input;
//   otherwise: out = in (evaluation, prediction and every view).
//   backward:  d_in = d_out * mask (d_out itself after an inference pass).
// The mask of element i is a hash of (the pass's seed, i): a training step
// is reproducible from the trainer's seed and step alone, and no generator
// state is shared between threads.
#pragma once

#include "layer.hpp"

namespace cs {

template <typename T>
class Dropout final : public Layer<T> {
public:
    // rate in [0, 1); ShapeError otherwise.
    explicit Dropout(double rate);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override { return input; }
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    double rate_;
};

} // namespace cs
