#include "activation.hpp"

#include "cpu_dispatch.hpp"
#include <algorithm>
#include <cmath>

namespace cs {

namespace {

// Loops over restrict pointers without branches, so that they vectorise (the
// sign of a pre-activation is a coin toss: a branch would mispredict half
// the time). `in` may equal `out` only through activate()'s in-place path.
template <typename T>
void relu(const T* __restrict z, T* __restrict a, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) a[i] = z[i] > T(0) ? z[i] : T(0);
}

template <typename T>
void relu_backward(const T* __restrict a, const T* __restrict da, T* __restrict dz, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) {
        const T g = da[i], x = a[i]; // both loaded unconditionally: a select, no branch
        dz[i] = x > T(0) ? g : T(0);
    }
}

template <typename T>
void relu_inplace(T* __restrict a, std::size_t n)
{
    for (std::size_t i = 0; i < n; ++i) a[i] = a[i] > T(0) ? a[i] : T(0);
}

} // namespace

template <typename T>
CS_AVX2_CLONES void activate(Activation act, const T* z, T* a, std::size_t n)
{
    switch (act) {
    case Activation::linear:
    case Activation::softmax: // the loss applies it (fused): the logits pass on
        if (a != z) std::copy(z, z + n, a);
        break;
    case Activation::relu:
        if (a == z)
            relu_inplace(a, n);
        else
            relu(z, a, n);
        break;
    case Activation::tanh:
        for (std::size_t i = 0; i < n; ++i) a[i] = std::tanh(z[i]);
        break;
    case Activation::sigmoid:
        // Written so that exp never overflows: for z < 0, e^z / (1 + e^z).
        for (std::size_t i = 0; i < n; ++i) {
            if (z[i] >= T(0)) {
                a[i] = T(1) / (T(1) + std::exp(-z[i]));
            } else {
                const T e = std::exp(z[i]);
                a[i] = e / (T(1) + e);
            }
        }
        break;
    }
}

template <typename T>
CS_AVX2_CLONES void activation_backward(Activation act, const T* a_, const T* da_, T* dz_, std::size_t n)
{
    if (act == Activation::linear || act == Activation::softmax) {
        if (dz_ != da_) std::copy(da_, da_ + n, dz_);
        return;
    }
    const T* __restrict a = a_;
    const T* __restrict da = da_;
    T* __restrict dz = dz_;
    switch (act) {
    case Activation::linear:
    case Activation::softmax: break;
    case Activation::relu:
        relu_backward(a, da, dz, n);
        break;
    case Activation::tanh:
        for (std::size_t i = 0; i < n; ++i) dz[i] = da[i] * (T(1) - a[i] * a[i]);
        break;
    case Activation::sigmoid:
        for (std::size_t i = 0; i < n; ++i) dz[i] = da[i] * a[i] * (T(1) - a[i]);
        break;
    }
}

template void activate<float>(Activation, const float*, float*, std::size_t);
template void activate<double>(Activation, const double*, double*, std::size_t);
template void activation_backward<float>(Activation, const float*, const float*, float*, std::size_t);
template void activation_backward<double>(Activation, const double*, const double*, double*, std::size_t);

} // namespace cs
