#include "pool.hpp"

#include "cpu_dispatch.hpp"
#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>

namespace cs {

PoolGeometry pool_geometry(const Shape& A, KernelShape k, Stride s)
{
    // The message is made only on failure: every pass of a pooling layer
    // comes here, and a warm pass allocates nothing.
    const auto fail = [&](const char* what) {
        return ShapeError(std::string("pool: ") + what + " (A_prev " + A.str() + ", kernel (" + std::to_string(k.h) +
                          ", " + std::to_string(k.w) + "), stride (" + std::to_string(s.h) + ", " +
                          std::to_string(s.w) + "))");
    };
    if (A.rank() != 4) throw fail("A_prev must have rank 4 (m, h, w, c)");
    if (A.elements() == 0) throw fail("A_prev is empty");
    if (k.h == 0 || k.w == 0) throw fail("kernel must be at least 1x1");
    if (s.h == 0 || s.w == 0) throw fail("stride must be positive");
    if (k.h > A[1] || k.w > A[2]) throw fail("kernel is larger than the input");
    if (A.elements() > std::numeric_limits<std::uint32_t>::max()) throw fail("A_prev is too large to index");
    PoolGeometry g;
    g.m = A[0];
    g.h_prev = A[1];
    g.w_prev = A[2];
    g.c = A[3];
    g.kh = k.h;
    g.kw = k.w;
    g.sh = s.h;
    g.sw = s.w;
    g.h_out = (g.h_prev - g.kh) / g.sh + 1;
    g.w_out = (g.w_prev - g.kw) / g.sw + 1;
    return g;
}

namespace {

// Max pooling, NHWC: each output pixel's C channels are the first maximum
// of its window in row-major order (a strict '>': ties keep the first), and
// argmax says where each was. Branch-free, since which cell wins cannot be
// predicted: as a branch per value (GCC's choice for a few channels, C = 6
// in LeNet-5) it cost a fifth of a whole training step. FixedC > 0: C known
// at compile time (1 to 3 channels, whose pixels are too narrow for a
// vector), FixedC = 0 takes g.c (double, which tests use).
template <typename T, std::size_t FixedC>
void max_pool(const T* __restrict A_prev, const PoolGeometry& g, T* __restrict A, std::uint32_t* __restrict argmax)
{
    const std::size_t C = FixedC ? FixedC : g.c;
    for (std::size_t n = 0, o = 0; n < g.m; ++n)
        for (std::size_t oh = 0; oh < g.h_out; ++oh)
            for (std::size_t ow = 0; ow < g.w_out; ++ow, o += C) {
                const std::size_t origin = ((n * g.h_prev + oh * g.sh) * g.w_prev + ow * g.sw) * C;
                T* __restrict out = A + o;
                std::uint32_t* __restrict win = argmax + o;
                for (std::size_t c = 0; c < C; ++c) {
                    out[c] = A_prev[origin + c];
                    win[c] = std::uint32_t(origin + c);
                }
                for (std::size_t i = 0; i < g.kh; ++i)
                    for (std::size_t j = 0; j < g.kw; ++j) {
                        if (i == 0 && j == 0) continue;
                        const std::size_t at = origin + (i * g.w_prev + j) * C;
                        const T* __restrict cell = A_prev + at;
                        for (std::size_t c = 0; c < C; ++c) {
                            // out < v is v > out: std::max keeps out on ties
                            // and NaNs, exactly as the mask does.
                            const std::uint32_t wins = 0u - std::uint32_t(cell[c] > out[c]);
                            win[c] = (win[c] & ~wins) | (std::uint32_t(at + c) & wins);
                            out[c] = std::max(out[c], cell[c]);
                        }
                    }
            }
}

// float with at least 4 channels: a pixel's channels in vectors of 4
// (GCC's vector extensions: SSE2 on any x86-64, NEON on ARM), the last one
// overlapping the one before when 4 does not divide C (C = 6: channels 0-3,
// then 2-5). Overlapping lanes compute the same values from the same data,
// so no lane is masked and nothing past a pixel is read or written.
CS_AVX2_CLONES void max_pool_vectors(const float* __restrict A_prev, const PoolGeometry& g, float* __restrict A,
                      std::uint32_t* __restrict argmax)
{
    using F4 = float __attribute__((vector_size(16)));
    using U4 = std::uint32_t __attribute__((vector_size(16)));
    using I4 = std::int32_t __attribute__((vector_size(16)));
    const auto load = [](const float* p) {
        F4 v;
        std::memcpy(&v, p, sizeof v);
        return v;
    };
    const std::size_t C = g.c;
    const U4 lane{0, 1, 2, 3};
    for (std::size_t n = 0, o = 0; n < g.m; ++n)
        for (std::size_t oh = 0; oh < g.h_out; ++oh)
            for (std::size_t ow = 0; ow < g.w_out; ++ow, o += C) {
                const std::size_t origin = ((n * g.h_prev + oh * g.sh) * g.w_prev + ow * g.sw) * C;
                for (std::size_t c0 = 0; c0 < C; c0 = c0 + 4 < C && c0 + 8 > C ? C - 4 : c0 + 4) {
                    F4 best = load(A_prev + origin + c0);
                    U4 win = lane + std::uint32_t(origin + c0);
                    for (std::size_t i = 0; i < g.kh; ++i)
                        for (std::size_t j = 0; j < g.kw; ++j) {
                            if (i == 0 && j == 0) continue;
                            const std::size_t at = origin + (i * g.w_prev + j) * C + c0;
                            const F4 v = load(A_prev + at);
                            const U4 wins = U4(I4(v > best)); // all ones where v wins
                            win = (win & ~wins) | ((lane + std::uint32_t(at)) & wins);
                            best = v > best ? v : best;
                        }
                    std::memcpy(A + o + c0, &best, sizeof best);
                    std::memcpy(argmax + o + c0, &win, sizeof win);
                }
            }
}

template <typename T>
void max_pool_any(const T* A_prev, const PoolGeometry& g, T* A, std::uint32_t* argmax)
{
    if constexpr (std::is_same_v<T, float>)
        if (g.c >= 4) return max_pool_vectors(A_prev, g, A, argmax);
    switch (g.c) {
    case 1: return max_pool<T, 1>(A_prev, g, A, argmax);
    case 2: return max_pool<T, 2>(A_prev, g, A, argmax);
    case 3: return max_pool<T, 3>(A_prev, g, A, argmax);
    default: return max_pool<T, 0>(A_prev, g, A, argmax);
    }
}

} // namespace

template <typename T>
void pool_forward_into(const T* A_prev, const PoolGeometry& g, PoolMode mode, Tensor<T>& A,
                       std::vector<std::uint32_t>& argmax)
{
    A.resize(g.output_shape());
    if (mode == PoolMode::max) {
        argmax.resize(A.size());
        max_pool_any(A_prev, g, A.data(), argmax.data());
        return;
    }
    const T inv_area = T(1) / T(g.kh * g.kw);
    const std::size_t C = g.c;
    for (std::size_t n = 0, o = 0; n < g.m; ++n)
        for (std::size_t oh = 0; oh < g.h_out; ++oh)
            for (std::size_t ow = 0; ow < g.w_out; ++ow, o += C) {
                const std::size_t origin = ((n * g.h_prev + oh * g.sh) * g.w_prev + ow * g.sw) * C;
                T* __restrict out = A.data() + o;
                for (std::size_t c = 0; c < C; ++c) out[c] = T(0);
                for (std::size_t i = 0; i < g.kh; ++i)
                    for (std::size_t j = 0; j < g.kw; ++j) {
                        const T* __restrict cell = A_prev + origin + (i * g.w_prev + j) * C;
                        for (std::size_t c = 0; c < C; ++c) out[c] += cell[c];
                    }
                for (std::size_t c = 0; c < C; ++c) out[c] *= inv_area;
            }
}

template <typename T>
CS_AVX2_CLONES void pool_backward_into(const T* dA, const PoolGeometry& g, PoolMode mode, const std::vector<std::uint32_t>& argmax,
                        T* dA_prev)
{
    const std::size_t n_in = g.m * g.h_prev * g.w_prev * g.c;
    const std::size_t n_out = g.m * g.h_out * g.w_out * g.c;
    std::fill(dA_prev, dA_prev + n_in, T(0));
    if (mode == PoolMode::max) {
        for (std::size_t o = 0; o < n_out; ++o) dA_prev[argmax[o]] += dA[o];
        return;
    }
    const T inv_area = T(1) / T(g.kh * g.kw);
    std::size_t o = 0;
    for (std::size_t n = 0; n < g.m; ++n)
        for (std::size_t oh = 0; oh < g.h_out; ++oh)
            for (std::size_t ow = 0; ow < g.w_out; ++ow)
                for (std::size_t c = 0; c < g.c; ++c, ++o) {
                    const std::size_t origin = ((n * g.h_prev + oh * g.sh) * g.w_prev + ow * g.sw) * g.c + c;
                    const T share = dA[o] * inv_area;
                    for (std::size_t i = 0; i < g.kh; ++i)
                        for (std::size_t j = 0; j < g.kw; ++j) dA_prev[origin + (i * g.w_prev + j) * g.c] += share;
                }
}

template <typename T>
Tensor<T> pool_forward(const Tensor<T>& A_prev, KernelShape kernel_shape, Stride stride, PoolMode mode)
{
    const PoolGeometry g = pool_geometry(A_prev.shape(), kernel_shape, stride);
    Tensor<T> A;
    std::vector<std::uint32_t> argmax;
    pool_forward_into(A_prev.data(), g, mode, A, argmax);
    return A;
}

template <typename T>
Tensor<T> pool_backward(const Tensor<T>& dA, const Tensor<T>& A_prev, KernelShape kernel_shape, Stride stride,
                        PoolMode mode)
{
    const PoolGeometry g = pool_geometry(A_prev.shape(), kernel_shape, stride);
    if (!(dA.shape() == g.output_shape()))
        throw ShapeError("pool_backward: dA has shape " + dA.shape().str() + " but pooling A_prev " +
                         A_prev.shape().str() + " gives " + g.output_shape().str());
    // The winners are not an input of the course's API: find them again.
    Tensor<T> A;
    std::vector<std::uint32_t> argmax;
    if (mode == PoolMode::max) pool_forward_into(A_prev.data(), g, mode, A, argmax);
    Tensor<T> dA_prev(A_prev.shape());
    pool_backward_into(dA.data(), g, mode, argmax, dA_prev.data());
    return dA_prev;
}

#define CS_INSTANTIATE(T)                                                                                          \
    template void pool_forward_into<T>(const T*, const PoolGeometry&, PoolMode, Tensor<T>&,                        \
                                       std::vector<std::uint32_t>&);                                               \
    template void pool_backward_into<T>(const T*, const PoolGeometry&, PoolMode, const std::vector<std::uint32_t>&, \
                                        T*);                                                                       \
    template Tensor<T> pool_forward<T>(const Tensor<T>&, KernelShape, Stride, PoolMode);                           \
    template Tensor<T> pool_backward<T>(const Tensor<T>&, const Tensor<T>&, KernelShape, Stride, PoolMode);
CS_INSTANTIATE(float)
CS_INSTANTIATE(double)
#undef CS_INSTANTIATE

} // namespace cs
