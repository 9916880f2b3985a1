// LeNet-5's structure, He-normal, the optimizers' formulas, and the Trainer's
// contract (one step = one mini-batch; buffers reused; errors).
#include "architecture.hpp"
#include "lenet5.hpp"
#include "optimizer.hpp"
#include "test_util.hpp"
#include "trainer.hpp"

#include <QTest>

using namespace cs;

class TestModel : public QObject {
    Q_OBJECT

private slots:
    void lenet5Shapes()
    {
        auto m = lenet5<float>({28, 28, 1});
        QCOMPARE(m->parameter_count(), std::size_t(61706)); // DESIGN.md's table
        QCOMPARE(m->layer_count(), std::size_t(8));
        const std::vector<Shape> expected{{28, 28, 6}, {14, 14, 6}, {10, 10, 16}, {5, 5, 16},
                                          {400},       {120},       {84},         {10}};
        for (std::size_t i = 0; i < expected.size(); ++i) QCOMPARE(m->output_shape(i), expected[i]);
        const std::vector<std::string> names{"conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1",
                                             "flatten", "dense",        "dense_1",  "dense_2"};
        for (std::size_t i = 0; i < names.size(); ++i) QCOMPARE(m->layer(i).name(), names[i]);
        QCOMPARE(m->layer_parameters(0)[0].tensor.shape(), (Shape{5, 5, 1, 6}));
        QCOMPARE(m->layer_parameters(5)[0].tensor.shape(), (Shape{400, 120}));
    }

    void multiplyAddsCountedByHand()
    {
        // LeNet-5 on 28x28x1: conv1 28*28 pixels * 6 maps * 5*5*1 = 117,600;
        // conv2 10*10 * 16 * 5*5*6 = 240,000; dense 400*120 = 48,000,
        // 120*84 = 10,080, 84*10 = 840; forward 416,520. Training: conv1 twice
        // (no input gradient), the rest three times: 235,200 + 896,760.
        auto model = lenet5<float>({28, 28, 1}, 1);
        QCOMPARE(model->network().forward_multiply_adds(), std::size_t(416520));
        QCOMPARE(model->network().training_multiply_adds(), std::size_t(1131960));
        // Strides count the output pixels only: 3x3 stride 2 'same' on 8x8x2
        // gives 4x4 pixels * 3 maps * 18 = 864; no dense layer without a Flatten.
        auto strided = make_model<float>({8, 8, 2},
                                         {layers::conv2d(3, {3, 3}, {2, 2}, Padding::same, Activation::relu),
                                          layers::flatten(), layers::dense(5)},
                                         1);
        QCOMPARE(strided->network().forward_multiply_adds(), std::size_t(864 + 48 * 5));
        QCOMPARE(strided->network().training_multiply_adds(), std::size_t(864 * 2 + 48 * 5 * 3));
    }

