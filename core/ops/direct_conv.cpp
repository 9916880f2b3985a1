#include "direct_conv.hpp"

#include "checked_arithmetic.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <type_traits>
#include <vector>

// The hot loops are written once, on GCC/clang vector types, and compiled
// twice on x86-64: with 16-byte vectors for the build's baseline (SSE2, as
// the rest of the project, which has no -march), and with 32-byte vectors,
// AVX2 and FMA, picked at run time when the CPU has them. Elsewhere only
// the first, which the compiler maps onto the target's vectors (NEON...).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CS_DIRECT_AVX2 1
#define CS_TARGET_AVX2 __attribute__((target("avx2,fma")))
#else
#define CS_DIRECT_AVX2 0
#endif

namespace cs {

namespace {

// Vectors of B bytes: 32 (8 floats, 4 doubles) in the AVX2 build, 16 in
// the baseline one (SSE2 has no wider registers: 32-byte vectors there went
// through the stack and ran 5 times slower than the GEMM). Their unaligned,
// aliasing twins are for loads and stores from T arrays.
template <typename T, std::size_t B>
struct VecOf {
    typedef T type __attribute__((vector_size(B)));
    typedef T unaligned __attribute__((vector_size(B), aligned(sizeof(T)), may_alias));
};
template <typename T, std::size_t B>
using Vec = typename VecOf<T, B>::type;
template <typename T, std::size_t B>
using VecU = typename VecOf<T, B>::unaligned;
template <typename T, std::size_t B>
constexpr std::size_t lanes = B / sizeof(T);

// F, the vectors that hold a pixel's c_new <= 16 filters (the padding
// ones zero), rounded up to 1, 2, 4 or 8 to keep the instances few: 1 or 2
// for floats in the AVX2 build (LeNet: 1), up to 8 for doubles in the
// baseline one. F * lanes <= 16 always.
template <typename T, std::size_t B>
std::size_t filter_vectors(std::size_t c_new)
{
    const std::size_t v = (c_new + lanes<T, B> - 1) / lanes<T, B>;
    return v <= 1 ? 1 : v <= 2 ? 2 : v <= 4 ? 4 : 8;
}
constexpr std::size_t widest_filters = 16;

// The forward's block: Q positions by F vectors of filters, Q*F sums in
// registers. Each tap loads F weight vectors and Q inputs (broadcast) for
// Q*F multiply-adds: Q=12, F=1 keeps 14 of AVX2's 16 registers; the 12
// independent sums hide the FMA's latency.
constexpr std::size_t forward_positions(std::size_t F) { return F >= 12 ? 1 : 12 / F; }
constexpr std::size_t widest_forward_block = 12;

// The weight gradient's block: TB taps by F vectors of filters, over every
// pixel of one sample; per pixel F dZ vectors and TB inputs (broadcast) feed
// TB*F multiply-adds. TB=13, F=1: 15 registers. The taps are shared out in
// as few passes as that allows, each pass by the block of its width (25
// taps in passes of 13 and 12).
constexpr std::size_t grad_taps(std::size_t F) { return F == 1 ? 13 : 12 / F; }

// Where everything lies for one geometry (see direct_conv.hpp).
struct Layout {
    std::size_t hp, wp; // a padded plane (hp, wp)
    std::size_t plane;  // hp * wp
    std::size_t used;   // flat positions that can be pixels: h_out * wp
    std::size_t rows;   // one sample's planes and zero tail
    std::size_t taps;   // kh * kw * c_prev
};

Layout layout_of(const ConvGeometry& g)
{
    Layout l;
    l.hp = g.h_out + g.kh - 1;
    l.wp = g.w_out + g.kw - 1;
    l.plane = checked_mul(l.hp, l.wp, "direct conv: a padded plane");
    l.used = checked_mul(g.h_out, l.wp, "direct conv: positions");
    // The forward computes whole blocks of positions up to used - 1 + Q - 1;
    // its last tap, off = (c_prev - 1)*plane + (kh - 1)*wp + kw - 1, then
    // reads up to c_prev*plane + kw + Q - 3 (hp = h_out + kh - 1): a tail of
    // kw - 1 + Q - 1 zeros after the planes keeps every read inside the
    // column. (The weight gradient reads pixels only: < c_prev*plane.)
    const std::size_t tail = g.kw - 1 + widest_forward_block - 1;
    l.rows = checked_add(checked_mul(g.c_prev, l.plane, "direct conv: planes"), tail, "direct conv: planes");
    l.taps = g.kh * g.kw * g.c_prev;
    return l;
}

// What the kernels are given, beyond the data: the geometry, its layout,
// off(t) = c*hp*wp + i*wp + j for each tap t = (i, j, c), and the weights
// and bias with the filters padded with zeros to whole vectors:
// Wv (taps, F*lanes), bv (F*lanes).
template <typename T>
struct Job {
    const ConvGeometry& g;
    const Layout& l;
    const std::size_t* off;
    const T* Wv;
    const T* bv;
};

// Everything below inlines into the two builds of forward_all and grad_all,
// and the loops over a block's registers unroll fully, so that the vectors
// of a block stay in registers. No vector crosses a call: a 32-byte vector
// by value would change the ABI between the two builds.
#define CS_INLINE __attribute__((always_inline)) inline
template <typename T, std::size_t B>
CS_INLINE void load(Vec<T, B>& v, const T* p)
{
    v = *reinterpret_cast<const VecU<T, B>*>(p);
}
template <typename T, std::size_t B>
CS_INLINE void store(T* p, const Vec<T, B>& v)
{
    *reinterpret_cast<VecU<T, B>*>(p) = v;
}

// Writes the sums of positions p0 .. p0 + Q - 1 into Z where they are
// pixels: pixel (oh, ow) is at p = oh*wp + ow when ow < w_out; pixels are
// consecutive in Z, and Zp points at the next one to write.
// A pixel's F vectors hold F*lanes >= c_new values; written whole, the ones
// past c_new land on the next pixel's first filters, which are written
// later (pixels go in order). Only at the end of Z (z_end) are the pixel's
// c_new values copied one by one.
template <typename T, std::size_t B, std::size_t F, std::size_t Q>
CS_INLINE void write_pixels(const Job<T>& job, const Vec<T, B> (&acc)[Q][F], std::size_t p0, T*& Zp, T* z_end)
{
    constexpr std::size_t L = lanes<T, B>;
    const ConvGeometry& g = job.g;
    std::size_t oh = p0 / job.l.wp, ow = p0 % job.l.wp;
    if (ow + Q <= g.w_out && oh < g.h_out && Zp + (Q - 1) * g.c_new + F * L <= z_end) {
        // The common case: Q pixels of one row, not the last of Z.
        for (std::size_t q = 0; q < Q; ++q, Zp += g.c_new)
            for (std::size_t f = 0; f < F; ++f) store<T, B>(Zp + f * L, acc[q][f]);
        return;
    }
    for (std::size_t q = 0; q < Q && oh < g.h_out; ++q) {
        if (ow < g.w_out) {
            if (Zp + F * L <= z_end) {
                for (std::size_t f = 0; f < F; ++f) store<T, B>(Zp + f * L, acc[q][f]);
            } else {
                T last[F * L];
                for (std::size_t f = 0; f < F; ++f) store<T, B>(last + f * L, acc[q][f]);
                std::copy(last, last + g.c_new, Zp);
            }
            Zp += g.c_new;
        }
        if (++ow == job.l.wp) ow = 0, ++oh;
    }
}

// The forward for any kernel width. For the positions p0 .. p0 + Q - 1 of
// sample x:
//   z[q][f] = b[f] + sum over taps t of W[t, f] * x[off(t) + p0 + q].
template <typename T, std::size_t B, std::size_t F, std::size_t Q>
CS_INLINE void forward_block(const Job<T>& job, const T* __restrict x, std::size_t p0, T*& Zp, T* z_end)
{
    constexpr std::size_t L = lanes<T, B>;
    Vec<T, B> bias[F], acc[Q][F];
    for (std::size_t f = 0; f < F; ++f) load<T, B>(bias[f], job.bv + f * L);
    for (std::size_t q = 0; q < Q; ++q)
        for (std::size_t f = 0; f < F; ++f) acc[q][f] = bias[f];
    const T* w = job.Wv;
    const T* xp = x + p0;
    for (std::size_t t = 0; t < job.l.taps; ++t, w += F * L) {
        Vec<T, B> wv[F];
        for (std::size_t f = 0; f < F; ++f) load<T, B>(wv[f], w + f * L);
        const T* xs = xp + job.off[t];
        // Opaque to the optimiser: else GCC keeps p0 + q for each q in a
        // register of its own (12 of them, spilled) instead of addressing
        // xs[q] as xs plus a constant.
        __asm__("" : "+r"(xs));
        for (std::size_t q = 0; q < Q; ++q) {
            const T xq = xs[q];
            for (std::size_t f = 0; f < F; ++f) acc[q][f] += wv[f] * xq;
        }
    }
    write_pixels<T, B, F, Q>(job, acc, p0, Zp, z_end);
}

// The forward for kernels KW wide (3 or 5) and one vector of filters,
// sliding: the same sums, but row by row of the kernel. For kernel row i
// and channel c the KW weight vectors stay in registers, and each input
// x[c*plane + i*wp + p0 + k], k < Q + KW - 1, is broadcast once for all the
// (q, j) with q + j = k. Q = 8, KW = 5: 14 registers; 12 broadcasts and 5
// weight loads feed 40 multiply-adds (the generic block loads one value
// per multiply-add).
constexpr std::size_t slide_positions = 8;

template <typename T, std::size_t B, std::size_t KW>
CS_INLINE void forward_slide_block(const Job<T>& job, const T* __restrict x, std::size_t p0, T*& Zp, T* z_end)
{
    constexpr std::size_t L = lanes<T, B>, Q = slide_positions;
    const ConvGeometry& g = job.g;
    Vec<T, B> acc[Q][1];
    Vec<T, B> bias;
    load<T, B>(bias, job.bv);
    for (std::size_t q = 0; q < Q; ++q) acc[q][0] = bias;
    for (std::size_t c = 0; c < g.c_prev; ++c)
        for (std::size_t i = 0; i < g.kh; ++i) {
            Vec<T, B> wv[KW];
            for (std::size_t j = 0; j < KW; ++j) load<T, B>(wv[j], job.Wv + ((i * KW + j) * g.c_prev + c) * L);
            const T* xs = x + c * job.l.plane + i * job.l.wp + p0;
            __asm__("" : "+r"(xs)); // as in forward_block
#pragma GCC unroll 16
            for (std::size_t k = 0; k < Q + KW - 1; ++k) {
                const T xk = xs[k];
#pragma GCC unroll 8
                for (std::size_t j = 0; j < KW; ++j)
                    if (k >= j && k - j < Q) acc[k - j][0] += wv[j] * xk;
            }
        }
    write_pixels<T, B, 1, Q>(job, acc, p0, Zp, z_end);
}

template <typename T, std::size_t B, std::size_t F>
CS_INLINE void forward_all(const Job<T>& job, const T* planes, T* Z)
{
    const ConvGeometry& g = job.g;
    T* const z_end = Z + g.m * g.h_out * g.w_out * g.c_new;
    T* Zp = Z;
    for (std::size_t n = 0; n < g.m; ++n) {
        const T* x = planes + n * job.l.rows;
        if constexpr (F == 1) {
            constexpr std::size_t Q = slide_positions;
            if (g.kw == 5) {
                for (std::size_t p0 = 0; p0 < job.l.used; p0 += Q) forward_slide_block<T, B, 5>(job, x, p0, Zp, z_end);
                continue;
            }
            if (g.kw == 3) {
                for (std::size_t p0 = 0; p0 < job.l.used; p0 += Q) forward_slide_block<T, B, 3>(job, x, p0, Zp, z_end);
                continue;
            }
        }
        constexpr std::size_t Q = forward_positions(F);
        for (std::size_t p0 = 0; p0 < job.l.used; p0 += Q) forward_block<T, B, F, Q>(job, x, p0, Zp, z_end);
    }
}

// dW[t0 + t, f] += sum over the pixels (oh, ow) of sample x of
//   x[off(t0 + t) + oh*wp + ow] * dZn[(oh*w_out + ow)*c_new + f],  t < TB.
// dZn's F vectors at a pixel reach F*lanes - c_new values into the next
// pixel (its lanes are summed and dropped): the caller makes sure that they
// exist.
template <typename T, std::size_t B, std::size_t F, std::size_t TB>
CS_INLINE void grad_block(const Job<T>& job, const T* __restrict x, const T* __restrict dZn, std::size_t t0,
                          T* __restrict dW)
{
    constexpr std::size_t L = lanes<T, B>;
    const ConvGeometry& g = job.g;
    Vec<T, B> acc[TB][F];
    for (std::size_t t = 0; t < TB; ++t)
        for (std::size_t f = 0; f < F; ++f) acc[t][f] = Vec<T, B>{};
    const T* xt[TB];
    for (std::size_t t = 0; t < TB; ++t) xt[t] = x + job.off[t0 + t];
    const T* dz = dZn;
    for (std::size_t oh = 0; oh < g.h_out; ++oh) {
        const std::size_t row = oh * job.l.wp;
        for (std::size_t ow = 0; ow < g.w_out; ++ow, dz += g.c_new) {
            Vec<T, B> dv[F];
            for (std::size_t f = 0; f < F; ++f) load<T, B>(dv[f], dz + f * L);
            for (std::size_t t = 0; t < TB; ++t) {
                const T xp = xt[t][row + ow];
                for (std::size_t f = 0; f < F; ++f) acc[t][f] += dv[f] * xp;
            }
        }
    }
    for (std::size_t t = 0; t < TB; ++t) {
        T sums[F * L];
        for (std::size_t f = 0; f < F; ++f) store<T, B>(sums + f * L, acc[t][f]);
        T* dw = dW + (t0 + t) * g.c_new;
        for (std::size_t f = 0; f < g.c_new; ++f) dw[f] += sums[f];
    }
}

// The taps t0 .. t0 + count - 1, count <= TB, by the block of that width.
template <typename T, std::size_t B, std::size_t F, std::size_t TB>
CS_INLINE void grad_taps_block(std::size_t count, const Job<T>& job, const T* x, const T* dZn, std::size_t t0,
                               T* dW)
{
    if (count == TB) return grad_block<T, B, F, TB>(job, x, dZn, t0, dW);
    if constexpr (TB > 1) grad_taps_block<T, B, F, TB - 1>(count, job, x, dZn, t0, dW);
}

// db += the sum of n pixel vectors dz[p*stride], lanes past c_new dropped
// later. Four sums: one would wait on the add's latency at every pixel.
template <typename T, std::size_t B, std::size_t F>
CS_INLINE void add_pixels(const T* dz, std::size_t n, std::size_t stride, Vec<T, B> (&sum)[F])
{
    constexpr std::size_t L = lanes<T, B>;
    for (std::size_t f = 0; f < F; ++f) {
        Vec<T, B> acc[4] = {};
        std::size_t p = 0;
        for (; p + 4 <= n; p += 4)
            for (std::size_t k = 0; k < 4; ++k) {
                Vec<T, B> v;
                load<T, B>(v, dz + (p + k) * stride + f * L);
                acc[k] += v;
            }
        for (; p < n; ++p) {
            Vec<T, B> v;
            load<T, B>(v, dz + p * stride + f * L);
            acc[0] += v;
        }
        sum[f] += (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }
}

template <typename T, std::size_t B, std::size_t F>
CS_INLINE void write_db(const ConvGeometry& g, const Vec<T, B> (&sum)[F], T* db)
{
    constexpr std::size_t L = lanes<T, B>;
    T lanes_of[F * L];
    for (std::size_t f = 0; f < F; ++f) store<T, B>(lanes_of + f * L, sum[f]);
    std::copy(lanes_of, lanes_of + g.c_new, db);
}

// The weight gradient for any kernel: dW += every sample's, db = dZ summed
// over m, h, w (db may be null). dZ's last sample goes through `scratch`, a
// copy of it followed by the F*lanes zeros that its last pixel's vectors read.
template <typename T, std::size_t B, std::size_t F>
CS_INLINE void grad_taps_all(const Job<T>& job, const T* planes, const T* dZ, T* scratch, T* dW, T* db)
{
    constexpr std::size_t TB = grad_taps(F);
    const ConvGeometry& g = job.g;
    const std::size_t pixels = g.h_out * g.w_out, passes = (job.l.taps + TB - 1) / TB;
    std::copy(dZ + (g.m - 1) * pixels * g.c_new, dZ + g.m * pixels * g.c_new, scratch);
    Vec<T, B> db_sum[F] = {};
    for (std::size_t n = 0; n < g.m; ++n) {
        const T* x = planes + n * job.l.rows;
        const T* dZn = n + 1 < g.m ? dZ + n * pixels * g.c_new : scratch;
        for (std::size_t pass = 0, t0 = 0; pass < passes; ++pass) {
            // Balanced passes: 25 taps by at most 13 go 13 + 12.
            const std::size_t count = (job.l.taps - t0) / (passes - pass) +
                                      ((job.l.taps - t0) % (passes - pass) != 0);
            grad_taps_block<T, B, F, TB>(count, job, x, dZn, t0, dW);
            t0 += count;
        }
        if (db) add_pixels<T, B, F>(dZn, pixels, g.c_new, db_sum);
    }
    if (db) write_db<T, B, F>(g, db_sum, db);
}

// The weight gradient for kernels KW wide (3 or 5) and one vector of
// filters, sliding. For kernel row i and channel c (a "tap row"),
//   dW[i, j, c] = sum over oh, ow of x[c*plane + (oh+i)*wp + ow + j] * dZ[oh, ow]
//               = sum over oh and k < wp of x[c*plane + (oh+i)*wp + k] * dZ[oh, k - j],
// with dZ[oh, p] = 0 outside 0 <= p < w_out. dZ's rows are first spread into
// dzp, R = w_out + 2(KW-1) vectors a row, pixel p at p + KW - 1 and zeros
// around. Then for each k, x[.. + k] of RB tap rows is broadcast once and
// multiplies the KW dZ vectors k - j: RB*KW sums in registers (RB = 2 for
// KW = 5: 10 independent sums, 13 registers, KW + RB loads per RB*KW
// multiply-adds). (Keeping the KW dZ vectors in registers too, as a window
// that slides, saves loads but needs 16 registers: one sum went to the
// stack, and the loop waited on it.)
// The rows go by tiles of `slide_tile_rows`: a tile's dzp (8 rows of 36
// vectors for LeNet, 9 KB) stays in the L1 cache while every tap row goes
// over it, and the sums go to memory (`sums`) only between tiles.
template <std::size_t KW>
constexpr std::size_t slide_tap_rows = KW == 5 ? 2 : 4;
constexpr std::size_t slide_tile_rows = 8;

// sums[b][j] += the tile's rows oh0 .. oh0 + rows - 1 for tap rows r0 + b.
template <typename T, std::size_t B, std::size_t KW, std::size_t RB>
CS_INLINE void grad_slide_rows(const Job<T>& job, const T* __restrict x, const T* __restrict dzp, std::size_t oh0,
                               std::size_t rows, std::size_t r0, T* __restrict sums)
{
    constexpr std::size_t L = lanes<T, B>;
    // Fewer than 8 sums (the last tap row of LeNet's 5 goes alone) would
    // wait on the FMA's latency: then even and odd k have sums of their own.
    constexpr std::size_t S = RB * KW < 8 ? 2 : 1;
    const ConvGeometry& g = job.g;
    const std::size_t R = g.w_out + 2 * (KW - 1), wp = job.l.wp;
    Vec<T, B> acc[S][RB][KW];
    const T* xb[RB];
    for (std::size_t b = 0; b < RB; ++b) {
        for (std::size_t j = 0; j < KW; ++j) {
            load<T, B>(acc[0][b][j], sums + (b * KW + j) * L);
            for (std::size_t u = 1; u < S; ++u) acc[u][b][j] = Vec<T, B>{};
        }
        const std::size_t i = (r0 + b) / g.c_prev, c = (r0 + b) % g.c_prev;
        xb[b] = x + c * job.l.plane + (i + oh0) * wp;
    }
    // Step k: x[.. + k] of each tap row times the dzp row vectors k + KW-1 - j,
    // which are dZ[oh, k - j]; into the sums of set u.
    const auto step = [&](std::size_t u, const T* const(&xr)[RB], std::size_t k, const T* d)
                          __attribute__((always_inline)) {
        T xk[RB];
        for (std::size_t b = 0; b < RB; ++b) xk[b] = xr[b][k];
        for (std::size_t j = 0; j < KW; ++j) {
            Vec<T, B> dv;
            load<T, B>(dv, d + (KW - 1 - j) * L);
            for (std::size_t b = 0; b < RB; ++b) acc[u][b][j] += dv * xk[b];
        }
    };
    for (std::size_t r = 0; r < rows; ++r) {
        const T* d = dzp + r * R * L;
        const T* xr[RB];
        for (std::size_t b = 0; b < RB; ++b) xr[b] = xb[b] + r * wp;
        std::size_t k = 0;
        for (; k + S <= wp; k += S, d += S * L) {
            // Opaque: else GCC sees that step k + 1 loads what step k did
            // and keeps the window in registers after all (predictive
            // commoning), spilling a sum.
            __asm__("" : "+r"(d));
            for (std::size_t u = 0; u < S; ++u) step(u, xr, k + u, d + u * L);
        }
        if (k < wp) step(0, xr, k, d);
    }
    for (std::size_t b = 0; b < RB; ++b)
        for (std::size_t j = 0; j < KW; ++j) {
            for (std::size_t u = 1; u < S; ++u) acc[0][b][j] += acc[u][b][j];
            store<T, B>(sums + (b * KW + j) * L, acc[0][b][j]);
        }
}

// The tap rows r0 .. r0 + count - 1, count <= RB, by the block of that size.
template <typename T, std::size_t B, std::size_t KW, std::size_t RB>
CS_INLINE void grad_slide_block(std::size_t count, const Job<T>& job, const T* x, const T* dzp, std::size_t oh0,
                                std::size_t rows, std::size_t r0, T* sums)
{
    if (count == RB) return grad_slide_rows<T, B, KW, RB>(job, x, dzp, oh0, rows, r0, sums);
    if constexpr (RB > 1) grad_slide_block<T, B, KW, RB - 1>(count, job, x, dzp, oh0, rows, r0, sums);
}

// scratch: dzp (slide_tile_rows, R, lanes), then the sums (kh*c_prev, KW,
// lanes); zeros on entry.
template <typename T, std::size_t B, std::size_t KW>
CS_INLINE void grad_slide_all(const Job<T>& job, const T* planes, const T* dZ, T* scratch, T* dW, T* db)
{
    constexpr std::size_t L = lanes<T, B>, RB = slide_tap_rows<KW>;
    const ConvGeometry& g = job.g;
    const std::size_t R = g.w_out + 2 * (KW - 1), pixels = g.h_out * g.w_out, tap_rows = g.kh * g.c_prev;
    const T* const dz_end = dZ + g.m * pixels * g.c_new;
    T* const dzp = scratch;
    T* const sums = scratch + slide_tile_rows * R * L;
    Vec<T, B> db_sum[1] = {};
    const T* src = dZ;
    for (std::size_t n = 0; n < g.m; ++n) {
        const T* x = planes + n * job.l.rows;
        for (std::size_t oh0 = 0; oh0 < g.h_out; oh0 += slide_tile_rows) {
            const std::size_t rows = std::min(slide_tile_rows, g.h_out - oh0);
            // dZ[n, oh, ow, :] -> dzp[oh - oh0][ow + KW - 1], a whole vector
            // read from dZ (the lanes past c_new belong to the next pixel,
            // and are dropped) but at the very end of dZ.
            for (std::size_t r = 0; r < rows; ++r) {
                T* row = dzp + (r * R + KW - 1) * L;
                for (std::size_t ow = 0; ow < g.w_out; ++ow, src += g.c_new) {
                    if (src + L <= dz_end) {
                        Vec<T, B> v;
                        load<T, B>(v, src);
                        store<T, B>(row + ow * L, v);
                    } else {
                        std::copy(src, src + g.c_new, row + ow * L);
                    }
                }
                if (db) add_pixels<T, B, 1>(row, g.w_out, L, db_sum);
            }
            for (std::size_t r0 = 0; r0 < tap_rows; r0 += RB)
                grad_slide_block<T, B, KW, RB>(std::min(RB, tap_rows - r0), job, x, dzp, oh0, rows, r0,
                                            sums + r0 * KW * L);
        }
    }
    for (std::size_t r = 0; r < tap_rows; ++r) {
        const std::size_t i = r / g.c_prev, c = r % g.c_prev;
        for (std::size_t j = 0; j < KW; ++j) {
            const T* sum = sums + (r * KW + j) * L;
            std::copy(sum, sum + g.c_new, dW + ((i * KW + j) * g.c_prev + c) * g.c_new);
        }
    }
    if (db) write_db<T, B, 1>(g, db_sum, db);
}

template <typename T, std::size_t B, std::size_t F>
CS_INLINE void grad_all(const Job<T>& job, const T* planes, const T* dZ, T* scratch, T* dW, T* db)
{
    if constexpr (F == 1) {
        if (job.g.kw == 5) return grad_slide_all<T, B, 5>(job, planes, dZ, scratch, dW, db);
        if (job.g.kw == 3) return grad_slide_all<T, B, 3>(job, planes, dZ, scratch, dW, db);
    }
    grad_taps_all<T, B, F>(job, planes, dZ, scratch, dW, db);
}

// What grad_all needs in `scratch`.
template <typename T, std::size_t B>
std::size_t grad_scratch(const ConvGeometry& g)
{
    if (filter_vectors<T, B>(g.c_new) == 1 && (g.kw == 3 || g.kw == 5))
        return (slide_tile_rows * (g.w_out + 2 * (g.kw - 1)) + g.kh * g.c_prev * g.kw) * lanes<T, B>;
    return g.h_out * g.w_out * g.c_new + widest_filters;
}

// F as a template argument.
template <typename T, std::size_t B, typename Run>
CS_INLINE void with_filter_vectors(std::size_t c_new, Run&& run)
{
    switch (filter_vectors<T, B>(c_new)) {
    case 1: return run(std::integral_constant<std::size_t, 1>{});
    case 2: return run(std::integral_constant<std::size_t, 2>{});
    case 4: return run(std::integral_constant<std::size_t, 4>{});
    }
    if constexpr (lanes<T, B> == 2) run(std::integral_constant<std::size_t, 8>{});
}

// The two builds: 16-byte vectors for the baseline, 32-byte ones with AVX2
// and FMA. Plain functions (overloads) rather than templates: GCC and
// clang agree on target attributes of those.
#define CS_BUILDS(T, B, ATTRIBUTES, NAME)                                                                      \
    ATTRIBUTES void forward_##NAME(const Job<T>& job, const T* planes, T* Z)                                   \
    {                                                                                                          \
        with_filter_vectors<T, B>(job.g.c_new, [&](auto F) __attribute__((always_inline)) {                    \
            forward_all<T, B, F()>(job, planes, Z);                                                            \
        });                                                                                                    \
    }                                                                                                          \
    ATTRIBUTES void grad_##NAME(const Job<T>& job, const T* planes, const T* dZ, T* scratch, T* dW, T* db)     \
    {                                                                                                          \
        with_filter_vectors<T, B>(job.g.c_new, [&](auto F) __attribute__((always_inline)) {                    \
            grad_all<T, B, F()>(job, planes, dZ, scratch, dW, db);                                             \
        });                                                                                                    \
    }
CS_BUILDS(float, 16, , baseline)
CS_BUILDS(double, 16, , baseline)
#if CS_DIRECT_AVX2
CS_BUILDS(float, 32, CS_TARGET_AVX2, avx2)
CS_BUILDS(double, 32, CS_TARGET_AVX2, avx2)
#endif
#undef CS_BUILDS

#if CS_DIRECT_AVX2
bool cpu_has_avx2()
{
    static const bool has = [] {
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }();
    return has;
}
#endif

std::atomic<bool> avx2_allowed{true};

bool run_avx2()
{
#if CS_DIRECT_AVX2
    return cpu_has_avx2() && avx2_allowed.load(std::memory_order_relaxed);
#else
    return false;
#endif
}

// A window has at most this many taps where the direct way applies: the
// per-call tables below live on the stack, so that a warm pass allocates
// nothing.
constexpr std::size_t widest_window = 256;
using TapOffsets = std::array<std::size_t, widest_window>;

// off(t) for t = (i, j, c), c fastest: the order of W's rows.
TapOffsets tap_offsets(const ConvGeometry& g, const Layout& l)
{
    TapOffsets off{};
    std::size_t t = 0;
    for (std::size_t i = 0; i < g.kh; ++i)
        for (std::size_t j = 0; j < g.kw; ++j)
            for (std::size_t c = 0; c < g.c_prev; ++c) off[t++] = c * l.plane + i * l.wp + j;
    return off;
}

void check_applies(const ConvGeometry& g, const char* what)
{
    if (!direct_conv_applies(g))
        throw ShapeError(std::string(what) + ": not a thin stride-1 convolution (" + std::to_string(g.c_new) +
                         " filters of " + std::to_string(g.patch_rows()) + " values)");
}

} // namespace

bool direct_conv_applies(const ConvGeometry& g)
{
    return g.sh == 1 && g.sw == 1 && g.c_new <= widest_filters && g.patch_rows() <= widest_window;
}

std::size_t direct_conv_kept_rows(const ConvGeometry& g) { return layout_of(g).rows; }

bool direct_conv_avx2_available()
{
#if CS_DIRECT_AVX2
    return cpu_has_avx2();
#else
    return false;
#endif
}

void direct_conv_allow_avx2(bool allow) { avx2_allowed.store(allow, std::memory_order_relaxed); }

template <typename T>
void direct_conv_pad(const T* A, const ConvGeometry& g, arma::Mat<T>& planes)
{
    check_applies(g, "direct_conv_pad");
    const Layout l = layout_of(g);
    planes.zeros(l.rows, g.m);
    for (std::size_t n = 0; n < g.m; ++n) {
        T* x = planes.colptr(n);
        for (std::size_t h = 0; h < g.h_prev; ++h) {
            T* row = x + (g.pad_top + h) * l.wp + g.pad_left;
            if (g.c_prev == 1) {
                std::copy(A, A + g.w_prev, row);
                A += g.w_prev;
                continue;
            }
            for (std::size_t w = 0; w < g.w_prev; ++w, A += g.c_prev)
                for (std::size_t c = 0; c < g.c_prev; ++c) row[c * l.plane + w] = A[c];
        }
    }
}

template <typename T>
void direct_conv_forward(const T* A_prev, const ConvGeometry& g, const T* W, const T* b, arma::Mat<T>& planes,
                         Tensor<T>& Z)
{
    direct_conv_pad(A_prev, g, planes);
    Z.resize(g.output_shape());
    const Layout l = layout_of(g);
    const TapOffsets off = tap_offsets(g, l);
    const bool avx2 = run_avx2();
    // W (taps, c_new) and b with the filters padded to whole vectors (at
    // most widest_filters wide), on the stack: at most 32 kB of doubles.
    const std::size_t width =
        avx2 ? filter_vectors<T, 32>(g.c_new) * lanes<T, 32> : filter_vectors<T, 16>(g.c_new) * lanes<T, 16>;
    alignas(64) std::array<T, widest_window * widest_filters> Wv;
    alignas(64) std::array<T, widest_filters> bv;
    std::fill(Wv.begin(), Wv.begin() + std::ptrdiff_t(l.taps * width), T(0));
    std::fill(bv.begin(), bv.end(), T(0));
    for (std::size_t t = 0; t < l.taps; ++t) std::copy(W + t * g.c_new, W + (t + 1) * g.c_new, Wv.data() + t * width);
    if (b) std::copy(b, b + g.c_new, bv.data());
    const Job<T> job{g, l, off.data(), Wv.data(), bv.data()};
#if CS_DIRECT_AVX2
    if (avx2) return forward_avx2(job, planes.memptr(), Z.data());
#endif
    forward_baseline(job, planes.memptr(), Z.data());
}

template <typename T>
void direct_conv_backward_weights(const T* dZ, const ConvGeometry& g, const arma::Mat<T>& planes, T* dW, T* db,
                                  arma::Mat<T>& scratch)
{
    check_applies(g, "direct_conv_backward_weights");
    const Layout l = layout_of(g);
    if (planes.n_rows != l.rows || planes.n_cols != g.m)
        throw ShapeError("direct_conv_backward_weights: the planes kept are not those of this geometry");
    const TapOffsets off = tap_offsets(g, l);
    const Job<T> job{g, l, off.data(), nullptr, nullptr};
    std::fill(dW, dW + l.taps * g.c_new, T(0));
#if CS_DIRECT_AVX2
    if (run_avx2()) {
        scratch.zeros(grad_scratch<T, 32>(g), 1);
        return grad_avx2(job, planes.memptr(), dZ, scratch.memptr(), dW, db);
    }
#endif
    scratch.zeros(grad_scratch<T, 16>(g), 1);
    grad_baseline(job, planes.memptr(), dZ, scratch.memptr(), dW, db);
}

#define CS_INSTANTIATE(T)                                                                                        \
    template void direct_conv_pad<T>(const T*, const ConvGeometry&, arma::Mat<T>&);                              \
    template void direct_conv_forward<T>(const T*, const ConvGeometry&, const T*, const T*, arma::Mat<T>&,        \
                                         Tensor<T>&);                                                            \
    template void direct_conv_backward_weights<T>(const T*, const ConvGeometry&, const arma::Mat<T>&, T*, T*,     \
                                                  arma::Mat<T>&);
CS_INSTANTIATE(float)
CS_INSTANTIATE(double)
#undef CS_INSTANTIATE

} // namespace cs
