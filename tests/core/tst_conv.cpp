// conv_forward / conv_backward against cases worked out by hand (the
// arithmetic is in the comments), and every error path.
#include "conv.hpp"
#include "test_util.hpp"

#include <QTest>

using namespace cs;
using cs::test::all_close;
using cs::test::tensor;

class TestConv : public QObject {
    Q_OBJECT

    // A 3x3 image 1..9 and the 2x2 kernel [[1, 2], [3, 4]].
    Tensor<double> a3 = tensor({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
    Tensor<double> w2 = tensor({2, 2, 1, 1}, {1, 2, 3, 4});

private slots:
    void validPadding()
    {
        // out(0,0) = 1*1 + 2*2 + 4*3 + 5*4 = 37; (0,1) = 2+6+15+24 = 47;
        // (1,0) = 4+10+21+32 = 67; (1,1) = 5+12+24+36 = 77; then + b = 0.5.
        const auto out = conv_forward(a3, w2, tensor({1, 1, 1, 1}, {0.5}), Activation::linear, Padding::valid);
        QVERIFY(all_close(out, tensor({1, 2, 2, 1}, {37.5, 47.5, 67.5, 77.5})));
    }

    void samePaddingEvenKernelPadsBottomRight()
    {
        // h_out = 3, pad_total = 2 + 2 - 3 = 1: top 0, bottom 1 (TensorFlow).
        // The window of (i, j) starts at (i, j); cells past the edge are 0:
        // (0,2) = 3*1 + 6*3 = 21; (1,2) = 6 + 27 = 33; (2,0) = 7 + 16 = 23;
        // (2,1) = 8 + 18 = 26; (2,2) = 9.
        const auto out = conv_forward(a3, w2, tensor({1, 1, 1, 1}, {0}), Activation::linear, Padding::same);
        QVERIFY(all_close(out, tensor({1, 3, 3, 1}, {37, 47, 21, 67, 77, 33, 23, 26, 9})));
    }

    void sameStride2()
    {
        // 4x4 image 1..16, 3x3 kernel of ones, stride 2: h_out = 2,
        // pad_total = (2-1)*2 + 3 - 4 = 1 -> top 0, bottom 1.
        // (0,0) = 1+2+3+5+6+7+9+10+11 = 54; (0,1) = 3+4+7+8+11+12 = 45;
        // (1,0) = 9+10+11+13+14+15 = 72; (1,1) = 11+12+15+16 = 54.
        Tensor<double> a(Shape{1, 4, 4, 1});
        for (int i = 0; i < 16; ++i) a.data()[i] = i + 1;
        Tensor<double> w(Shape{3, 3, 1, 1});
        w.flat().fill(1);
        const auto out = conv_forward(a, w, tensor({1, 1, 1, 1}, {0}), Activation::linear, Padding::same, {2, 2});
        QVERIFY(all_close(out, tensor({1, 2, 2, 1}, {54, 45, 72, 54})));
    }

    void validStride2()
    {
        // 5x5 image 1..25, 3x3 ones, stride 2: windows at rows/cols 0 and 2.
        // (0,0) = 6+21+36 = 63; (0,2) = 12+27+42 = 81; (2,0) = 36+51+66 = 153;
        // (2,2) = 42+57+72 = 171.
        Tensor<double> a(Shape{1, 5, 5, 1});
        for (int i = 0; i < 25; ++i) a.data()[i] = i + 1;
        Tensor<double> w(Shape{3, 3, 1, 1});
        w.flat().fill(1);
        const auto out = conv_forward(a, w, tensor({1, 1, 1, 1}, {0}), Activation::linear, Padding::valid, {2, 2});
        QVERIFY(all_close(out, tensor({1, 2, 2, 1}, {63, 81, 153, 171})));
    }

    void rectangularKernelSeveralChannelsAndSamples()
    {
        // Sample 0: channel 0 = [[1,2,3],[4,5,6]], channel 1 = ten times it.
        // Sample 1 = 2 x sample 0. Kernel 1x2, 2 in, 2 out:
        //   out0 = A0(h,w) + A0(h,w+1)                 -> [[3,5],[9,11]] + b0
        //   out1 = -A0(h,w) + 0.1 (A1(h,w) + A1(h,w+1)) -> [[2,3],[5,6]] + b1
        // with b = (1, -1).
        std::vector<double> s0;
        for (double v : {1, 2, 3, 4, 5, 6}) s0.insert(s0.end(), {v, 10 * v});
        std::vector<double> both = s0;
        for (double v : s0) both.push_back(2 * v);
        const auto a = tensor({2, 2, 3, 2}, both);
        // W (kh=1, kw=2, c_prev=2, c_new=2) in C order: [j][c][o].
        const auto w = tensor({1, 2, 2, 2}, {1, -1, 0, 0.1, 1, 0, 0, 0.1});
        const auto out = conv_forward(a, w, tensor({1, 1, 1, 2}, {1, -1}), Activation::linear, Padding::valid);
        QVERIFY(all_close(out, tensor({2, 2, 2, 2}, {4, 1, 6, 2, 10, 4, 12, 5,  //
                                                       7, 3, 11, 5, 19, 9, 23, 11})));
    }

    void activations()
    {
        // 1x1 kernel of weight 1: the output is activation(A + b).
        const auto a = tensor({1, 1, 4, 1}, {-2, 0, 1, 3});
        const auto w = tensor({1, 1, 1, 1}, {1});
        const auto b = tensor({1, 1, 1, 1}, {0});
        QVERIFY(all_close(conv_forward(a, w, b, Activation::relu), tensor({1, 1, 4, 1}, {0, 0, 1, 3})));
        QVERIFY(all_close(conv_forward(a, w, b, Activation::tanh),
                          tensor({1, 1, 4, 1}, {-0.964027580075817, 0, 0.761594155955765, 0.995054753686730})));
        QVERIFY(all_close(conv_forward(a, w, b, Activation::sigmoid),
                          tensor({1, 1, 4, 1}, {0.119202922022118, 0.5, 0.731058578630005, 0.952574126822433})));
    }

    void backwardByHand()
    {
        // valid, dZ = ones (2x2): db = 4;
        // dW(i,j) = sum of the window at (i,j): 1+2+4+5 = 12, 16, 24, 28;
        // dA(h,w) = sum of the kernel cells that touch (h,w):
        //   [[1, 1+2, 2], [1+3, 1+2+3+4, 2+4], [3, 3+4, 4]].
        Tensor<double> dz(Shape{1, 2, 2, 1});
        dz.flat().fill(1);
        const auto g = conv_backward(dz, a3, w2, tensor({1, 1, 1, 1}, {0}), Padding::valid);
        QVERIFY(all_close(g.db, tensor({1, 1, 1, 1}, {4})));
        QVERIFY(all_close(g.dW, tensor({2, 2, 1, 1}, {12, 16, 24, 28})));
        QVERIFY(all_close(g.dA_prev, tensor({1, 3, 3, 1}, {1, 3, 2, 4, 10, 6, 3, 7, 4})));
    }

    void backwardSameOnlyTouchesRealPixels()
    {
        // same, even kernel: out (2,2) sees only A(2,2) through W(0,0), so a
        // dZ that is 1 there alone gives dW = [[9, 0], [0, 0]] and dA = W00 at (2,2).
        Tensor<double> dz(Shape{1, 3, 3, 1});
        dz.data()[8] = 1;
        const auto g = conv_backward(dz, a3, w2, tensor({1, 1, 1, 1}, {0}), Padding::same);
        QVERIFY(all_close(g.dW, tensor({2, 2, 1, 1}, {9, 0, 0, 0})));
        QVERIFY(all_close(g.dA_prev, tensor({1, 3, 3, 1}, {0, 0, 0, 0, 0, 0, 0, 0, 1})));
        QVERIFY(all_close(g.db, tensor({1, 1, 1, 1}, {1})));
    }

    void errors_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("A rank 3") << 0;
        QTest::newRow("W rank 2") << 1;
        QTest::newRow("channels disagree") << 2;
        QTest::newRow("stride 0") << 3;
        QTest::newRow("kernel larger than input (valid)") << 4;
        QTest::newRow("bias of wrong size") << 5;
        QTest::newRow("dZ of wrong shape") << 6;
    }

    void errors()
    {
        QFETCH(int, which);
        const auto b = tensor({1, 1, 1, 1}, {0});
        try {
            switch (which) {
            case 0: conv_forward(tensor({3, 3, 1}, std::vector<double>(9)), w2, b, Activation::linear); break;
            case 1: conv_forward(a3, tensor({2, 2}, {1, 2, 3, 4}), b, Activation::linear); break;
            case 2: conv_forward(a3, Tensor<double>(Shape{2, 2, 3, 1}), b, Activation::linear); break;
            case 3: conv_forward(a3, w2, b, Activation::linear, Padding::same, {0, 1}); break;
            case 4: conv_forward(a3, Tensor<double>(Shape{4, 2, 1, 1}), b, Activation::linear, Padding::valid); break;
            case 5: conv_forward(a3, w2, tensor({1, 1, 1, 2}, {0, 0}), Activation::linear); break;
            case 6: conv_backward(Tensor<double>(Shape{1, 3, 3, 1}), a3, w2, b, Padding::valid); break;
            }
            QFAIL("no ShapeError");
        } catch (const ShapeError& e) {
            const QString msg = e.what();
            // The message names the shapes involved.
            QVERIFY2(msg.contains("(") && msg.contains(")"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestConv)
#include "tst_conv.moc"