    void parametersAreViewsIntoTheModel()
    {
        auto m = lenet5<float>({28, 28, 1});
        auto params = m->layer_parameters(2);
        params[1].tensor.data()[3] = 42.f; // conv2d_1/bias[3]
        QCOMPARE(m->parameters()[156 + 5 * 5 * 6 * 16 + 3], 42.f);
        QCOMPARE(params[0].tensor.data(), m->parameters().memptr() + 156);
        // The model's list says the same: name, shape, offset.
        const ParameterShape bias = m->parameter_shapes()[3];
        QCOMPARE(bias.name, std::string("conv2d_1/bias"));
        QCOMPARE(bias.offset, std::size_t(156 + 5 * 5 * 6 * 16));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, m->layer_parameters(8));
    }

    void lenet5ColourInput()
    {
        // 32x32x3: conv1 32x32x6, pool 16x16x6, conv2 12x12x16, pool 6x6x16 = 576.
        auto m = lenet5<float>({32, 32, 3});
        QCOMPARE(m->output_shape(3), (Shape{6, 6, 16}));
        QCOMPARE(m->parameter_count(), std::size_t(5 * 5 * 3 * 6 + 6 + 2416 + 576 * 120 + 120 + 10164 + 850));
        Tensor<float> x(Shape{2, 32, 32, 3});
        Workspace<float> ws;
        QCOMPARE(m->forward(x, ws).shape(), (Shape{2, 10}));
    }

    void heNormalIsReproducibleAndKerasScaled()
    {
        auto a = lenet5<float>({28, 28, 1}, 42), b = lenet5<float>({28, 28, 1}, 42), c = lenet5<float>({28, 28, 1}, 43);
        QVERIFY(std::memcmp(a->parameters().memptr(), b->parameters().memptr(), a->parameter_count() * 4) == 0);
        QVERIFY(arma::any(a->parameters() != c->parameters()));
        // dense kernel (400, 120): std sqrt(2/400) = 0.0707, |w| <= 2 sigma_raw
        // with sigma_raw = 0.0707 / 0.8796 = 0.0804; biases zero.
        const Tensor<float> k = a->layer_parameters(5)[0].tensor;
        const double sd = arma::stddev(arma::conv_to<arma::vec>::from(k.flat()));
        QVERIFY2(std::abs(sd - std::sqrt(2.0 / 400)) < 0.002, std::to_string(sd).c_str());
        QVERIFY(arma::abs(k.flat()).max() <= 2 * std::sqrt(2.0 / 400) / 0.87962566103423978 + 1e-6);
        QVERIFY(arma::all(a->layer_parameters(5)[1].tensor.flat() == 0.0f));
    }

    void adamFormula()
    {
        // Worked out by hand from DESIGN.md's formula (epsilon outside the root):
        // t=1, g=1e-4: m=1e-5, v=1e-11, m_hat=1e-4, v_hat=1e-8,
        //   w = 1 - 1e-3 * 1e-4 / (1e-4 + 1e-7) = 0.999000999000999
        //   (with epsilon inside the root it would be 1 - 1e-3*1e-4/sqrt(1.1e-7) = 0.99969848).
        // t=2, g=-0.25: m=-0.024991, v=6.2500999e-5, m_hat=-0.13153158,
        //   v_hat=0.03126613, w = 0.999000999 + 7.4386455e-4 = 0.99974486745517.
        arma::vec w{1.0}, g{1e-4};
        Adam<double> adam;
        adam.step(w, g);
        QCOMPARE_LE(std::abs(w[0] - 0.999000999000999), 1e-15);
        g[0] = -0.25;
        adam.step(w, g);
        QCOMPARE_LE(std::abs(w[0] - 0.99974486745517), 1e-13);
        QCOMPARE(adam.iterations(), std::uint64_t(2));
    }

    void sgdMomentumFormula()
    {
        // u = 0.9 u - 0.01 g; w += u: g=0.5 -> u=-0.005, w=0.995;
        // g=-0.25 -> u=-0.0045+0.0025=-0.002, w=0.993.
        arma::vec w{1.0}, g{0.5};
        SGD<double> sgd(0.01, 0.9);
        sgd.step(w, g);
        QCOMPARE_LE(std::abs(w[0] - 0.995), 1e-15);
        g[0] = -0.25;
        sgd.step(w, g);
        QCOMPARE_LE(std::abs(w[0] - 0.993), 1e-15);
    }

    void impossibleLearningRates_data()
    {
        QTest::addColumn<double>("lr");
        QTest::newRow("negative") << -0.1;
        QTest::newRow("NaN") << std::nan("");
        QTest::newRow("infinite") << HUGE_VAL;
    }

    void impossibleLearningRates()
    {
        QFETCH(double, lr);
        QVERIFY_THROWS_EXCEPTION(SettingError, make_optimizer<float>("adam", lr));
        QVERIFY_THROWS_EXCEPTION(SettingError, check_learning_rate(lr));
        Adam<float> adam;
        QVERIFY_THROWS_EXCEPTION(SettingError, adam.set_learning_rate(lr));
        QCOMPARE(adam.learning_rate(), 0.001); // unchanged
    }

    void zeroAndLargeLearningRatesAreAllowed()
    {
        // lr 0 trains nothing (a lesson), a large lr makes the loss explode
        // (the trainer reports it): both are the user's to try.
        Adam<float> adam;
        adam.set_learning_rate(0);
        QCOMPARE(adam.learning_rate(), 0.0);
        adam.set_learning_rate(50);
        QCOMPARE(adam.learning_rate(), 50.0);
        arma::Col<float> w{1.0f, -2.0f}, g{0.5f, 0.5f};
        adam.set_learning_rate(0);
        adam.step(w, g);
        QCOMPARE(w[0], 1.0f); // lr 0: no change
        QCOMPARE(w[1], -2.0f);
    }

    void unknownOptimizer()
    {
        QVERIFY_THROWS_EXCEPTION(SettingError, make_optimizer<float>("rmsprop"));
        QVERIFY_THROWS_EXCEPTION(SettingError, check_optimizer_name("Adam")); // names are lower case
        check_optimizer_name("sgd");
        QVERIFY_THROWS_EXCEPTION(SettingError, SGD<float>(0.01, 1.0)); // momentum 1 never decays
        QVERIFY_THROWS_EXCEPTION(SettingError, Adam<float>(0.001, 0.9, 0.999, 0.0));
    }

    void stepIsOneMiniBatchAndReusesBuffers()
    {
        auto model = lenet5<float>({28, 28, 1}, 1);
        Tensor<float> x = test::random_tensor<float>({100, 28, 28, 1}, 3, 0, 1);
        std::vector<std::uint8_t> y(100);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::uint8_t(i % 10);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {32, 5, true});
        QCOMPARE(trainer.steps_per_epoch(), std::size_t(4));
        const arma::fvec before = model->parameters();
        const auto r = trainer.step();
        QCOMPARE(r.step, std::uint64_t(1));
        QCOMPARE(r.batch, std::size_t(32));
        QCOMPARE(trainer.position(), std::size_t(32));
        QCOMPARE(adam.iterations(), std::uint64_t(1));
        QVERIFY(arma::any(model->parameters() != before));
        // Warm: the next steps of the same size keep every buffer where it
        // is: two shards of 16 samples, run in turn through one workspace.
        // (The gradient buffers are passed on by swaps, from the workspace
        // to a shard to the trainer's sum, so they move between steps;
        // tst_parallel_training checks that a warm step allocates nothing.)
        QCOMPARE(trainer.shard_count(), std::size_t(2));
        QCOMPARE(trainer.shard_size(0), std::size_t(16));
        QCOMPARE(trainer.shard_size(1), std::size_t(16));
        const Workspace<float>& ws = trainer.workspace();
        QCOMPARE(ws.batch_size(), std::size_t(16));
        const auto buffers = [&] {
            std::vector<const float*> where;
            for (std::size_t i = 0; i < model->layer_count(); ++i) where.push_back(ws.output(i).data());
            return where;
        };
        const std::vector<const float*> where = buffers();
        trainer.step();
        QVERIFY(buffers() == where);
        // The last batch of the epoch is partial (100 = 3*32 + 4) and ends it.
        trainer.step();
        const auto last = trainer.step();
        QCOMPARE(last.batch, std::size_t(4));
        QVERIFY(last.epoch_done);
        QCOMPARE(trainer.epoch(), std::size_t(1));
    }

    void sameSeedSameLossCurve()
    {
        const auto curve = [](std::uint64_t seed) {
            auto model = lenet5<float>({28, 28, 1}, seed);
            Tensor<float> x = test::random_tensor<float>({64, 28, 28, 1}, 3, 0, 1);
            std::vector<std::uint8_t> y(64);
            for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::uint8_t((i * 7) % 10);
            Adam<float> adam;
            Trainer<float> trainer(*model, adam, x, y, {16, seed, true});
            std::vector<double> losses;
            for (int i = 0; i < 8; ++i) losses.push_back(trainer.step().loss);
            return losses;
        };
        QCOMPARE(curve(3), curve(3));
        QVERIFY(curve(3) != curve(4));
    }

    void divergenceLeavesTheModelUntouched()
    {
        auto model = lenet5<float>({28, 28, 1}, 1);
        Tensor<float> x = test::random_tensor<float>({8, 28, 28, 1}, 3, 0, 1);
        x.data()[5] = std::nanf("");
        std::vector<std::uint8_t> y(8, 1);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {8, 0, false});
        const arma::fvec before = model->parameters();
        QVERIFY_THROWS_EXCEPTION(DivergenceError, trainer.step());
        QVERIFY(arma::all(model->parameters() == before));
        QCOMPARE(trainer.step_count(), std::uint64_t(0));
    }

    void trainerErrors()
    {
        auto model = lenet5<float>({28, 28, 1});
        Adam<float> adam;
        Tensor<float> x(Shape{4, 28, 28, 1}), wrong(Shape{4, 32, 32, 1});
        std::vector<std::uint8_t> y(4, 0), short_y(3, 0), bad_y{0, 1, 10, 2};
        QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer<float>(*model, adam, wrong, y));
        QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer<float>(*model, adam, x, short_y));
        QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer<float>(*model, adam, x, bad_y));
        QVERIFY_THROWS_EXCEPTION(ShapeError, Trainer<float>(*model, adam, x, y, {0, 0, true}));
        Workspace<float> ws;
        QVERIFY_THROWS_EXCEPTION(ShapeError, model->forward(wrong, ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError, lenet5<float>({8, 8, 1})); // conv 2 would not fit
    }

    void evaluateCountsEverySample()
    {
        auto model = lenet5<float>({28, 28, 1}, 2);
        Tensor<float> x = test::random_tensor<float>({37, 28, 28, 1}, 9, 0, 1);
        std::vector<std::uint8_t> y(37);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::uint8_t(i % 10);
        const Evaluation e = evaluate(*model, x, y, 10);
        std::size_t total = 0, diagonal = 0;
        for (std::size_t t = 0; t < 10; ++t)
            for (std::size_t p = 0; p < 10; ++p) {
                total += e.confusion[t * 10 + p];
                if (t == p) diagonal += e.confusion[t * 10 + p];
            }
        QCOMPARE(total, std::size_t(37));
        QCOMPARE_LE(std::abs(e.accuracy - double(diagonal) / 37), 1e-12);
        // predict gives probabilities that match evaluate's predictions.
        const Tensor<float> p = predict(*model, x, 16);
        QCOMPARE(p.shape(), (Shape{37, 10}));
        for (std::size_t n = 0; n < 37; ++n) {
            const float* row = p.data() + n * 10;
            QCOMPARE(std::size_t(std::max_element(row, row + 10) - row), std::size_t(e.predictions[n]));
            QCOMPARE_LE(std::abs(std::accumulate(row, row + 10, 0.0f) - 1.0f), 1e-5f);
        }
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "tst_model.moc"
