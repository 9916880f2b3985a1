#include "zero_padding2d_layer.hpp"

#include "checked_arithmetic.hpp"
#include "architecture.hpp"
#include "errors.hpp"

#include <algorithm>

namespace cs {

template <typename T>
ZeroPadding2D<T>::ZeroPadding2D(Margins margins) : margins_(margins)
{
}

template <typename T>
LayerSpec ZeroPadding2D<T>::spec() const
{
    return layers::zero_padding2d(margins_);
}

template <typename T>
Shape ZeroPadding2D<T>::output_shape(const Shape& input) const
{
    if (input.rank() != 3) throw ShapeError("ZeroPadding2D: input must be (h, w, c), not " + input.str());
    const char* what = "ZeroPadding2D: the padded maps' size";
    const std::size_t h = checked_add(input[0], checked_add(margins_.top, margins_.bottom, what), what);
    const std::size_t w = checked_add(input[1], checked_add(margins_.left, margins_.right, what), what);
    checked_mul(checked_mul(h, w, what), input[2], what);
    return {h, w, input[2]};
}

template <typename T>
void ZeroPadding2D<T>::forward(const T* /*params*/, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& /*scratch*/,
                               const PassMode& /*mode*/) const
{
    const std::size_t m = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
    const std::size_t ho = h + margins_.top + margins_.bottom, wo = w + margins_.left + margins_.right;
    out.resize({m, ho, wo, c});
    std::fill(out.data(), out.data() + out.size(), T(0));
    for (std::size_t n = 0; n < m; ++n)
        for (std::size_t i = 0; i < h; ++i) {
            const T* src = in.data() + ((n * h + i) * w) * c;
            T* dst = out.data() + ((n * ho + i + margins_.top) * wo + margins_.left) * c;
            std::copy(src, src + w * c, dst);
        }
}

template <typename T>
void ZeroPadding2D<T>::backward(const T* /*params*/, const Tensor<T>& in, const Tensor<T>& /*out*/,
                                const Tensor<T>& d_out, LayerScratch<T>& /*scratch*/, T* /*d_params*/,
                                Tensor<T>* d_in) const
{
    if (!d_in) return;
    const std::size_t m = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
    const std::size_t ho = d_out.dim(1), wo = d_out.dim(2);
    d_in->resize(in.shape());
    for (std::size_t n = 0; n < m; ++n)
        for (std::size_t i = 0; i < h; ++i) {
            const T* src = d_out.data() + ((n * ho + i + margins_.top) * wo + margins_.left) * c;
            std::copy(src, src + w * c, d_in->data() + ((n * h + i) * w) * c);
        }
}

template class ZeroPadding2D<float>;
template class ZeroPadding2D<double>;

} // namespace cs
