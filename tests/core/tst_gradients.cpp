// Finite-difference gradient checks in double: conv_backward, pool_backward,
// Dense, softmax cross-entropy and the whole LeNet-5. Relative error
// |analytic - numeric| / |analytic + numeric| must stay below 1e-6.
#include "conv.hpp"
#include "dense_layer.hpp"
#include "lenet5.hpp"
#include "loss.hpp"
#include "pool.hpp"
#include "test_util.hpp"

#include <QTest>

using namespace cs;
using cs::test::dot;
using cs::test::gradient_error;
using cs::test::random_tensor;

namespace {
constexpr double tolerance = 1e-6;
}

class TestGradients : public QObject {
    Q_OBJECT

private slots:
    void convBackward_data()
    {
        QTest::addColumn<int>("padding");
        QTest::addColumn<int>("stride");
        QTest::addColumn<int>("kh");
        QTest::addColumn<int>("kw");
        QTest::newRow("same 3x3 stride 1") << 0 << 1 << 3 << 3;
        QTest::newRow("same 2x3 stride 2") << 0 << 2 << 2 << 3;
        QTest::newRow("valid 3x3 stride 1") << 1 << 1 << 3 << 3;
        QTest::newRow("valid 2x2 stride 2") << 1 << 2 << 2 << 2;
    }

    void convBackward()
    {
        QFETCH(int, padding);
        QFETCH(int, stride);
        QFETCH(int, kh);
        QFETCH(int, kw);
        const Padding pad = padding == 0 ? Padding::same : Padding::valid;
        const Stride s{std::size_t(stride), std::size_t(stride)};
        auto A = random_tensor({2, 6, 5, 3}, 1);
        auto W = random_tensor({std::size_t(kh), std::size_t(kw), 3, 4}, 2);
        auto b = random_tensor({1, 1, 1, 4}, 3);
        // L = sum(Z * R), so dL/dZ = R.
        const auto Z0 = conv_forward(A, W, b, Activation::linear, pad, s);
        const auto R = random_tensor(Z0.shape(), 4);
        const auto loss = [&] { return dot(conv_forward(A, W, b, Activation::linear, pad, s), R); };
        const auto g = conv_backward(R, A, W, b, pad, s);
        QVERIFY(gradient_error(loss, A.data(), A.size(), g.dA_prev.data()) < tolerance);
        QVERIFY(gradient_error(loss, W.data(), W.size(), g.dW.data()) < tolerance);
        QVERIFY(gradient_error(loss, b.data(), b.size(), g.db.data()) < tolerance);
    }

