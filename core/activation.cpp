#include "activation.hpp"

#include <cmath>

namespace cs {

template <typename T>
void activate(Activation act, const T* z, T* a, std::size_t n)
{
    switch (act) {
    case Activation::linear:
        if (a != z)
            for (std::size_t i = 0; i < n; ++i) a[i] = z[i];
        break;
    case Activation::relu:
        for (std::size_t i = 0; i < n; ++i) a[i] = z[i] > T(0) ? z[i] : T(0);
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
void activation_backward(Activation act, const T* a, const T* da, T* dz, std::size_t n)
{
    switch (act) {
    case Activation::linear:
        if (dz != da)
            for (std::size_t i = 0; i < n; ++i) dz[i] = da[i];
        break;
    case Activation::relu:
        for (std::size_t i = 0; i < n; ++i) dz[i] = a[i] > T(0) ? da[i] : T(0);
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
