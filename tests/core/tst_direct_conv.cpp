// The direct convolution of thin layers (direct_conv.hpp) against numbers
// that come from elsewhere: a case worked out by hand, the convolution's
// definition written as plain loops, central differences, and the im2col +
// GEMM path it replaces. Every check runs each build of the kernels that
// this machine can run (AVX2 + FMA, and the SSE2 baseline).
#include "conv.hpp"
#include "conv2d_layer.hpp"
#include "direct_conv.hpp"
#include "gemm.hpp"
#include "test_util.hpp"

#include <QTest>

#include <cmath>

using namespace cs;
using cs::test::dot;
using cs::test::gradient_error;
using cs::test::random_tensor;
using cs::test::tensor;

namespace {

// The builds to check: "baseline" always, "avx2" where the CPU has it.
std::vector<bool> builds()
{
    std::vector<bool> b{false};
    if (direct_conv_avx2_available()) b.push_back(true);
    return b;
}

// Runs f once per build, the build named in failure messages.
template <typename F>
void for_each_build(F f)
{
    for (bool avx2 : builds()) {
        direct_conv_allow_avx2(avx2);
        f(avx2 ? "avx2" : "baseline");
    }
    direct_conv_allow_avx2(true);
}

// Largest |actual - expected| <= tol * (1 + largest |expected|): sums of
// thousands of float products differ in their last bits with the order of
// summation, relative to the size of the sums.
template <typename T>
bool close(const T* actual, const T* expected, std::size_t n, double tol, const char* what)
{
    double worst = 0, scale = 0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
        scale = std::max(scale, std::abs(double(expected[i])));
        const double d = std::abs(double(actual[i]) - double(expected[i]));
        if (!(d <= worst)) worst = d, at = i; // NaN counts as the worst
    }
    if (worst <= tol * (1 + scale)) return true;
    qWarning("%s: element %zu is %.9g, expected %.9g (tolerance %.3g of %.3g)", what, at, double(actual[at]),
             double(expected[at]), tol, scale);
    return false;
}

// The definition (DESIGN.md), as plain loops in long double: Z = conv + b,
// dW, db and dA_prev for a given dZ.
template <typename T>
struct Reference {
    std::vector<T> Z, dW, db, dA;
};

template <typename T>
Reference<T> reference(const ConvGeometry& g, const T* A, const T* W, const T* b, const T* dZ)
{
    Reference<T> r;
    r.Z.assign(g.m * g.h_out * g.w_out * g.c_new, T(0));
    r.dW.assign(g.kh * g.kw * g.c_prev * g.c_new, T(0));
    r.db.assign(g.c_new, T(0));
    r.dA.assign(g.m * g.h_prev * g.w_prev * g.c_prev, T(0));
    std::vector<long double> dW(r.dW.size(), 0), db(g.c_new, 0), dA(r.dA.size(), 0);
    for (std::size_t n = 0; n < g.m; ++n)
        for (std::size_t oh = 0; oh < g.h_out; ++oh)
            for (std::size_t ow = 0; ow < g.w_out; ++ow)
                for (std::size_t f = 0; f < g.c_new; ++f) {
                    const std::size_t z = ((n * g.h_out + oh) * g.w_out + ow) * g.c_new + f;
                    long double sum = b ? b[f] : 0;
                    for (std::size_t i = 0; i < g.kh; ++i)
                        for (std::size_t j = 0; j < g.kw; ++j) {
                            const long h = long(oh * g.sh + i) - long(g.pad_top);
                            const long w = long(ow * g.sw + j) - long(g.pad_left);
                            if (h < 0 || w < 0 || h >= long(g.h_prev) || w >= long(g.w_prev)) continue;
                            for (std::size_t c = 0; c < g.c_prev; ++c) {
                                const std::size_t a = ((n * g.h_prev + h) * g.w_prev + w) * g.c_prev + c;
                                const std::size_t k = ((i * g.kw + j) * g.c_prev + c) * g.c_new + f;
                                sum += (long double)A[a] * W[k];
                                dW[k] += (long double)A[a] * dZ[z];
                                dA[a] += (long double)W[k] * dZ[z];
                            }
                        }
                    r.Z[z] = T(sum);
                    db[f] += dZ[z];
                }
    for (std::size_t i = 0; i < dW.size(); ++i) r.dW[i] = T(dW[i]);
    for (std::size_t i = 0; i < dA.size(); ++i) r.dA[i] = T(dA[i]);
    for (std::size_t f = 0; f < g.c_new; ++f) r.db[f] = T(db[f]);
    return r;
}