    void poolBackward_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("stride");
        QTest::newRow("max 2x2 / 2") << 0 << 2 << 2;
        QTest::newRow("max 3x3 / 1 overlapping") << 0 << 3 << 1;
        QTest::newRow("avg 2x2 / 2") << 1 << 2 << 2;
        QTest::newRow("avg 3x3 / 2 overlapping") << 1 << 3 << 2;
    }

    void poolBackward()
    {
        QFETCH(int, mode);
        QFETCH(int, k);
        QFETCH(int, stride);
        const PoolMode m = mode == 0 ? PoolMode::max : PoolMode::avg;
        const KernelShape ks{std::size_t(k), std::size_t(k)};
        const Stride s{std::size_t(stride), std::size_t(stride)};
        // Distinct values (no ties within eps): max pooling is then differentiable.
        auto A = random_tensor({2, 7, 6, 2}, 5);
        const auto R = random_tensor(pool_forward(A, ks, s, m).shape(), 6);
        const auto loss = [&] { return dot(pool_forward(A, ks, s, m), R); };
        const auto dA = pool_backward(R, A, ks, s, m);
        QVERIFY(gradient_error(loss, A.data(), A.size(), dA.data()) < tolerance);
    }

    void dense()
    {
        for (Activation act : {Activation::linear, Activation::relu, Activation::tanh, Activation::sigmoid}) {
            Dense<double> layer(5, act);
            arma::vec params(layer.parameter_count({7}), arma::fill::zeros), grads(params.n_elem);
            HeNormal init(9);
            layer.initialize(init, {7}, params.memptr());
            params.tail(5) = arma::randu<arma::vec>(5) - 0.5; // non-zero biases too
            auto X = random_tensor({3, 7}, 10);
            Tensor<double> out, dX;
            LayerScratch<double> scratch;
            layer.forward(params.memptr(), X, out, scratch, {});
            const auto R = random_tensor(out.shape(), 11);
            layer.backward(params.memptr(), X, out, R, scratch, grads.memptr(), &dX);
            const auto loss = [&] {
                Tensor<double> y;
                LayerScratch<double> other;
                layer.forward(params.memptr(), X, y, other, {});
                return dot(y, R);
            };
            const arma::vec analytic = grads; // forward calls below do not touch grads
            QVERIFY2(gradient_error(loss, params.memptr(), params.n_elem, analytic.memptr()) < tolerance,
                     to_string(act).c_str());
            QVERIFY2(gradient_error(loss, X.data(), X.size(), dX.data()) < tolerance, to_string(act).c_str());
        }
    }

    void softmaxCrossEntropy()
    {
        auto logits = random_tensor({4, 10}, 12, -3, 3);
        const std::vector<std::uint8_t> labels{3, 0, 9, 3};
        Tensor<double> probs, d;
        softmax_cross_entropy(logits, labels.data(), probs, d);
        const Tensor<double> analytic = d;
        const auto loss = [&] {
            Tensor<double> p, g;
            return softmax_cross_entropy(logits, labels.data(), p, g).loss;
        };
        QVERIFY(gradient_error(loss, logits.data(), logits.size(), analytic.data()) < tolerance);
    }

    void softmaxCrossEntropyByHand()
    {
        // logits (0, ln 3): p = (1/4, 3/4); label 1: loss = -ln(3/4);
        // dL/dz = (p - onehot) / m = (1/4, -1/4).
        Tensor<double> logits(Shape{1, 2}), probs, d;
        logits.data()[1] = std::log(3.0);
        const std::uint8_t label = 1;
        const auto r = softmax_cross_entropy(logits, &label, probs, d);
        QCOMPARE_LE(std::abs(r.loss + std::log(0.75)), 1e-12);
        QCOMPARE_LE(std::abs(d.data()[0] - 0.25), 1e-12);
        QCOMPARE_LE(std::abs(d.data()[1] + 0.25), 1e-12);
        QCOMPARE(r.correct, std::size_t(1));
    }

    void softmaxDoesNotOverflow()
    {
        // A logit of 1000 would overflow exp() without log-sum-exp.
        Tensor<float> logits(Shape{1, 3}), probs, d;
        logits.data()[0] = 1000;
        const std::uint8_t label = 1;
        const auto r = softmax_cross_entropy(logits, &label, probs, d);
        QVERIFY(std::isfinite(r.loss));
        QCOMPARE_LE(std::abs(r.loss - 1000.0), 1e-3);
    }

    void wholeLeNet5()
    {
        auto model = lenet5<double>({28, 28, 1}, 7);
        auto X = random_tensor({2, 28, 28, 1}, 13, 0, 1);
        const std::vector<std::uint8_t> labels{4, 7};
        Tensor<double> probs, d;
        Workspace<double> ws;
        softmax_cross_entropy(model->forward(X, ws), labels.data(), probs, d);
        model->backward(d, ws, /*input_gradient*/ true);
        const arma::vec analytic = ws.gradients();
        const arma::vec d_input = ws.input_gradient().flat();
        // The finite differences run in a workspace of their own: the one
        // above keeps the analytic gradients as they were.
        Workspace<double> probe;
        const auto loss = [&] {
            Tensor<double> p, g;
            return softmax_cross_entropy(model->forward(X, probe), labels.data(), p, g).loss;
        };
        // Every parameter of the small layers and an even sample of the rest.
        std::vector<std::size_t> which;
        for (std::size_t i = 0; i < model->parameter_count(); i += (i < 2572 ? 1 : 37)) which.push_back(i);
        const double e = gradient_error(loss, model->parameters().memptr(), model->parameter_count(),
                                        analytic.memptr(), which);
        qInfo("LeNet-5 parameter gradient relative error %.3g over %zu parameters", e, which.size());
        QVERIFY(e < tolerance);
        const double ex = gradient_error(loss, X.data(), X.size(), d_input.memptr());
        qInfo("LeNet-5 input gradient relative error %.3g", ex);
        QVERIFY(ex < tolerance);
    }
};

QTEST_APPLESS_MAIN(TestGradients)
#include "tst_gradients.moc"
