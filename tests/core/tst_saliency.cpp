// sample_gradients: one sample's backward for a chosen class. The dA before a
// max pool is zero outside the pool's winners; dL/dz is p - onehot(target);
// the saliency matches central differences.
#include "dataset.hpp"
#include "lenet5.hpp"
#include "pool2d_layer.hpp"
#include "saliency.hpp"
#include "test_util.hpp"

#include <QTest>

#include <set>

using namespace cs;
using cs::test::gradient_error;

class TestSaliency : public QObject {
    Q_OBJECT

    // A real digit (a 2: the first test image of the built-in digits, which are
    // all MNIST training images) as one sample (28, 28, 1).
    static Tensor<float> first_digit()
    {
        const Dataset d = load_digits();
        Tensor<float> x(Shape{28, 28, 1});
        std::copy(d.test_images.data(), d.test_images.data() + 28 * 28, x.data());
        return x;
    }

private slots:
    void maxPoolGradientIsZeroOutsideWinners_data()
    {
        QTest::addColumn<int>("pool");
        QTest::newRow("pool 1 (conv 1's dA)") << 1;
        QTest::newRow("pool 2 (conv 2's dA)") << 3;
    }

    void maxPoolGradientIsZeroOutsideWinners()
    {
        QFETCH(int, pool);
        auto model = lenet5<float>({28, 28, 1}, 3);
        Workspace<float> ws;
        const auto g = sample_gradients(model->network(), model->parameters(), first_digit(), 7, ws);
        QVERIFY(dynamic_cast<const Pool2D<float>*>(&model->layer(std::size_t(pool))));
        const std::vector<std::uint32_t>& kept = ws.scratch(std::size_t(pool)).winners;
        const std::set<std::uint32_t> winners(kept.begin(), kept.end());
        QCOMPARE(winners.size(), kept.size()); // 2x2 / 2 windows don't overlap
        const Tensor<float>& dA = g.output_gradients[std::size_t(pool) - 1]; // the conv before the pool
        QCOMPARE(dA.shape(), model->output_shape(std::size_t(pool) - 1));
        std::size_t nonzero_winners = 0;
        for (std::size_t i = 0; i < dA.size(); ++i) {
            if (!winners.count(std::uint32_t(i))) QCOMPARE(dA.data()[i], 0.0f);
            else if (dA.data()[i] != 0) ++nonzero_winners;
        }
        QVERIFY(nonzero_winners > 0);
        // The same numbers as the model holds, the batch axis dropped.
        QVERIFY(arma::approx_equal(dA.flat(), ws.output_gradient(std::size_t(pool) - 1).flat(), "absdiff", 0.0f));
    }

    void logitGradientIsProbabilitiesMinusOneHot()
    {
        auto model = lenet5<float>({28, 28, 1}, 4);
        Workspace<float> ws;
        for (std::size_t t : {0u, 3u, 9u}) {
            const auto g = sample_gradients(model->network(), model->parameters(), first_digit(), t, ws);
            QCOMPARE(g.target, t);
            QCOMPARE(g.probabilities.size(), std::size_t(10));
            const Tensor<float>& dz = g.output_gradients.back();
            QCOMPARE(dz.shape(), (Shape{10}));
            for (std::size_t j = 0; j < 10; ++j)
                QVERIFY(std::abs(dz.data()[j] - (g.probabilities[j] - (j == t ? 1.0f : 0.0f))) < 1e-6f);
            QVERIFY(std::abs(g.loss + std::log(double(g.probabilities[t]))) < 1e-5);
            QCOMPARE(g.outputs.size(), model->layer_count());
            QCOMPARE(g.input_gradient.shape(), (Shape{28, 28, 1}));
        }
    }

    void saliencyMatchesFiniteDifferences()
    {
        auto model = lenet5<double>({12, 12, 1}, 5);
        Workspace<double> ws;
        auto x = cs::test::random_tensor<double>({12, 12, 1}, 6, 0, 1);
        const std::size_t target = 2;
        const auto g = sample_gradients(model->network(), model->parameters(), x, target, ws);
        const auto loss = [&] {
            return sample_gradients(model->network(), model->parameters(), x, target, ws).loss;
        };
        QVERIFY(gradient_error(loss, x.data(), x.size(), g.input_gradient.data()) < 1e-6);
    }

    void batchOfOneAndWrongShapes()
    {
        auto model = lenet5<float>({28, 28, 1}, 1);
        Workspace<float> ws;
        Tensor<float> x = first_digit();
        const auto a = classify(model->network(), model->parameters(), x, ws);
        x.reshape(Shape{1, 28, 28, 1});
        const auto b = classify(model->network(), model->parameters(), x, ws);
        QCOMPARE(a, b);
        const auto gradients = [&](const Tensor<float>& sample, std::size_t target) {
            return sample_gradients(model->network(), model->parameters(), sample, target, ws);
        };
        QVERIFY_THROWS_EXCEPTION(ShapeError, gradients(x, 10));
        QVERIFY_THROWS_EXCEPTION(ShapeError, gradients(Tensor<float>(Shape{27, 28, 1}), 0));
        QVERIFY_THROWS_EXCEPTION(ShapeError, gradients(Tensor<float>(Shape{2, 28, 28, 1}), 0));
    }
};

QTEST_APPLESS_MAIN(TestSaliency)
#include "tst_saliency.moc"