// The im2col + GEMM path that the direct one replaces, as conv.cpp had it.
template <typename T>
Reference<T> gemm_path(const ConvGeometry& g, const T* A, const T* W, const T* b, const T* dZ)
{
    Reference<T> r;
    arma::Mat<T> P, dP;
    im2col(A, g, P);
    const std::size_t pixels = g.out_pixels(), rows = g.patch_rows();
    r.Z.resize(g.c_new * pixels);
    gemm(false, false, g.c_new, pixels, rows, T(1), W, P.memptr(), T(0), r.Z.data());
    if (b) add_to_each_column(r.Z.data(), b, g.c_new, pixels);
    r.dW.resize(rows * g.c_new);
    gemm(false, true, g.c_new, rows, pixels, T(1), dZ, P.memptr(), T(0), r.dW.data());
    r.db.resize(g.c_new);
    sum_of_columns(dZ, g.c_new, pixels, r.db.data());
    dP.set_size(rows, pixels);
    gemm(true, false, rows, pixels, g.c_new, T(1), W, dZ, T(0), dP.memptr());
    r.dA.assign(g.m * g.h_prev * g.w_prev * g.c_prev, T(0));
    col2im_add(dP, g, r.dA.data());
    return r;
}

// What conv.cpp computes (the direct path wherever it applies), through the
// kernels that layers use, with buffers that have served another batch
// before (as a layer's scratch has).
template <typename T>
Reference<T> conv_path(const ConvGeometry& g, const T* A, const T* W, const T* b, const T* dZ)
{
    Reference<T> r;
    arma::Mat<T> kept(3, 5, arma::fill::randu), scratch(7, 2, arma::fill::randu);
    Tensor<T> Z(Shape{2, 2, 2, 2});
    conv_forward_into(A, g, W, b, kept, Z);
    r.Z.assign(Z.data(), Z.data() + Z.size());
    r.dW.assign(g.patch_rows() * g.c_new, T(-7));
    r.db.assign(g.c_new, T(-7));
    r.dA.assign(g.m * g.h_prev * g.w_prev * g.c_prev, T(-7));
    conv_backward_into(dZ, g, W, kept, r.dW.data(), b ? r.db.data() : nullptr, r.dA.data(), scratch);
    return r;
}

struct Case {
    Shape A, W;
    Padding padding = Padding::same;
};

} // namespace

Q_DECLARE_METATYPE(Case)

class TestDirectConv : public QObject {
    Q_OBJECT

private slots:
    void appliesToThinStrideOneConvolutions()
    {
        const auto applies = [](Shape A, Shape W, Padding p, Stride s = {1, 1}) {
            return direct_conv_applies(conv_geometry(A, W, p, s));
        };
        QVERIFY(applies({32, 28, 28, 1}, {5, 5, 1, 6}, Padding::same));    // LeNet conv1
        QVERIFY(applies({32, 14, 14, 6}, {5, 5, 6, 16}, Padding::valid));  // LeNet conv2
        QVERIFY(applies({1, 3, 3, 1}, {2, 2, 1, 1}, Padding::valid));
        QVERIFY(!applies({32, 28, 28, 1}, {5, 5, 1, 6}, Padding::same, {2, 2})); // stride
        QVERIFY(!applies({32, 28, 28, 1}, {5, 5, 1, 6}, Padding::same, {1, 2}));
        QVERIFY(!applies({32, 28, 28, 1}, {3, 3, 1, 17}, Padding::same));  // 17 filters
        QVERIFY(!applies({32, 14, 14, 11}, {5, 5, 11, 8}, Padding::same)); // 275 values a window
    }

