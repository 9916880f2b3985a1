#include "im2col.hpp"

#include <algorithm>
#include <cstring>

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
    return g;
}

template <typename T>
void im2col(const T* A, const ConvGeometry& g, arma::Mat<T>& P)
{
    const std::size_t rows = g.patch_rows();
    P.set_size(rows, g.out_pixels());
    T* col = P.memptr();
    const std::size_t c = g.c_prev;
    for (std::size_t n = 0; n < g.m; ++n) {
        const T* image = A + n * g.h_prev * g.w_prev * c;
        for (std::size_t oh = 0; oh < g.h_out; ++oh) {
            for (std::size_t ow = 0; ow < g.w_out; ++ow, col += rows) {
                T* dst = col;
                for (std::size_t i = 0; i < g.kh; ++i) {
                    // Signed: the window may start in the top/left padding.
                    const long ih = long(oh * g.sh + i) - long(g.pad_top);
                    if (ih < 0 || ih >= long(g.h_prev)) {
                        std::fill(dst, dst + g.kw * c, T(0));
                        dst += g.kw * c;
                        continue;
                    }
                    const T* row = image + std::size_t(ih) * g.w_prev * c;
                    for (std::size_t j = 0; j < g.kw; ++j, dst += c) {
                        const long iw = long(ow * g.sw + j) - long(g.pad_left);
                        if (iw < 0 || iw >= long(g.w_prev))
                            std::fill(dst, dst + c, T(0));
                        else
                            std::memcpy(dst, row + std::size_t(iw) * c, c * sizeof(T));
                    }
                }
            }
        }
    }
}

template <typename T>
void col2im_add(const arma::Mat<T>& dP, const ConvGeometry& g, T* dA)
{
    const std::size_t rows = g.patch_rows();
    const T* col = dP.memptr();
    const std::size_t c = g.c_prev;
    for (std::size_t n = 0; n < g.m; ++n) {
        T* image = dA + n * g.h_prev * g.w_prev * c;
        for (std::size_t oh = 0; oh < g.h_out; ++oh) {
            for (std::size_t ow = 0; ow < g.w_out; ++ow, col += rows) {
                const T* src = col;
                for (std::size_t i = 0; i < g.kh; ++i) {
                    const long ih = long(oh * g.sh + i) - long(g.pad_top);
                    if (ih < 0 || ih >= long(g.h_prev)) {
                        src += g.kw * c;
                        continue;
                    }
                    T* row = image + std::size_t(ih) * g.w_prev * c;
                    for (std::size_t j = 0; j < g.kw; ++j, src += c) {
                        const long iw = long(ow * g.sw + j) - long(g.pad_left);
                        if (iw < 0 || iw >= long(g.w_prev)) continue;
                        T* dst = row + std::size_t(iw) * c;
                        for (std::size_t k = 0; k < c; ++k) dst[k] += src[k];
                    }
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
