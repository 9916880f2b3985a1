// pool_forward / pool_backward against cases worked out by hand.
#include "pool.hpp"
#include "test_util.hpp"

#include <QTest>

using namespace cs;
using cs::test::all_close;
using cs::test::tensor;

class TestPool : public QObject {
    Q_OBJECT

    // [[1, 3, 2, 1],
    //  [3, 0, 1, 2],
    //  [5, 6, 7, 8],
    //  [2, 1, 8, 4]]   (ties: two 3s, two 2s, two 8s)
    Tensor<double> a = tensor({1, 4, 4, 1}, {1, 3, 2, 1, 3, 0, 1, 2, 5, 6, 7, 8, 2, 1, 8, 4});
    Tensor<double> d22 = tensor({1, 2, 2, 1}, {1, 2, 3, 4});

private slots:
    void max2x2()
    {
        // windows {1,3,3,0} {2,1,1,2} {5,6,2,1} {7,8,8,4}
        QVERIFY(all_close(pool_forward(a, {2, 2}, {2, 2}, PoolMode::max), tensor({1, 2, 2, 1}, {3, 2, 6, 8})));
    }

    void avg2x2()
    {
        // 7/4, 6/4, 14/4, 27/4
        QVERIFY(all_close(pool_forward(a, {2, 2}, {2, 2}, PoolMode::avg),
                          tensor({1, 2, 2, 1}, {1.75, 1.5, 3.5, 6.75})));
    }

    void maxBackwardGoesToFirstMaximum()
    {
        // Winners in row-major order: the 3 at (0,1) (not (1,0)), the 2 at
        // (0,2) (not (1,3)), the 6 at (2,1), the 8 at (2,3) (not (3,2)).
        const auto d = pool_backward(d22, a, {2, 2}, {2, 2}, PoolMode::max);
        QVERIFY(all_close(d, tensor({1, 4, 4, 1}, {0, 1, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0})));
    }

    void avgBackwardSharesEqually()
    {
        const auto d = pool_backward(d22, a, {2, 2}, {2, 2}, PoolMode::avg);
        QVERIFY(all_close(d, tensor({1, 4, 4, 1}, {.25, .25, .5, .5, .25, .25, .5, .5,  //
                                                   .75, .75, 1, 1, .75, .75, 1, 1})));
    }

    void overlappingMax()
    {
        // 3x3 windows, stride 1: maxima 7 at (2,2); 8 at (2,3); 8 at (3,2)
        // (the first 8 of rows 1-3, cols 0-2); 8 at (2,3) again.
        // Backward of ones: (2,2) gets 1, (2,3) gets 1 + 1 = 2, (3,2) gets 1.
        QVERIFY(all_close(pool_forward(a, {3, 3}, {1, 1}, PoolMode::max), tensor({1, 2, 2, 1}, {7, 8, 8, 8})));
        Tensor<double> ones(Shape{1, 2, 2, 1});
        ones.flat().fill(1);
        const auto d = pool_backward(ones, a, {3, 3}, {1, 1}, PoolMode::max);
        QVERIFY(all_close(d, tensor({1, 4, 4, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 1, 0})));
    }

    void overlappingAvgAddsUp()
    {
        // 2x2 windows, stride 1 on a 3x3 of ones: every output is 1; backward
        // of ones gives each cell 1/4 per window covering it:
        // corners 1 window, edges 2, centre 4.
        Tensor<double> x(Shape{1, 3, 3, 1}), ones(Shape{1, 2, 2, 1});
        x.flat().fill(1);
        ones.flat().fill(1);
        QVERIFY(all_close(pool_forward(x, {2, 2}, {1, 1}, PoolMode::avg), ones));
        const auto d = pool_backward(ones, x, {2, 2}, {1, 1}, PoolMode::avg);
        QVERIFY(all_close(d, tensor({1, 3, 3, 1}, {.25, .5, .25, .5, 1, .5, .25, .5, .25})));
    }

