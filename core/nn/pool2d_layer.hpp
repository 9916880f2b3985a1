// Pool2D: pool_forward / pool_backward as a layer (max or average).
//   in (m, h, w, c) -> out (m, floor((h-kh)/sh)+1, floor((w-kw)/sw)+1, c)
//   scratch (max pooling): winners, for each output cell the flat index into
//   the input of its window's first maximum.
#pragma once

#include "layer.hpp"
#include "pool.hpp"

namespace cs {

template <typename T>
class Pool2D final : public Layer<T> {
public:
    Pool2D(KernelShape kernel, Stride stride, PoolMode mode);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    void forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                 const PassMode& mode) const override;
    void backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                  LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const override;

private:
    KernelShape kernel_;
    Stride stride_;
    PoolMode mode_;
};

} // namespace cs