    void byHand_data()
    {
        QTest::addColumn<bool>("single");
        QTest::newRow("double") << false;
        QTest::newRow("float") << true;
    }

    void byHand()
    {
        QFETCH(bool, single);
        if (single)
            byHandIn<float>();
        else
            byHandIn<double>();
    }

    void lenetConv1AgreesWithGemm_data()
    {
        QTest::addColumn<bool>("single");
        QTest::addColumn<int>("batch");
        QTest::newRow("double, batch 32") << false << 32;
        QTest::newRow("float, batch 32") << true << 32;
        QTest::newRow("float, batch 1") << true << 1;
    }

    void lenetConv1AgreesWithGemm()
    {
        QFETCH(bool, single);
        QFETCH(int, batch);
        const Case c{{std::size_t(batch), 28, 28, 1}, {5, 5, 1, 6}, Padding::same};
        if (single)
            agreesIn<float>(c, 2e-6, 2e-5, true);
        else
            agreesIn<double>(c, 1e-13, 1e-12, true);
    }

    void shapes_data()
    {
        QTest::addColumn<Case>("c");
        // Odd and even kernels, 'same' and 'valid', one channel and several,
        // widths that are not a multiple of 8, batches of 1 and 7, a filter
        // count in every range of the kernels' filter vectors, a window of
        // 256 values; 3 and 5 wide go by the sliding kernels, the others by
        // the general ones.
        QTest::newRow("same 3x3, 1 -> 2, batch 7, 11 wide") << Case{{7, 9, 11, 1}, {3, 3, 1, 2}, Padding::same};
        QTest::newRow("same 5x5, 1 -> 6, batch 1, 13 wide") << Case{{1, 6, 13, 1}, {5, 5, 1, 6}, Padding::same};
        QTest::newRow("valid 5x5, 3 -> 5, batch 7, 9 wide") << Case{{7, 10, 9, 3}, {5, 5, 3, 5}, Padding::valid};
        QTest::newRow("same 4x4, 2 -> 3, batch 7, 7 wide") << Case{{7, 8, 7, 2}, {4, 4, 2, 3}, Padding::same};
        QTest::newRow("valid 2x2, 1 -> 1, batch 1, 5 wide") << Case{{1, 4, 5, 1}, {2, 2, 1, 1}, Padding::valid};
        QTest::newRow("same 2x3, 3 -> 9, batch 7, 6 wide") << Case{{7, 5, 6, 3}, {2, 3, 3, 9}, Padding::same};
        QTest::newRow("same 3x2, 1 -> 16, batch 1, 10 wide") << Case{{1, 7, 10, 1}, {3, 2, 1, 16}, Padding::same};
        QTest::newRow("valid 5x5, 6 -> 16, batch 7 (LeNet conv2)")
            << Case{{7, 14, 14, 6}, {5, 5, 6, 16}, Padding::valid};
        QTest::newRow("same 3x3, 4 -> 7, batch 1, 3 wide") << Case{{1, 4, 3, 4}, {3, 3, 4, 7}, Padding::same};
        QTest::newRow("same 1x1, 5 -> 4, batch 7") << Case{{7, 3, 5, 5}, {1, 1, 5, 4}, Padding::same};
        QTest::newRow("same 4x4, 16 -> 11, 256 values") << Case{{7, 6, 9, 16}, {4, 4, 16, 11}, Padding::same};
        QTest::newRow("valid 7x1, 2 -> 8, batch 7") << Case{{7, 9, 4, 2}, {7, 1, 2, 8}, Padding::valid};
    }

    void shapes()
    {
        QFETCH(Case, c);
        QVERIFY(direct_conv_applies(conv_geometry(c.A, c.W, c.padding, {1, 1})));
        agreesIn<double>(c, 1e-13, 1e-12, false);
        agreesIn<float>(c, 2e-6, 1e-5, false);
    }