    void rectangularKernelSeveralChannels()
    {
        // Channel 1 = -channel 0; kernel 1x2, stride (1, 2) on rows of 4:
        // row 0: ch0 max(1,3)=3, max(2,1)=2; ch1 max(-1,-3)=-1, max(-2,-1)=-1.
        std::vector<double> v;
        for (double x : {1, 3, 2, 1, 3, 0, 1, 2}) v.insert(v.end(), {x, -x});
        const auto two = tensor({1, 2, 4, 2}, v);
        const auto out = pool_forward(two, {1, 2}, {1, 2}, PoolMode::max);
        QVERIFY(all_close(out, tensor({1, 2, 2, 2}, {3, -1, 2, -1, 3, 0, 2, -1})));
        // Backward sends each gradient to its own channel's winner.
        const auto d = pool_backward(tensor({1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40}), two, {1, 2}, {1, 2});
        QVERIFY(all_close(d, tensor({1, 2, 4, 2}, {0, 10, 1, 0, 2, 0, 0, 20, 3, 0, 0, 30, 0, 40, 4, 0})));
    }

    void maxEveryChannelCountAgainstAPlainLoop_data()
    {
        // The kernel has builds for some channel counts (6 and 16 are
        // LeNet-5's) and a general one: each against the definition.
        QTest::addColumn<int>("channels");
        for (int c = 1; c <= 17; ++c) QTest::newRow(qPrintable(QString::number(c))) << c;
    }

    void maxEveryChannelCountAgainstAPlainLoop()
    {
        // Values from {0, 1, 2, 3}: most windows hold ties. 2x3 windows,
        // stride (2, 1), so that windows overlap along w.
        QFETCH(int, channels);
        const std::size_t C = std::size_t(channels), m = 2, h = 7, w = 9, ho = 3, wo = 7;
        Tensor<float> x(Shape{m, h, w, C});
        for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float((i * 7 + i / 5) % 4);
        Tensor<float> dA(Shape{m, ho, wo, C});
        for (std::size_t i = 0; i < dA.size(); ++i) dA.data()[i] = float(i + 1);
        Tensor<float> want(Shape{m, ho, wo, C}), want_d(Shape{m, h, w, C});
        for (std::size_t n = 0; n < m; ++n)
            for (std::size_t oh = 0; oh < ho; ++oh)
                for (std::size_t ow = 0; ow < wo; ++ow)
                    for (std::size_t c = 0; c < C; ++c) {
                        const auto at = [&](std::size_t r, std::size_t q) { return ((n * h + r) * w + q) * C + c; };
                        std::size_t best = at(2 * oh, ow);
                        for (std::size_t i = 0; i < 2; ++i)
                            for (std::size_t j = 0; j < 3; ++j)
                                if (x.data()[at(2 * oh + i, ow + j)] > x.data()[best]) best = at(2 * oh + i, ow + j);
                        const std::size_t o = ((n * ho + oh) * wo + ow) * C + c;
                        want.data()[o] = x.data()[best];
                        want_d.data()[best] += dA.data()[o];
                    }
        QVERIFY(all_close(pool_forward(x, {2, 3}, {2, 1}, PoolMode::max), want, 0));
        QVERIFY(all_close(pool_backward(dA, x, {2, 3}, {2, 1}, PoolMode::max), want_d, 0));
    }

    void floorsTheOutputSize()
    {
        // 5x5, 2x2 stride 2: floor((5-2)/2)+1 = 2; the last row/column is dropped.
        QCOMPARE(pool_forward(Tensor<double>(Shape{3, 5, 5, 2}), {2, 2}, {2, 2}).shape(), (Shape{3, 2, 2, 2}));
    }

    void errors_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("rank 3") << 0;
        QTest::newRow("kernel larger than input") << 1;
        QTest::newRow("stride 0") << 2;
        QTest::newRow("kernel 0") << 3;
        QTest::newRow("dA of wrong shape") << 4;
    }

    void errors()
    {
        QFETCH(int, which);
        try {
            switch (which) {
            case 0: pool_forward(Tensor<double>(Shape{4, 4, 1}), {2, 2}); break;
            case 1: pool_forward(a, {5, 2}, {1, 1}); break;
            case 2: pool_forward(a, {2, 2}, {2, 0}); break;
            case 3: pool_forward(a, {0, 2}, {1, 1}); break;
            case 4: pool_backward(Tensor<double>(Shape{1, 3, 3, 1}), a, {2, 2}, {2, 2}); break;
            }
            QFAIL("no ShapeError");
        } catch (const ShapeError& e) {
            QVERIFY2(QString(e.what()).contains("A_prev ("), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestPool)
#include "tst_pool.moc"
