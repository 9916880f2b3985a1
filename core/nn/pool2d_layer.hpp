// Pool2D: pool_forward / pool_backward as a layer (max or average).
//   in (m, h, w, c) -> out (m, floor((h-kh)/sh)+1, floor((w-kw)/sw)+1, c)
#pragma once

#include "layer.hpp"
#include "pool.hpp"

#include <cstdint>
#include <vector>

namespace cs {

template <typename T>
class Pool2D final : public Layer<T> {
public:
    Pool2D(KernelShape kernel, Stride stride, PoolMode mode);

    LayerSpec spec() const override;
    Shape output_shape(const Shape& input) const override;
    void forward(const Tensor<T>& in, Tensor<T>& out) override;
    void backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in) override;

    // For each output cell, the flat index into the last input of its
    // winner (max pooling): what the gradient view highlights.
    const std::vector<std::uint32_t>& winners() const { return argmax_; }

private:
    KernelShape kernel_;
    Stride stride_;
    PoolMode mode_;
    PoolGeometry geometry_;
    std::vector<std::uint32_t> argmax_;
};

} // namespace cs