    void finiteDifferences_data()
    {
        QTest::addColumn<Case>("c");
        QTest::newRow("same 5x5, 1 -> 6 (LeNet conv1)") << Case{{2, 7, 9, 1}, {5, 5, 1, 6}, Padding::same};
        QTest::newRow("same 3x3, 2 -> 3") << Case{{2, 5, 6, 2}, {3, 3, 2, 3}, Padding::same};
        QTest::newRow("valid 4x2, 3 -> 5") << Case{{2, 6, 5, 3}, {4, 2, 3, 5}, Padding::valid};
        QTest::newRow("same 2x2, 1 -> 9") << Case{{2, 4, 5, 1}, {2, 2, 1, 9}, Padding::same};
    }

    void finiteDifferences()
    {
        // L = sum(Z * R), so dL/dZ = R; dW and db from the direct path
        // against central differences of the direct path's forward.
        QFETCH(Case, c);
        QVERIFY(direct_conv_applies(conv_geometry(c.A, c.W, c.padding, {1, 1})));
        for_each_build([&](const char* build) {
            auto A = random_tensor(c.A, 1);
            auto W = random_tensor(c.W, 2);
            auto b = random_tensor({1, 1, 1, c.W[3]}, 3);
            const auto R = random_tensor(conv_forward(A, W, b, Activation::linear, c.padding).shape(), 4);
            const auto loss = [&] { return dot(conv_forward(A, W, b, Activation::linear, c.padding), R); };
            const auto g = conv_backward(R, A, W, b, c.padding);
            QVERIFY2(gradient_error(loss, W.data(), W.size(), g.dW.data()) < 1e-6, build);
            QVERIFY2(gradient_error(loss, b.data(), b.size(), g.db.data()) < 1e-6, build);
            QVERIFY2(gradient_error(loss, A.data(), A.size(), g.dA_prev.data()) < 1e-6, build);
        });
    }

    void layerKeepsThePlanes()
    {
        // LeNet's first layer keeps its input's padded planes, (28+4) x
        // (28+4) and 15 zeros, not the 25 x 784 im2col patches; its output
        // is 28 x 28 x 6.
        Conv2D<float> conv1(6, {5, 5}, Padding::same, Activation::relu);
        QCOMPARE(conv1.forward_elements({28, 28, 1}), std::size_t(32 * 32 + 15 + 28 * 28 * 6));
        QCOMPARE(direct_conv_kept_rows(conv_geometry({1, 28, 28, 1}, {5, 5, 1, 6}, Padding::same, {1, 1})),
                 std::size_t(32 * 32 + 15));
        // The second: 6 planes of 14 x 14 and 15 zeros, not 150 x 100 patches.
        Conv2D<float> conv2(16, {5, 5}, Padding::valid, Activation::relu);
        QCOMPARE(conv2.forward_elements({14, 14, 6}), std::size_t(6 * 14 * 14 + 15 + 10 * 10 * 16));
        // A stride-2 layer keeps the patches, as before.
        Conv2D<float> strided(6, {5, 5}, Padding::same, Activation::relu, {2, 2});
        QCOMPARE(strided.forward_elements({28, 28, 1}), std::size_t(25 * 14 * 14 + 14 * 14 * 6));
    }

