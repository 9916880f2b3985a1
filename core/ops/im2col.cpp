#include "im2col.hpp"

#include "cpu_dispatch.hpp"
#include "checked_arithmetic.hpp"

#include <algorithm>

namespace cs {

std::size_t conv_output_size(std::size_t in, std::size_t k, std::size_t s, Padding padding)
{
    if (padding == Padding::same) return (in + s - 1) / s;
    return in < k ? 0 : (in - k) / s + 1;
}

std::size_t conv_pad_before(std::size_t in, std::size_t k, std::size_t s, Padding padding)
{
    if (padding == Padding::valid) return 0;
    const std::size_t out = conv_output_size(in, k, s, padding);
    const std::size_t needed = (out - 1) * s + k;
    const std::size_t total = needed > in ? needed - in : 0;
    return total / 2;
}

ConvGeometry conv_geometry(const Shape& A, const Shape& W, Padding padding, Stride stride)
{
    const auto shapes = [&] { return " (A_prev " + A.str() + ", W " + W.str() + ")"; };
    if (A.rank() != 4) throw ShapeError("conv: A_prev must have rank 4 (m, h, w, c)" + shapes());
    if (W.rank() != 4) throw ShapeError("conv: W must have rank 4 (kh, kw, c_prev, c_new)" + shapes());
    if (stride.h == 0 || stride.w == 0)
        throw ShapeError("conv: stride must be positive, not (" + std::to_string(stride.h) + ", " +
                         std::to_string(stride.w) + ")");
    if (A.elements() == 0 || W.elements() == 0) throw ShapeError("conv: empty tensor" + shapes());
    if (A[3] != W[2])
        throw ShapeError("conv: A_prev has " + std::to_string(A[3]) + " channels but W expects " +
                         std::to_string(W[2]) + shapes());

    ConvGeometry g;
    g.m = A[0];
    g.h_prev = A[1];
    g.w_prev = A[2];
    g.c_prev = A[3];
    g.kh = W[0];
    g.kw = W[1];
    g.c_new = W[3];
    g.sh = stride.h;
    g.sw = stride.w;
    g.h_out = conv_output_size(g.h_prev, g.kh, g.sh, padding);
    g.w_out = conv_output_size(g.w_prev, g.kw, g.sw, padding);
    g.pad_top = conv_pad_before(g.h_prev, g.kh, g.sh, padding);
    g.pad_left = conv_pad_before(g.w_prev, g.kw, g.sw, padding);
    // 'same' pads until every window fits, so only 'valid' can fail here.
    if (g.h_out == 0 || g.w_out == 0)
        throw ShapeError("conv: kernel " + std::to_string(g.kh) + "x" + std::to_string(g.kw) +
                         " is larger than the padded input" + shapes());
    // The patch matrix (kh*kw*c_prev, m*h_out*w_out) is allocated from these:
    // its size must not wrap. Its factors are each at most W's or A's size,
    // so once the whole product fits, patch_rows() and out_pixels() do too.
    std::size_t patch_values = 1;
    for (std::size_t f : {g.kh, g.kw, g.c_prev, g.m, g.h_out, g.w_out})
        if (!multiply_fits(patch_values, f, patch_values))
            throw SizeOverflow("conv: the im2col patches do not fit in 64 bits" + shapes());
    return g;
}

namespace {

// The columns of the window row that fall inside the image: [j0, j1).
// Inline copy loops, not memcpy: the runs are short (kw * c_prev values, 5
// for LeNet's first layer) and a call per run would dominate.
struct RowSpan {
    std::size_t j0, j1;
};

inline RowSpan inside_columns(const ConvGeometry& g, std::size_t ow)
{
    const long first = long(ow * g.sw) - long(g.pad_left); // image column of j = 0
    const long j0 = std::max(0L, -first);
    const long j1 = std::min(long(g.kw), long(g.w_prev) - first);
    return {std::size_t(j0), std::size_t(std::max(j0, j1))};
}

// Run is kw * c_prev when known at compile time (0: read it from g), so that
// the copy of a window row inside the image unrolls into a few vector moves.
template <typename T, std::size_t Run>
void im2col_rows(const T* A, const ConvGeometry& g, T* __restrict col)
{
    const std::size_t rows = g.patch_rows();
    const std::size_t c = g.c_prev, run = Run ? Run : g.kw * c;
    for (std::size_t n = 0; n < g.m; ++n) {
        const T* image = A + n * g.h_prev * g.w_prev * c;
        for (std::size_t oh = 0; oh < g.h_out; ++oh) {
            for (std::size_t ow = 0; ow < g.w_out; ++ow, col += rows) {
                const RowSpan span = inside_columns(g, ow);
                const std::size_t lo = span.j0 * c, hi = span.j1 * c;
                // Window cell (i, j), channel ch, is row[shift + j*c + ch];
                // shift < 0 only where the cells fall in the padding.
                const long shift = long(ow * g.sw * c) - long(g.pad_left * c);
                T* __restrict dst = col;
                for (std::size_t i = 0; i < g.kh; ++i, dst += run) {
                    // Signed: the window may start in the top/left padding.
                    const long ih = long(oh * g.sh + i) - long(g.pad_top);
                    if (ih < 0 || ih >= long(g.h_prev)) {
                        for (std::size_t k = 0; k < run; ++k) dst[k] = T(0);
                        continue;
                    }
                    const long base = long(std::size_t(ih) * g.w_prev * c) + shift;
                    if (lo == 0 && hi == run) { // the common case: all inside, base >= 0
                        const T* __restrict src = image + base;
                        for (std::size_t k = 0; k < run; ++k) dst[k] = src[k];
                        continue;
                    }
                    for (std::size_t k = 0; k < lo; ++k) dst[k] = T(0);
                    for (std::size_t k = lo; k < hi; ++k) dst[k] = image[base + long(k)];
                    for (std::size_t k = hi; k < run; ++k) dst[k] = T(0);
                }
            }
        }
    }
}

} // namespace

template <typename T>
void im2col(const T* A, const ConvGeometry& g, arma::Mat<T>& P)
{
    P.set_size(g.patch_rows(), g.out_pixels());
    // Specialised for LeNet-5's runs: 5x5 kernels over 1, 3 and 6 channels.
    switch (g.kw * g.c_prev) {
    case 5: return im2col_rows<T, 5>(A, g, P.memptr());
    case 15: return im2col_rows<T, 15>(A, g, P.memptr());
    case 30: return im2col_rows<T, 30>(A, g, P.memptr());
    default: return im2col_rows<T, 0>(A, g, P.memptr());
    }
}

template <typename T>
CS_AVX2_CLONES void col2im_add(const arma::Mat<T>& dP, const ConvGeometry& g, T* dA)
{
    const std::size_t rows = g.patch_rows();
    const T* __restrict col = dP.memptr();
    const std::size_t c = g.c_prev, run = g.kw * c;
    for (std::size_t n = 0; n < g.m; ++n) {
        T* image = dA + n * g.h_prev * g.w_prev * c;
        for (std::size_t oh = 0; oh < g.h_out; ++oh) {
            for (std::size_t ow = 0; ow < g.w_out; ++ow, col += rows) {
                const RowSpan span = inside_columns(g, ow);
                const std::size_t lo = span.j0 * c, hi = span.j1 * c;
                const T* __restrict src = col;
                for (std::size_t i = 0; i < g.kh; ++i, src += run) {
                    const long ih = long(oh * g.sh + i) - long(g.pad_top);
                    if (ih < 0 || ih >= long(g.h_prev)) continue;
                    T* __restrict row = image + std::size_t(ih) * g.w_prev * c;
                    const long shift = long(ow * g.sw * c) - long(g.pad_left * c);
                    for (std::size_t k = lo; k < hi; ++k) row[shift + long(k)] += src[k];
                }
            }
        }
    }
}

template void im2col<float>(const float*, const ConvGeometry&, arma::Mat<float>&);
template void im2col<double>(const double*, const ConvGeometry&, arma::Mat<double>&);
template void col2im_add<float>(const arma::Mat<float>&, const ConvGeometry&, float*);
template void col2im_add<double>(const arma::Mat<double>&, const ConvGeometry&, double*);

} // namespace cs
