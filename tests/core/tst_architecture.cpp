// Any architecture: every layer kind's gradients by finite differences (in
// double), two non-LeNet networks end to end, shape inference against
// values worked out by hand, impossible settings refused by name, the
// presets, dropout's semantics, and the round trip JSON -> model -> file ->
// JSON.
#include "architecture.hpp"
#include "architecture_json.hpp"
#include "errors.hpp"
#include "loss.hpp"
#include "model_file.hpp"
#include "presets.hpp"
#include "test_util.hpp"

#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(cs::LayerSpec)
Q_DECLARE_METATYPE(cs::Shape)
Q_DECLARE_METATYPE(std::vector<cs::LayerSpec>)

using namespace cs;
using namespace cs::layers;
using cs::test::gradient_error;
using cs::test::random_tensor;

namespace {

constexpr double tolerance = 1e-6;

Architecture arch(const Shape& input, const std::vector<LayerSpec>& specs)
{
    Architecture a{input, {}};
    for (const LayerSpec& s : specs) a.layers.push_back({"", s});
    return with_default_names(std::move(a));
}

// Finite differences of the softmax cross-entropy of `a` (initialised from
// `seed`) on a random batch, with respect to every parameter and every
// input value; `mode` fixes the dropout masks, so the loss is a smooth
// function of both. Returns the larger relative error.
double network_gradient_error(const Architecture& a, std::uint64_t seed, const PassMode& mode = {})
{
    auto model = make_model<double>(a, seed);
    // Biases start at zero: give them values, so that a wrong bias gradient shows.
    arma::vec& p = model->parameters();
    p += 0.1 * arma::randn<arma::vec>(p.n_elem, arma::distr_param(0.0, 1.0));
    const Shape& in = a.input;
    auto X = random_tensor({3, in[0], in[1], in[2]}, seed + 1, -1, 1);
    std::vector<std::uint8_t> labels(3);
    for (std::size_t i = 0; i < 3; ++i) labels[i] = std::uint8_t((i * 7 + seed) % model->classes());

    Workspace<double> ws;
    Tensor<double> probs, d;
    softmax_cross_entropy(model->forward(X, ws, mode), labels.data(), probs, d);
    model->backward(d, ws, /*input_gradient*/ true);
    const arma::vec analytic = ws.gradients();
    const arma::vec d_input = ws.input_gradient().flat();
    Workspace<double> probe;
    const auto loss = [&] {
        Tensor<double> pr, g;
        return softmax_cross_entropy(model->forward(X, probe, mode), labels.data(), pr, g).loss;
    };
    const double ep = gradient_error(loss, p.memptr(), p.n_elem, analytic.memptr());
    const double ex = gradient_error(loss, X.data(), X.size(), d_input.memptr());
    qInfo("  parameters %.3g, input %.3g (%zu parameters)", ep, ex, std::size_t(p.n_elem));
    return std::max(ep, ex);
}

std::string refusal(const Architecture& a)
{
    try {
        check_architecture(a);
    } catch (const ShapeError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestArchitecture : public QObject {
    Q_OBJECT

private slots:
    // Each kind of layer between a small conv and a dense head, so that its
    // gradient flows both into parameters and back to the input.
    void everyLayerKindGradient_data()
    {
        QTest::addColumn<LayerSpec>("layer");
        QTest::addColumn<bool>("training");
        QTest::newRow("conv2d same tanh") << conv2d(3, {3, 3}, {1, 1}, Padding::same, Activation::tanh) << false;
        QTest::newRow("conv2d valid stride 2 sigmoid")
            << conv2d(3, {3, 2}, {2, 2}, Padding::valid, Activation::sigmoid) << false;
        QTest::newRow("conv2d even kernel same, no bias")
            << conv2d(2, {4, 2}, {1, 1}, Padding::same, Activation::linear, false) << false;
        QTest::newRow("max pooling 3x3 /2 (overlapping)") << max_pooling2d({3, 3}, {2, 2}) << false;
        QTest::newRow("average pooling 3x2 /1 (overlapping)") << average_pooling2d({3, 2}, {1, 1}) << false;
        QTest::newRow("dropout 0.4, training") << dropout(0.4) << true;
        QTest::newRow("dropout 0.4, inference") << dropout(0.4) << false;
        QTest::newRow("activation tanh") << activation(Activation::tanh) << false;
        QTest::newRow("activation sigmoid") << activation(Activation::sigmoid) << false;
        QTest::newRow("relu") << relu() << false;
        QTest::newRow("rescaling") << rescaling(0.5, -0.25) << false;
        QTest::newRow("zero padding 1,2,0,3") << zero_padding2d({1, 2, 0, 3}) << false;
    }

    void everyLayerKindGradient()
    {
        QFETCH(LayerSpec, layer);
        QFETCH(bool, training);
        const Architecture a = arch({7, 6, 2}, {conv2d(3, {2, 2}, {1, 1}, Padding::valid, Activation::tanh), layer,
                                                flatten(), dense(4, Activation::tanh, false), dense(3)});
        const double e = network_gradient_error(a, 11, {training, 99});
        QVERIFY2(e < tolerance, std::to_string(e).c_str());
    }

    void flatAndDenseLayersGradient()
    {
        // Dropout, activations and rescaling on a flat input; softmax last.
        const Architecture a =
            arch({4, 4, 1}, {flatten(), dense(6, Activation::sigmoid), dropout(0.3), activation(Activation::tanh),
                             rescaling(2.0, 0.1), dense(5, Activation::relu), dense(3, Activation::softmax)});
        QVERIFY(network_gradient_error(a, 5, {true, 3}) < tolerance);
    }

    // Two networks that are not LeNet-5, with overlapping pools, even
    // kernels under 'same' padding and stride 2.
    void nonLeNetNetworksGradient_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("even kernels, overlapping max pool, stride 2") << 0;
        QTest::newRow("RGB, padding, overlapping average pool, no bias") << 1;
    }

    void nonLeNetNetworksGradient()
    {
        QFETCH(int, which);
        const Activation relu_ = Activation::relu;
        const Architecture a =
            which == 0 ? arch({12, 11, 1}, {conv2d(4, {2, 2}, {1, 1}, Padding::same, relu_),    // 12x11x4
                                            max_pooling2d({3, 3}, {2, 2}),                       // 5x5x4
                                            conv2d(6, {3, 3}, {2, 2}, Padding::valid, relu_),   // 2x2x6
                                            flatten(), dropout(0.25), dense(8, Activation::tanh),
                                            dense(4, Activation::softmax)})
                       : arch({9, 8, 3}, {rescaling(0.5), zero_padding2d({1, 1, 2, 2}),         // 11x12x3
                                          conv2d(5, {4, 4}, {2, 2}, Padding::same, Activation::tanh, false), // 6x6x5
                                          average_pooling2d({3, 3}, {1, 1}),                   // 4x4x5
                                          activation(Activation::sigmoid), conv2d(3, {2, 2}), relu(), // 3x3x3
                                          flatten(), dense(5, relu_), dense(3, Activation::softmax)});
        const std::vector<LayerShapes> shapes = infer_shapes(a);
        QCOMPARE(shapes.back().output, Shape({which == 0 ? 4u : 3u}));
        const double e = network_gradient_error(a, 21 + std::uint64_t(which), {true, 8});
        QVERIFY2(e < tolerance, std::to_string(e).c_str());
    }

    // Shapes worked out by hand with TensorFlow's rules.
    void shapesByHand_data()
    {
        QTest::addColumn<Shape>("input");
        QTest::addColumn<LayerSpec>("layer");
        QTest::addColumn<Shape>("output");
        QTest::addColumn<int>("parameters");
        QTest::addColumn<QString>("formula");
        QTest::newRow("same, stride 2") << Shape{28, 28, 1} << conv2d(6, {5, 5}, {2, 2}, Padding::same)
                                        << Shape{14, 14, 6} << 156 << "h_out = ceil(28 / 2) = 14";
        QTest::newRow("valid") << Shape{14, 14, 6} << conv2d(16, {5, 5}) << Shape{10, 10, 16} << 2416
                               << "h_out = floor((14 - 5) / 1) + 1 = 10";
        QTest::newRow("same, even kernel pads 1 above and 2 below")
            << Shape{7, 9, 2} << conv2d(3, {4, 4}, {1, 1}, Padding::same, Activation::relu, false) << Shape{7, 9, 3}
            << 96 << "'same' pads 3 rows (1 above, 2 below)";
        QTest::newRow("same, stride 2, odd side") << Shape{7, 7, 1} << conv2d(1, {3, 3}, {2, 2}, Padding::same)
                                                  << Shape{4, 4, 1} << 10 << "'same' pads 2 rows (1 above, 1 below)";
        QTest::newRow("valid, stride 2, rectangular")
            << Shape{14, 9, 4} << conv2d(8, {3, 2}, {2, 3}) << Shape{6, 3, 8} << 200
            << "w_out = floor((9 - 2) / 3) + 1 = 3";
        QTest::newRow("overlapping max pool") << Shape{13, 13, 8} << max_pooling2d({3, 3}, {2, 2})
                                              << Shape{6, 6, 8} << 0 << "windows overlap";
        QTest::newRow("average pool 2x2 /2, odd side drops a row")
            << Shape{5, 5, 16} << average_pooling2d() << Shape{2, 2, 16} << 0 << "h_out = floor((5 - 2) / 2) + 1 = 2";
        QTest::newRow("zero padding") << Shape{28, 28, 1} << zero_padding2d({2, 2, 2, 2}) << Shape{32, 32, 1} << 0
                                      << "h_out = 2 + 28 + 2 = 32";
        QTest::newRow("flatten") << Shape{5, 5, 16} << flatten() << Shape{400} << 0 << "n_out = 5 * 5 * 16 = 400";
        QTest::newRow("dense") << Shape{400} << dense(120) << Shape{120} << 48120
                               << "parameters = 400 * 120 + 120 = 48,120";
        QTest::newRow("dense without bias") << Shape{84} << dense(10, Activation::linear, false) << Shape{10} << 840
                                            << "parameters = 84 * 10 = 840";
        QTest::newRow("dropout keeps the shape") << Shape{7, 7, 3} << dropout(0.5) << Shape{7, 7, 3} << 0 << "7x7x3";
    }

    void shapesByHand()
    {
        QFETCH(Shape, input);
        QFETCH(LayerSpec, layer);
        QFETCH(Shape, output);
        QFETCH(int, parameters);
        QFETCH(QString, formula);
        // A flat head after it, so that the architecture as a whole is valid.
        // A flat input comes from a Flatten of (n, 1, 1).
        const bool flat = input.rank() == 1;
        std::vector<LayerSpec> specs;
        if (flat) specs.push_back(flatten());
        specs.push_back(layer);
        if (output.rank() == 3) specs.push_back(flatten());
        specs.push_back(dense(2));
        const Architecture a = arch(flat ? Shape{input[0], 1, 1} : input, specs);
        const LayerShapes s = infer_shapes(a)[flat];
        QVERIFY2(s.error.empty(), s.error.c_str());
        QCOMPARE(s.output, output);
        QCOMPARE(s.parameters, std::size_t(parameters));
        QVERIFY2(QString::fromStdString(s.formula).contains(formula), s.formula.c_str());
        // The built layer agrees with the inference.
        auto model = make_model<double>(a, 1);
        QCOMPARE(model->output_shape(flat), output);
    }

    // Impossible settings: a message naming the layer and the shapes, the
    // layer (and the rest) marked, and nothing built.
    void impossibleRefused_data()
    {
        QTest::addColumn<Shape>("input");
        QTest::addColumn<std::vector<LayerSpec>>("specs");
        QTest::addColumn<int>("bad");
        QTest::addColumn<QString>("message");
        QTest::newRow("kernel larger than its input")
            << Shape{28, 28, 1}
            << std::vector<LayerSpec>{max_pooling2d({4, 4}, {4, 4}), max_pooling2d({4, 4}, {4, 4}), conv2d(4, {5, 5}),
                                      flatten(), dense(10)}
            << 2 << "layer 3 'conv2d' (Conv2D 4@5x5 valid linear, input 1x1x1): the 5x5 kernel is larger than its input";
        QTest::newRow("stride of 0") << Shape{28, 28, 1}
                                     << std::vector<LayerSpec>{conv2d(4, {3, 3}, {0, 1}), flatten(), dense(10)} << 0
                                     << "strides must be at least 1";
        QTest::newRow("dense before flatten")
            << Shape{28, 28, 1} << std::vector<LayerSpec>{conv2d(4, {3, 3}), dense(10)} << 1
            << "layer 2 'dense' (Dense 10 linear, input 26x26x4): Dense needs a flat input, not 26x26x4: add a Flatten";
        QTest::newRow("conv after flatten") << Shape{8, 8, 1}
                                            << std::vector<LayerSpec>{flatten(), conv2d(2, {3, 3}), dense(10)} << 1
                                            << "Conv2D needs maps (h, w, c), not the flat 64";
        QTest::newRow("softmax before the last layer")
            << Shape{8, 8, 1} << std::vector<LayerSpec>{flatten(), dense(5, Activation::softmax), dense(3)} << 1
            << "softmax is only for the last layer";
        QTest::newRow("last layer not flat") << Shape{8, 8, 1} << std::vector<LayerSpec>{conv2d(2, {3, 3})} << 0
                                             << "the last layer must give flat logits";
        QTest::newRow("dropout rate 1") << Shape{8, 8, 1} << std::vector<LayerSpec>{flatten(), dropout(1), dense(3)}
                                        << 1 << "rate must be at least 0 and below 1";
        QTest::newRow("zero filters") << Shape{8, 8, 1} << std::vector<LayerSpec>{conv2d(0, {3, 3}), flatten(), dense(3)}
                                      << 0 << "filters must be positive";
    }

    void impossibleRefused()
    {
        QFETCH(Shape, input);
        QFETCH(std::vector<LayerSpec>, specs);
        QFETCH(int, bad);
        QFETCH(QString, message);
        const Architecture a = arch(input, specs);
        const std::vector<LayerShapes> shapes = infer_shapes(a);
        for (int i = 0; i < bad; ++i) QVERIFY2(shapes[std::size_t(i)].error.empty(), shapes[std::size_t(i)].error.c_str());
        QVERIFY(!shapes[std::size_t(bad)].error.empty());
        QVERIFY(shapes[std::size_t(bad)].output.rank() == 0);
        for (std::size_t i = std::size_t(bad) + 1; i < shapes.size(); ++i)
            QCOMPARE(shapes[i].error, std::string("follows an invalid layer"));
        const QString what = QString::fromStdString(refusal(a));
        QVERIFY2(what.contains(message), qPrintable(what));
        QVERIFY_THROWS_EXCEPTION(ShapeError, make_model<float>(a, 0));
    }

    void duplicateNamesRefused()
    {
        Architecture a = arch({8, 8, 1}, {flatten(), dense(4), dense(3)});
        a.layers[2].name = "dense";
        QVERIFY(QString::fromStdString(refusal(a)).contains("taken by an earlier layer"));
    }

    void defaultNamesAsKeras()
    {
        const Architecture a = preset_architecture("lenet5", {28, 28, 1}, 10);
        std::vector<std::string> names;
        for (const NamedLayer& l : a.layers) names.push_back(l.name);
        QCOMPARE(names, (std::vector<std::string>{"conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten",
                                                  "dense", "dense_1", "dense_2"}));
    }

    // Parameter counts worked out by hand for 28x28x1 digits, 10 classes.
    void presets_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("parameters");
        QTest::addColumn<Shape>("lastMaps");
        // 156 + 2,416 + 48,120 + 10,164 + 850
        QTest::newRow("lenet5") << "lenet5" << 61706 << Shape{5, 5, 16};
        // 156 + 2,416 + 48,120 (conv 120) + 10,164 + 850, on the digit padded to 32x32
        QTest::newRow("lenet5-1998") << "lenet5-1998" << 61706 << Shape{1, 1, 120};
        // 80 + 14*14*8*10 + 10
        QTest::newRow("tiny") << "tiny" << 15770 << Shape{14, 14, 8};
        // 320 + 18,496 + 3136*128 + 128 + 1,290
        QTest::newRow("wide") << "wide" << 421642 << Shape{7, 7, 64};
        // 160 + 2,320 + 4,640 + 9,248 + 1568*10 + 10
        QTest::newRow("all-conv") << "all-conv" << 32058 << Shape{7, 7, 32};
    }

    void presets()
    {
        QFETCH(QString, name);
        QFETCH(int, parameters);
        QFETCH(Shape, lastMaps);
        QVERIFY(is_preset(name.toStdString()));
        const Architecture a = preset_architecture(name.toStdString(), {28, 28, 1}, 10);
        auto model = make_model<float>(a, 0);
        QCOMPARE(model->parameter_count(), std::size_t(parameters));
        QCOMPARE(model->classes(), std::size_t(10));
        Shape maps;
        for (std::size_t i = 0; i < model->layer_count(); ++i)
            if (model->output_shape(i).rank() == 3) maps = model->output_shape(i);
        QCOMPARE(maps, lastMaps);
        QVERIFY(QString::fromStdString(keras_summary(a)).contains(
            "Total params: " + QLocale(QLocale::English).toString(parameters)));
    }

    void presetRefusals()
    {
        QVERIFY_THROWS_EXCEPTION(ShapeError, preset_architecture("vgg16", {28, 28, 1}, 10));
        // LeNet-5's second convolution has nothing left to read on 8x8 images.
        try {
            preset_architecture("lenet5", {8, 8, 1}, 10);
            QFAIL("an 8x8 input was taken");
        } catch (const ShapeError& e) {
            QVERIFY2(QString(e.what()).contains("'lenet5' cannot take samples of 8x8x1"), e.what());
        }
    }

    // Keras 2's layout, written out by hand for LeNet-5.
    void kerasSummary()
    {
        const std::string expected =
            "Model: \"sequential\"\n"
            "_________________________________________________________________\n"
            " Layer (type)                Output Shape              Param #\n"
            "=================================================================\n"
            " conv2d (Conv2D)             (None, 28, 28, 6)         156\n\n"
            " max_pooling2d (MaxPooling2D (None, 14, 14, 6)         0\n"
            " )\n\n"
            " conv2d_1 (Conv2D)           (None, 10, 10, 16)        2,416\n\n"
            " max_pooling2d_1 (MaxPooling (None, 5, 5, 16)          0\n"
            " 2D)\n\n"
            " flatten (Flatten)           (None, 400)               0\n\n"
            " dense (Dense)               (None, 120)               48,120\n\n"
            " dense_1 (Dense)             (None, 84)                10,164\n\n"
            " dense_2 (Dense)             (None, 10)                850\n"
            "=================================================================\n"
            "Total params: 61,706\n"
            "Trainable params: 61,706\n"
            "Non-trainable params: 0\n"
            "_________________________________________________________________\n";
        const std::string summary = keras_summary(preset_architecture("lenet5", {28, 28, 1}, 10));
        QCOMPARE(QString::fromStdString(summary), QString::fromStdString(expected));
    }

    void dropoutSemantics()
    {
        const Architecture a = arch({100, 100, 1}, {dropout(0.3), flatten(), dense(2)});
        auto model = make_model<double>(a, 0);
        const auto X = random_tensor({1, 100, 100, 1}, 4, 1, 2);
        Workspace<double> ws;
        // Off at inference: the input passes unchanged.
        model->forward(X, ws);
        QVERIFY(arma::approx_equal(ws.output(0).flat(), X.flat(), "absdiff", 0.0));
        // In training: about 30% zeroed, the rest scaled by 1/0.7.
        model->forward(X, ws, {true, 42});
        std::size_t dropped = 0;
        for (std::size_t i = 0; i < X.size(); ++i) {
            const double y = ws.output(0).data()[i], x = X.data()[i];
            if (y == 0)
                ++dropped;
            else
                QVERIFY(std::abs(y - x / 0.7) < 1e-12);
        }
        // 10,000 draws: 3,000 expected, standard deviation about 46.
        QVERIFY2(dropped > 2800 && dropped < 3200, std::to_string(dropped).c_str());
        // The same seed gives the same mask, another seed another.
        const arma::vec first = ws.output(0).flat();
        model->forward(X, ws, {true, 42});
        QVERIFY(arma::approx_equal(ws.output(0).flat(), first, "absdiff", 0.0));
        model->forward(X, ws, {true, 43});
        QVERIFY(!arma::approx_equal(ws.output(0).flat(), first, "absdiff", 0.0));
    }

    void kerasJsonWithEveryKind()
    {
        // As Keras 2.x writes it (trimmed of initialisers), keys it does not need included.
        const std::string text = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
          {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 28, 28, 1], "dtype": "float32",
                                                  "sparse": false, "ragged": false, "name": "input_1"}},
          {"class_name": "Rescaling", "config": {"name": "rescale", "trainable": true, "scale": 0.5, "offset": 0.0}},
          {"class_name": "ZeroPadding2D", "config": {"name": "pad", "padding": [[2, 2], [1, 3]],
                                                     "data_format": "channels_last"}},
          {"class_name": "Conv2D", "config": {"name": "c1", "filters": 4, "kernel_size": [4, 4], "strides": [2, 2],
                                              "padding": "same", "activation": "linear", "use_bias": false,
                                              "dilation_rate": [1, 1], "groups": 1, "data_format": "channels_last"}},
          {"class_name": "ReLU", "config": {"name": "r1", "max_value": null, "negative_slope": 0.0, "threshold": 0.0}},
          {"class_name": "MaxPooling2D", "config": {"name": "p1", "pool_size": [3, 3], "strides": [2, 2],
                                                    "padding": "valid", "data_format": "channels_last"}},
          {"class_name": "Dropout", "config": {"name": "d1", "rate": 0.25, "noise_shape": null, "seed": null}},
          {"class_name": "Flatten", "config": {"name": "f", "data_format": "channels_last"}},
          {"class_name": "Dense", "config": {"name": "fc", "units": 10, "activation": "linear", "use_bias": true}},
          {"class_name": "Activation", "config": {"name": "probs", "activation": "softmax"}}]}})";
        const Architecture a = architecture_from_json(text, "t.json", 100);
        QCOMPARE(a.input, Shape({28, 28, 1}));
        QCOMPARE(a.layers.size(), std::size_t(9));
        QCOMPARE(a.layers[0].spec, rescaling(0.5, 0));
        QCOMPARE(a.layers[1].spec, zero_padding2d({2, 2, 1, 3}));
        QCOMPARE(a.layers[2].spec, conv2d(4, {4, 4}, {2, 2}, Padding::same, Activation::linear, false));
        QCOMPARE(a.layers[3].spec, relu());
        QCOMPARE(a.layers[4].spec, max_pooling2d({3, 3}, {2, 2}));
        QCOMPARE(a.layers[5].spec, dropout(0.25));
        QCOMPARE(a.layers[8].spec, activation(Activation::softmax));
        QCOMPARE(a.layers[8].name, std::string("probs"));
        // 32x32 -> 16x16x4 -> 7x7x4 -> 196 -> 10
        QCOMPARE(infer_shapes(a)[4].output, Shape({7, 7, 4}));
        check_architecture(a);
    }

    void kerasJsonRefusals_data()
    {
        QTest::addColumn<QString>("layer");
        QTest::addColumn<QString>("message");
        QTest::newRow("capped ReLU") << R"({"class_name": "ReLU", "config": {"name": "r", "max_value": 6.0}})"
                                     << "'max_value' is 6.0";
        QTest::newRow("dropout rate 1.5") << R"({"class_name": "Dropout", "config": {"name": "d", "rate": 1.5}})"
                                          << "'rate' must be a number from";
        QTest::newRow("dropout noise shape")
            << R"({"class_name": "Dropout", "config": {"name": "d", "rate": 0.5, "noise_shape": [1, 1, 4]}})"
            << "'noise_shape'";
        QTest::newRow("unknown activation")
            << R"({"class_name": "Activation", "config": {"name": "a", "activation": "gelu"}})" << "\"gelu\"";
        QTest::newRow("negative padding")
            << R"({"class_name": "ZeroPadding2D", "config": {"name": "z", "padding": -1}})" << "'padding' must be";
        QTest::newRow("use_bias not a bool")
            << R"({"class_name": "Dense", "config": {"name": "d", "units": 3, "activation": "linear", "use_bias": 1}})"
            << "'use_bias' must be true or false";
        QTest::newRow("unknown layer") << R"({"class_name": "LSTM", "config": {"name": "l"}})"
                                       << "which ConvScope does not have (it has Conv2D";
    }

    void kerasJsonRefusals()
    {
        QFETCH(QString, layer);
        QFETCH(QString, message);
        const std::string text = R"({"class_name": "Sequential", "config": {"layers": [
            {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 1]}},
            {"class_name": "Flatten", "config": {"name": "f"}}, )" +
                                 layer.toStdString() + "]}}";
        try {
            architecture_from_json(text, "bad.json", 100);
            QFAIL("accepted");
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).contains(message), e.what());
            QVERIFY2(QString(e.what()).startsWith("bad.json"), e.what());
        }
    }

    // JSON -> model -> file -> JSON, through every kind.
    void roundTrip()
    {
        Architecture a = arch({30, 29, 3}, {rescaling(1.0 / 255), zero_padding2d({1, 0, 2, 1}),
                                            conv2d(5, {4, 3}, {2, 1}, Padding::same, Activation::tanh, false),
                                            max_pooling2d({3, 3}, {2, 2}), relu(), average_pooling2d({2, 2}, {1, 1}),
                                            dropout(0.2), flatten(), dense(7, Activation::sigmoid),
                                            activation(Activation::relu), dense(4, Activation::softmax)});
        a.layers[2].name = "my_conv";
        const std::string json = architecture_to_json(a);
        const Architecture parsed = architecture_from_json(json, "a.json", 100);
        QVERIFY(parsed == a);
        auto model = make_model<float>(parsed, 3);
        QCOMPARE(model->layer(2).name(), std::string("my_conv"));
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.npz").toStdString();
        save_model(path, *model);
        const ModelFile loaded = load_model(path);
        QVERIFY(arma::approx_equal(loaded.model->parameters(), model->parameters(), "absdiff", 0.0f));
        QCOMPARE(QString::fromStdString(architecture_to_json(architecture_of(*loaded.model))),
                 QString::fromStdString(json));
        // The weights go out under the layers' names; no bias where there is none.
        const std::string weights = dir.filePath("w.npz").toStdString();
        export_weights_npz(weights, *model);
        auto fresh = make_model<float>(parsed, 99);
        import_weights_npz(weights, *fresh);
        QVERIFY(arma::approx_equal(fresh->parameters(), model->parameters(), "absdiff", 0.0f));
        bool hasBias = false;
        for (const ParameterShape& p : model->parameter_shapes()) hasBias |= p.name == "my_conv/bias";
        QVERIFY(!hasBias);
    }
};


QTEST_APPLESS_MAIN(TestArchitecture)
#include "tst_architecture.moc"