    void layerAcrossBatchSizes()
    {
        // One layer, one scratch, batches of 7, 1 and 7 again (the buffers
        // shrink and grow); each pass against the definition, with ReLU.
        for_each_build([&](const char* build) {
            Conv2D<double> layer(6, {5, 5}, Padding::same, Activation::relu);
            auto params = random_tensor({5 * 5 * 1 * 6 + 6}, 5);
            LayerScratch<double> scratch;
            for (std::size_t m : {7, 1, 7}) {
                const auto X = random_tensor({m, 9, 12, 1}, 6 + m);
                Tensor<double> out, d_in;
                layer.forward(params.data(), X, out, scratch, {});
                const auto d_out = random_tensor(out.shape(), 8 + m);
                std::vector<double> grads(params.size());
                layer.backward(params.data(), X, out, d_out, scratch, grads.data(), &d_in);
                // dZ = d_out where the output is positive (ReLU).
                std::vector<double> dZ(out.size());
                for (std::size_t i = 0; i < out.size(); ++i) dZ[i] = out.data()[i] > 0 ? d_out.data()[i] : 0;
                const ConvGeometry g = conv_geometry(X.shape(), {5, 5, 1, 6}, Padding::same, {1, 1});
                const auto r = reference(g, X.data(), params.data(), params.data() + 150, dZ.data());
                std::vector<double> relu(r.Z);
                for (double& z : relu) z = std::max(z, 0.0);
                QVERIFY2(close(out.data(), relu.data(), relu.size(), 1e-13, "A"), build);
                QVERIFY2(close(grads.data(), r.dW.data(), 150, 1e-12, "dW"), build);
                QVERIFY2(close(grads.data() + 150, r.db.data(), 6, 1e-12, "db"), build);
                QVERIFY2(close(d_in.data(), r.dA.data(), r.dA.size(), 1e-12, "dA_prev"), build);
            }
        });
    }

private:
    template <typename T>
    void byHandIn()
    {
        // A (1, 3, 4, 1) = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]];
        // 'same' 3x3: one row and column of zeros on every side.
        // Filter 0 is all ones: each output is the sum of the 3x3
        // neighbourhood, e.g. (0,0) = 1+2+5+6 = 14, (1,1) = 1+2+3+5+6+7+9+10+11
        // = 54, (2,3) = 7+8+11+12 = 38; then + b0 = 0.5.
        // Filter 1 has 1 at the centre and -1 right of it: A(h,w) - A(h,w+1),
        // -1 everywhere but the last column (4, 8, 12, beyond which is 0);
        // then + b1 = -1.
        const auto A = tensor<T>({1, 3, 4, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        // W (3, 3, 1, 2) in C order: [i][j][f].
        const auto W = tensor<T>({3, 3, 1, 2}, {1, 0, 1, 0, 1, 0,   //
                                                1, 0, 1, 1, 1, -1,  //
                                                1, 0, 1, 0, 1, 0});
        const auto b = tensor<T>({1, 1, 1, 2}, {0.5, -1});
        const auto Z_expected = tensor<T>({1, 3, 4, 2}, {14.5, -2, 24.5, -2, 30.5, -2, 22.5, 3,  //
                                                         33.5, -2, 54.5, -2, 63.5, -2, 45.5, 7,  //
                                                         30.5, -2, 48.5, -2, 54.5, -2, 38.5, 11});
        // dZ: filter 0 is 1 at pixel (1, 1) only, filter 1 is 1 everywhere.
        // dW[i, j, f0] = the input under window cell (i, j) at (1, 1):
        //   A(i, j) = [[1, 2, 3], [5, 6, 7], [9, 10, 11]].
        // dW[i, j, f1] = the sum of the input under cell (i, j) over every
        //   window: rows i-1 .. i+1 and columns j-1 .. j+2 that exist, e.g.
        //   (0, 0): rows 0-1, columns 0-2 = 6 + 18 = 24; (1, 1): everything =
        //   78; (2, 2): rows 1-2, columns 1-3 = 21 + 33 = 54.
        // db = (1, 12).
        // dA(h, w) = sum over the cells that touch it of W * dZ: filter 0's
        //   ones around (1, 1) add 1 to columns 0-2 of every row; filter 1
        //   adds dZ(h, w) - dZ(h, w-1): 1 in column 0, 0 elsewhere.
        std::vector<double> dz;
        for (int p = 0; p < 12; ++p) dz.insert(dz.end(), {p == 5 ? 1.0 : 0.0, 1.0});
        const auto dZ = tensor<T>({1, 3, 4, 2}, dz);
        const auto dW_expected = tensor<T>({3, 3, 1, 2}, {1, 24, 2, 36, 3, 30,  //
                                                          5, 54, 6, 78, 7, 63,  //
                                                          9, 48, 10, 68, 11, 54});
        const auto db_expected = tensor<T>({1, 1, 1, 2}, {1, 12});
        const auto dA_expected = tensor<T>({1, 3, 4, 1}, {2, 1, 1, 0, 2, 1, 1, 0, 2, 1, 1, 0});

        const ConvGeometry g = conv_geometry(A.shape(), W.shape(), Padding::same, {1, 1});
        QVERIFY(direct_conv_applies(g));
        for_each_build([&](const char* build) {
            // The direct kernels themselves...
            arma::Mat<T> planes, scratch;
            Tensor<T> Z;
            direct_conv_forward(A.data(), g, W.data(), b.data(), planes, Z);
            QVERIFY2(cs::test::all_close(Z, Z_expected, 1e-6), build);
            Tensor<T> dW(W.shape()), db(b.shape());
            direct_conv_backward_weights(dZ.data(), g, planes, dW.data(), db.data(), scratch);
            QVERIFY2(cs::test::all_close(dW, dW_expected, 1e-5), build);
            QVERIFY2(cs::test::all_close(db, db_expected, 1e-6), build);
            // ... and the course's API, which goes the direct way here.
            QVERIFY2(cs::test::all_close(conv_forward(A, W, b, Activation::linear), Z_expected, 1e-6), build);
            const auto grads = conv_backward(dZ, A, W, b);
            QVERIFY2(cs::test::all_close(grads.dW, dW_expected, 1e-5), build);
            QVERIFY2(cs::test::all_close(grads.db, db_expected, 1e-6), build);
            QVERIFY2(cs::test::all_close(grads.dA_prev, dA_expected, 1e-6), build);
            // Without a bias, db is left alone and Z has no offset.
            Tensor<T> Z0;
            direct_conv_forward(A.data(), g, W.data(), static_cast<const T*>(nullptr), planes, Z0);
            for (std::size_t i = 0; i < Z0.size(); ++i)
                QCOMPARE(double(Z0.data()[i]), double(Z_expected.data()[i]) - (i % 2 ? -1.0 : 0.5));
        });
    }

    // The direct path (through conv.cpp) against the definition and the
    // GEMM path: forward, dW, db, and dA_prev (asked for).
    template <typename T>
    void agreesIn(const Case& c, double tol_forward, double tol_sums, bool also_gemm)
    {
        const ConvGeometry g = conv_geometry(c.A, c.W, c.padding, {1, 1});
        const auto A = random_tensor<T>(c.A, 11);
        const auto W = random_tensor<T>(c.W, 12);
        const auto b = random_tensor<T>({c.W[3]}, 13);
        const auto dZ = random_tensor<T>(g.output_shape(), 14);
        const auto want = reference(g, A.data(), W.data(), b.data(), dZ.data());
        const auto gemm = gemm_path(g, A.data(), W.data(), b.data(), dZ.data());
        for_each_build([&](const char* build) {
            const auto got = conv_path(g, A.data(), W.data(), b.data(), dZ.data());
            QVERIFY2(close(got.Z.data(), want.Z.data(), want.Z.size(), tol_forward, "Z"), build);
            QVERIFY2(close(got.dW.data(), want.dW.data(), want.dW.size(), tol_sums, "dW"), build);
            QVERIFY2(close(got.db.data(), want.db.data(), want.db.size(), tol_sums, "db"), build);
            QVERIFY2(close(got.dA.data(), want.dA.data(), want.dA.size(), tol_forward, "dA_prev"), build);
            if (!also_gemm) return;
            QVERIFY2(close(got.Z.data(), gemm.Z.data(), gemm.Z.size(), tol_forward, "Z vs GEMM"), build);
            QVERIFY2(close(got.dW.data(), gemm.dW.data(), gemm.dW.size(), tol_sums, "dW vs GEMM"), build);
            QVERIFY2(close(got.db.data(), gemm.db.data(), gemm.db.size(), tol_sums, "db vs GEMM"), build);
            QVERIFY2(close(got.dA.data(), gemm.dA.data(), gemm.dA.size(), tol_forward, "dA_prev vs GEMM"), build);
        });
        // The GEMM path itself against the definition: the comparison above
        // means something.
        QVERIFY(close(gemm.Z.data(), want.Z.data(), want.Z.size(), tol_forward, "GEMM Z"));
        QVERIFY(close(gemm.dW.data(), want.dW.data(), want.dW.size(), tol_sums, "GEMM dW"));
    }
};

QTEST_APPLESS_MAIN(TestDirectConv)
#include "tst_direct_conv.moc"
