#include "dropout_layer.hpp"

#include "architecture.hpp"
#include "errors.hpp"

#include <cmath>

namespace cs {

namespace {

// SplitMix64's finaliser: a well-mixed 64-bit hash of a counter.
std::uint64_t mix64(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

} // namespace

template <typename T>
Dropout<T>::Dropout(double rate) : rate_(rate)
{
    if (!(rate >= 0 && rate < 1)) throw ShapeError("Dropout: rate must be at least 0 and below 1, not " + std::to_string(rate));
}

template <typename T>
LayerSpec Dropout<T>::spec() const
{
    return layers::dropout(rate_);
}

template <typename T>
void Dropout<T>::forward(const T* /*params*/, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& scratch,
                         const PassMode& mode) const
{
    out.resize(in.shape());
    const std::size_t n = in.size();
    const T* x = in.data();
    T* y = out.data();
    if (!mode.training || rate_ == 0) {
        scratch.mask.clear(); // keeps its capacity: a later training pass does not allocate
        std::copy(x, x + n, y);
        return;
    }
    scratch.mask.resize(n);
    T* mask = scratch.mask.data();
    const T keep = T(1 / (1 - rate_));
    // Drop when a uniform u in [0, 1) (53 bits of the hash) falls below rate.
    const auto threshold = std::uint64_t(std::ldexp(rate_, 53));
    // Unit i of this pass is unit first + i of the whole mini-batch.
    const std::uint64_t seed = mix64(mode.seed) + mode.first_sample * (n / in.dim(0));
    for (std::size_t i = 0; i < n; ++i) {
        mask[i] = (mix64(seed + i) >> 11) < threshold ? T(0) : keep;
        y[i] = x[i] * mask[i];
    }
}

template <typename T>
void Dropout<T>::backward(const T* /*params*/, const Tensor<T>& in, const Tensor<T>& /*out*/, const Tensor<T>& d_out,
                          LayerScratch<T>& scratch, T* /*d_params*/, Tensor<T>* d_in) const
{
    if (!d_in) return;
    d_in->resize(in.shape());
    const std::size_t n = in.size();
    const T* g = d_out.data();
    T* dx = d_in->data();
    if (scratch.mask.size() != n) {
        std::copy(g, g + n, dx);
        return;
    }
    const T* mask = scratch.mask.data();
    for (std::size_t i = 0; i < n; ++i) dx[i] = g[i] * mask[i];
}

template class Dropout<float>;
template class Dropout<double>;

} // namespace cs
