// Copying with streaming stores, for data written once and read, if ever,
// much later (a parameter timeline's snapshots): the stores bypass the
// caches, so a copy of LeNet-5's 247 kB does not evict the training's
// weights and activations as a plain copy would.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace cs {

inline void copy_streaming(const float* from, float* to, std::size_t n)
{
#if defined(__SSE2__)
    std::size_t i = 0;
    for (; i < n && (reinterpret_cast<std::uintptr_t>(to + i) & 15) != 0; ++i) to[i] = from[i];
    for (; i + 4 <= n; i += 4) _mm_stream_ps(to + i, _mm_loadu_ps(from + i));
    for (; i < n; ++i) to[i] = from[i];
    _mm_sfence();
#else
    std::copy_n(from, n, to);
#endif
}

// Doubles are the tests' (finite differences): a plain copy.
inline void copy_streaming(const double* from, double* to, std::size_t n) { std::copy_n(from, n, to); }

} // namespace cs
