// Explanations (core/nn/explanation.hpp) against numbers this test works out
// on its own: a plain per-sample forward pass written here from the layers'
// definitions (TensorFlow's 'same' padding, the first maximum of a window,
// Keras' kernel layouts), finite differences of the loss for gradients, and
// receptive fields computed by hand. Two networks: LeNet-5, and one with
// stride 2, an even 'same' kernel, an odd padding, overlapping pools and
// every other kind of layer.
#include "explanation.hpp"
#include "saliency.hpp"
#include "sequential.hpp"
#include "architecture.hpp"
#include "errors.hpp"

#include "test_util.hpp"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace cs;

namespace {

// A per-sample tensor of the reference pass.
struct Values {
    Shape shape;
    std::vector<double> v;
};

std::size_t out_size(std::size_t in, std::size_t k, std::size_t s, Padding p)
{
    return p == Padding::same ? (in + s - 1) / s : (in - k) / s + 1;
}

// TensorFlow: the padding is split with the odd pixel at the bottom/right.
std::size_t pad_before(std::size_t in, std::size_t k, std::size_t s, Padding p)
{
    if (p == Padding::valid) return 0;
    const std::ptrdiff_t total = std::ptrdiff_t((out_size(in, k, s, p) - 1) * s + k) - std::ptrdiff_t(in);
    return total > 0 ? std::size_t(total / 2) : 0;
}

double act(Activation a, double z)
{
    switch (a) {
    case Activation::relu: return z > 0 ? z : 0;
    case Activation::tanh: return std::tanh(z);
    case Activation::sigmoid: return 1 / (1 + std::exp(-z));
    default: return z; // linear, and softmax (applied by the loss)
    }
}

// Layer `spec` applied to `in` with its parameters at `p` (kernel, then bias).
Values reference_layer(const LayerSpec& spec, const Values& in, const double* p)
{
    Values out;
    const std::string& kind = spec.kind;
    if (kind == "conv2d") {
        const std::size_t h = in.shape[0], w = in.shape[1], c = in.shape[2], f = spec.units;
        const std::size_t kh = spec.kernel.h, kw = spec.kernel.w, sh = spec.stride.h, sw = spec.stride.w;
        const std::size_t ho = out_size(h, kh, sh, spec.padding), wo = out_size(w, kw, sw, spec.padding);
        const std::ptrdiff_t pt = std::ptrdiff_t(pad_before(h, kh, sh, spec.padding));
        const std::ptrdiff_t pl = std::ptrdiff_t(pad_before(w, kw, sw, spec.padding));
        out.shape = {ho, wo, f};
        const double* bias = spec.use_bias ? p + kh * kw * c * f : nullptr;
        for (std::size_t y = 0; y < ho; ++y)
            for (std::size_t x = 0; x < wo; ++x)
                for (std::size_t o = 0; o < f; ++o) {
                    double z = bias ? bias[o] : 0;
                    for (std::size_t i = 0; i < kh; ++i)
                        for (std::size_t j = 0; j < kw; ++j) {
                            const std::ptrdiff_t r = std::ptrdiff_t(y * sh + i) - pt, q = std::ptrdiff_t(x * sw + j) - pl;
                            if (r < 0 || q < 0 || r >= std::ptrdiff_t(h) || q >= std::ptrdiff_t(w)) continue;
                            for (std::size_t k = 0; k < c; ++k)
                                z += in.v[(std::size_t(r) * w + std::size_t(q)) * c + k] * p[((i * kw + j) * c + k) * f + o];
                        }
                    out.v.push_back(act(spec.activation, z));
                }
    } else if (kind == "max_pooling2d" || kind == "average_pooling2d") {
        const std::size_t h = in.shape[0], w = in.shape[1], c = in.shape[2];
        const std::size_t kh = spec.kernel.h, kw = spec.kernel.w, sh = spec.stride.h, sw = spec.stride.w;
        const std::size_t ho = (h - kh) / sh + 1, wo = (w - kw) / sw + 1;
        out.shape = {ho, wo, c};
        for (std::size_t y = 0; y < ho; ++y)
            for (std::size_t x = 0; x < wo; ++x)
                for (std::size_t k = 0; k < c; ++k) {
                    double best = -INFINITY, sum = 0;
                    for (std::size_t i = 0; i < kh; ++i)
                        for (std::size_t j = 0; j < kw; ++j) {
                            const double a = in.v[((y * sh + i) * w + x * sw + j) * c + k];
                            best = std::max(best, a);
                            sum += a;
                        }
                    out.v.push_back(kind == "max_pooling2d" ? best : sum / double(kh * kw));
                }
    } else if (kind == "dense") {
        const std::size_t n = in.v.size(), u = spec.units;
        out.shape = {u};
        for (std::size_t o = 0; o < u; ++o) {
            double z = spec.use_bias ? p[n * u + o] : 0;
            for (std::size_t k = 0; k < n; ++k) z += in.v[k] * p[k * u + o];
            out.v.push_back(act(spec.activation, z));
        }
    } else if (kind == "zero_padding2d") {
        const Margins& m = spec.margins;
        const std::size_t h = in.shape[0], w = in.shape[1], c = in.shape[2];
        out.shape = {h + m.top + m.bottom, w + m.left + m.right, c};
        out.v.assign(out.shape.elements(), 0.0);
        for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < w; ++x)
                for (std::size_t k = 0; k < c; ++k)
                    out.v[((y + m.top) * out.shape[1] + x + m.left) * c + k] = in.v[(y * w + x) * c + k];
    } else {
        out = in; // flatten, dropout (off outside training), activation, rescaling
        if (kind == "flatten") out.shape = {in.v.size()};
        for (double& a : out.v) {
            if (kind == "activation") a = act(spec.activation, a);
            if (kind == "relu") a = act(Activation::relu, a);
            if (kind == "rescaling") a = a * spec.scale + spec.offset;
        }
    }
    return out;
}

// A_j for j = first..L-1 from A_{first-1} = `from`; returns every output.
std::vector<Values> reference_pass(const Network<double>& net, const arma::Col<double>& params, Values from,
                                   std::size_t first = 0)
{
    std::vector<Values> outputs;
    for (std::size_t j = first; j < net.layer_count(); ++j) {
        const std::vector<ParameterShape> ps = net.layer_parameter_shapes(j);
        from = reference_layer(net.layer(j).spec(), from, ps.empty() ? nullptr : params.memptr() + ps.front().offset);
        outputs.push_back(from);
    }
    return outputs;
}

// -log softmax(z)[t]
double reference_loss(const Values& logits, std::size_t t)
{
    const double top = *std::max_element(logits.v.begin(), logits.v.end());
    double s = 0;
    for (double z : logits.v) s += std::exp(z - top);
    return std::log(s) + top - logits.v[t];
}

// A network as the test builds it: an input and Keras-named layers.
struct Net {
    Shape input;
    std::vector<LayerSpec> layers;
};

Net lenet5()
{
    using namespace layers;
    return {{28, 28, 1},
            {conv2d(6, {5, 5}, {1, 1}, Padding::same, Activation::relu), max_pooling2d(),
             conv2d(16, {5, 5}, {1, 1}, Padding::valid, Activation::relu), max_pooling2d(), flatten(),
             dense(120, Activation::relu), dense(84, Activation::relu), dense(10, Activation::softmax)}};
}

// Stride 2 with an even, non-square 'same' kernel (the odd pixel of padding at the
// bottom), an uneven zero padding, overlapping average and max pools, a
// convolution without bias, and every element-wise layer.
Net strided()
{
    using namespace layers;
    return {{13, 11, 2},
            {rescaling(2, -0.5), conv2d(4, {4, 6}, {2, 2}, Padding::same, Activation::relu),
             zero_padding2d({1, 0, 2, 1}), average_pooling2d({3, 3}, {2, 2}),
             conv2d(3, {2, 2}, {1, 1}, Padding::same, Activation::tanh, false), relu(),
             max_pooling2d({2, 2}, {1, 1}), flatten(), dense(7, Activation::sigmoid), dropout(0.5),
             activation(Activation::linear), dense(5, Activation::softmax)}};
}

std::unique_ptr<Sequential<double>> model_of(const Net& a, std::uint64_t seed)
{
    return make_model<double>(a.input, a.layers, seed);
}

Values values_of(const Tensor<double>& t, const Shape& per_sample)
{
    return {per_sample, std::vector<double>(t.data(), t.data() + t.size())};
}

std::size_t flat(const Cell& cell, const Shape& shape)
{
    std::size_t k = 0;
    for (std::size_t a = 0; a < cell.size(); ++a) k = k * shape[a] + cell[a];
    return k;
}

// Some cells of `shape`: its first and last, and `n` drawn at random.
std::vector<Cell> cells_of(const Shape& shape, std::mt19937_64& rng, int n = 6)
{
    std::vector<Cell> cells;
    Cell first(shape.rank(), 0), last(shape.rank());
    for (std::size_t a = 0; a < shape.rank(); ++a) last[a] = shape[a] - 1;
    cells.push_back(first);
    cells.push_back(last);
    for (int i = 0; i < n; ++i) {
        Cell c(shape.rank());
        for (std::size_t a = 0; a < shape.rank(); ++a) c[a] = std::uniform_int_distribution<std::size_t>(0, shape[a] - 1)(rng);
        cells.push_back(c);
    }
    return cells;
}

Tensor<double> sample_of(const Shape& input, std::uint64_t seed)
{
    return test::random_tensor<double>({1, input[0], input[1], input[2]}, seed, 0, 1);
}

bool close(double a, double b, double tol) { return std::abs(a - b) <= tol * (1 + std::abs(b)); }

} // namespace

class TestExplanation : public QObject {
    Q_OBJECT

private slots:
    void forwardSumsAreTheLayersOutputs_data();
    void forwardSumsAreTheLayersOutputs();
    void convolutionWindowAndPaddingTaps();
    void maxPoolWinnerIsTheFirstMaximum();
    void gradientsAreTheLossDerivatives_data();
    void gradientsAreTheLossDerivatives();
    void receptiveFieldByHand();
    void floatExplanationsMatchTheFloatPass();
    void refusesWhatItCannotExplain();
};

void TestExplanation::forwardSumsAreTheLayersOutputs_data()
{
    QTest::addColumn<int>("network");
    QTest::newRow("lenet5") << 0;
    QTest::newRow("stride 2, even same kernel") << 1;
}

void TestExplanation::forwardSumsAreTheLayersOutputs()
{
    QFETCH(int, network);
    const Net a = network == 0 ? lenet5() : strided();
    const auto model = model_of(a, 7);
    // Non-zero biases, so that the bias term is checked too.
    for (std::size_t i = 0; i < model->parameters().n_elem; ++i)
        if (model->parameters()[i] == 0) model->parameters()[i] = 0.01 * double(i % 7) - 0.03;
    const Network<double>& net = model->network();
    const Tensor<double> x = sample_of(a.input, 11);
    Workspace<double> ws;
    net.forward(model->parameters(), x, ws);
    const std::vector<Values> ref = reference_pass(net, model->parameters(), values_of(x, a.input));

    std::mt19937_64 rng(5);
    int checked = 0;
    for (std::size_t i = 0; i < net.layer_count(); ++i) {
        const Shape& shape = net.output_shape(i);
        for (const Cell& cell : cells_of(shape, rng)) {
            const Explanation e = explain_forward(net, model->parameters(), ws, i, cell);
            const double expected = ref[i].v[flat(cell, shape)];
            const QByteArray where = QByteArray::fromStdString(e.layer + " cell " + std::to_string(flat(cell, shape)));
            QVERIFY2(close(e.value, expected, 1e-10), where);
            // The sum (through the activation) is the output, independently.
            QVERIFY2(close(e.activated, expected, 1e-10), where);
            QCOMPARE(e.layer_index, i);
            QCOMPARE(e.cell, cell);
            const LayerSpec spec = net.layer(i).spec();
            if (spec.kind == "conv2d") {
                QCOMPARE(e.kind, std::string("conv"));
                QCOMPARE(e.terms.size(), spec.kernel.h * spec.kernel.w * (i ? net.output_shape(i - 1)[2] : a.input[2]));
                QCOMPARE(e.bias.has_value(), spec.use_bias);
            }
            if (spec.kind == "dense") {
                QCOMPARE(e.kind, std::string("dense"));
                for (std::size_t t = 1; t < e.terms.size(); ++t)
                    QVERIFY(std::abs(e.terms[t - 1].product()) >= std::abs(e.terms[t].product()));
            }
            ++checked;
        }
    }
    QVERIFY(checked >= 8 * int(net.layer_count()));
}

void TestExplanation::convolutionWindowAndPaddingTaps()
{
    const Net a = strided();
    const auto model = model_of(a, 3);
    const Network<double>& net = model->network();
    const Tensor<double> x = sample_of(a.input, 4);
    Workspace<double> ws;
    net.forward(model->parameters(), x, ws);
    // Layer 1: 4x6, stride 2, 'same' on 13x11: out 7x6, padding 3 rows
    // (1 above, 2 below) and 5 columns (2 left, 3 right).
    const Explanation e = explain_forward(net, model->parameters(), ws, 1, {6, 0, 2});
    QCOMPARE(e.pad_top, std::size_t(1));
    QCOMPARE(e.pad_left, std::size_t(2));
    QCOMPARE(e.corner_row, std::ptrdiff_t(6 * 2 - 1));
    QCOMPARE(e.corner_col, std::ptrdiff_t(-2));
    QCOMPARE(e.terms.size(), std::size_t(4 * 6 * 2));
    int padding = 0;
    for (const ExplanationTerm& t : e.terms) {
        const bool outside = t.from[0] < 0 || t.from[0] >= 13 || t.from[1] < 0 || t.from[1] >= 11;
        QCOMPARE(t.padding, outside);
        if (outside) {
            QCOMPARE(t.x, 0.0);
            ++padding;
        }
    }
    // Rows 11..14 (13, 14 padding), columns -2..3 (-2, -1 padding), 2 channels.
    QCOMPARE(padding, (4 * 6 - 2 * 4) * 2);
    // Taps in C order of the kernel: (di, dj, c), c fastest.
    QCOMPARE(e.terms[1].from, (std::vector<std::ptrdiff_t>{11, -2, 1}));
    QCOMPARE(e.terms[2].from, (std::vector<std::ptrdiff_t>{11, -1, 0}));
}

void TestExplanation::maxPoolWinnerIsTheFirstMaximum()
{
    const Net a = lenet5();
    const auto model = model_of(a, 9);
    const Network<double>& net = model->network();
    // A sample of zeros and ones: after ReLU many windows tie.
    Tensor<double> x = sample_of(a.input, 1);
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = x.data()[i] > 0.7 ? 1.0 : 0.0;
    Workspace<double> ws;
    net.forward(model->parameters(), x, ws);
    const Tensor<double>& in = ws.output(0); // conv2d: (1, 28, 28, 6)
    int ties = 0;
    for (std::size_t y = 0; y < 14; ++y)
        for (std::size_t xx = 0; xx < 14; ++xx)
            for (std::size_t c = 0; c < 6; ++c) {
                const Explanation e = explain_forward(net, model->parameters(), ws, 1, {y, xx, c});
                Cell first;
                double best = -INFINITY;
                int at_best = 0;
                for (std::size_t i = 0; i < 2; ++i)
                    for (std::size_t j = 0; j < 2; ++j) {
                        const double v = in.data()[((2 * y + i) * 28 + 2 * xx + j) * 6 + c];
                        if (v > best) {
                            best = v;
                            first = {2 * y + i, 2 * xx + j, c};
                            at_best = 1;
                        } else if (v == best) {
                            ++at_best;
                        }
                    }
                QVERIFY(e.winner);
                QCOMPARE(*e.winner, first);
                QCOMPARE(e.sum, best);
                QCOMPARE(e.value, best);
                QCOMPARE(e.terms.size(), std::size_t(4));
                ties += at_best > 1;
            }
    QVERIFY2(ties > 20, "the sample should make windows tie");
}

void TestExplanation::gradientsAreTheLossDerivatives_data()
{
    forwardSumsAreTheLayersOutputs_data();
}

// dL/dA_{i-1} at a cell, and dL/dW at a weight, against central
// differences of the reference pass (cells at a kink, where the one-sided
// slopes differ, are skipped: there the derivative is not defined).
void TestExplanation::gradientsAreTheLossDerivatives()
{
    QFETCH(int, network);
    const Net a = network == 0 ? lenet5() : strided();
    const auto model = model_of(a, 21);
    const Network<double>& net = model->network();
    arma::Col<double>& params = model->parameters();
    const Tensor<double> x = sample_of(a.input, 8);
    const std::size_t target = 3;
    Workspace<double> ws;
    sample_gradients(net, params, x, target, ws);

    std::mt19937_64 rng(17);
    const double eps = 1e-6;
    int compared = 0, kinks = 0;
    const auto derivative = [&](const std::function<double(double)>& loss_at, double x0, double& d) {
        const double up = loss_at(x0 + eps), mid = loss_at(x0), down = loss_at(x0 - eps);
        if (!close((up - mid) / eps, (mid - down) / eps, 1e-3)) return false;
        d = (up - down) / (2 * eps);
        return true;
    };
    for (std::size_t i = 0; i < net.layer_count(); ++i) {
        // The pass up to layer i, then layer i onward from a perturbed input.
        const Shape& in_shape = i == 0 ? a.input : net.output_shape(i - 1);
        const Values before = i == 0 ? values_of(x, a.input) : reference_pass(net, params, values_of(x, a.input))[i - 1];
        for (const Cell& cell : cells_of(in_shape, rng)) {
            const Explanation e = explain_gradient(net, params, ws, i, cell);
            const QByteArray where = QByteArray::fromStdString(e.layer + " input cell " + std::to_string(flat(cell, in_shape)));
            QVERIFY2(close(e.sum, e.value, 1e-9), where);
            QCOMPARE(e.quantity, std::string("dA"));
            const std::size_t k = flat(cell, in_shape);
            double fd = 0;
            const bool smooth = derivative(
                [&](double v) {
                    Values changed = before;
                    changed.v[k] = v;
                    return reference_loss(reference_pass(net, params, changed, i).back(), target);
                },
                before.v[k], fd);
            if (!smooth) {
                ++kinks;
                continue;
            }
            QVERIFY2(std::abs(e.sum - fd) <= 1e-6 + 1e-4 * std::abs(fd), where);
            ++compared;
        }
        // dW of a few kernel weights.
        const std::vector<ParameterShape> ps = net.layer_parameter_shapes(i);
        if (ps.empty()) continue;
        for (const Cell& w : cells_of(ps.front().shape, rng, 3)) {
            const Explanation e = explain_weight_gradient(net, params, ws, i, w);
            const QByteArray where = QByteArray::fromStdString(e.layer + " weight " + std::to_string(flat(w, ps.front().shape)));
            QVERIFY2(close(e.sum, e.value, 1e-9), where);
            const std::size_t p = ps.front().offset + flat(w, ps.front().shape);
            const double saved = params[p];
            double fd = 0;
            const bool smooth = derivative(
                [&](double v) {
                    params[p] = v;
                    const double l = reference_loss(reference_pass(net, params, values_of(x, a.input)).back(), target);
                    params[p] = saved;
                    return l;
                },
                saved, fd);
            if (!smooth) {
                ++kinks;
                continue;
            }
            QVERIFY2(std::abs(e.sum - fd) <= 1e-6 + 1e-4 * std::abs(fd), where);
            ++compared;
        }
    }
    QVERIFY2(compared > 2 * kinks && compared >= 60, qPrintable(QString("%1 compared, %2 at kinks").arg(compared).arg(kinks)));
}

void TestExplanation::receptiveFieldByHand()
{
    const Net a = lenet5();
    const auto model = model_of(a, 1);
    const Network<double>& net = model->network();
    // conv2d_1 (5x5 valid) at (0, 0) reads rows 0..4 of pool 1, which reads
    // rows 0..9 of conv2d, which (5x5 'same', pad 2) reads rows -2..11 of
    // the input: 0..11 inside it.
    std::vector<Region> r = receptive_field(net, 2, 0, 0);
    QCOMPARE(r.size(), std::size_t(3));
    QCOMPARE(r[2], (Region{0, 0, 4, 4}));
    QCOMPARE(r[1], (Region{0, 0, 9, 9}));
    QCOMPARE(r[0], (Region{0, 0, 11, 11}));
    r = receptive_field(net, 2, 9, 3);
    QCOMPARE(r[2], (Region{9, 3, 13, 7}));
    QCOMPARE(r[1], (Region{18, 6, 27, 15}));
    QCOMPARE(r[0], (Region{16, 4, 27, 17}));
    // The strided network: layer 3 (3x3 average, stride 2) at (0, 0) reads
    // rows 0..2, columns 0..2 of the zero padding (1 row above, 2 columns
    // left), so rows -1..1, columns -2..0 of conv 1's 7x6 maps: rows 0..1,
    // column 0; which reads rows 0*2-1 .. 1*2-1+3 = -1..4 and columns
    // 0*2-2 .. 0*2-2+5 = -2..3 of the input.
    const auto s = model_of(strided(), 1);
    r = receptive_field(s->network(), 3, 0, 0);
    QCOMPARE(r[3], (Region{0, 0, 2, 2}));
    QCOMPARE(r[2], (Region{0, 0, 1, 0}));
    QCOMPARE(r[1], (Region{0, 0, 4, 3}));
    QCOMPARE(r[0], (Region{0, 0, 4, 3}));
    // Behind a flatten every cell counts: a dense layer has no map position.
    QVERIFY_THROWS_EXCEPTION(ShapeError, receptive_field(net, 5, 0, 0));
}

void TestExplanation::floatExplanationsMatchTheFloatPass()
{
    // The training type: the value is the float the core computed, and the
    // double sum of its float terms agrees with it to float precision.
    const Net a = lenet5();
    const auto model = make_model<float>(a.input, a.layers, 2);
    const Network<float>& net = model->network();
    Tensor<float> x({1, 28, 28, 1});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i % 29) / 29.0f;
    Workspace<float> ws;
    sample_gradients(net, model->parameters(), x, 4, ws);
    std::mt19937_64 rng(3);
    for (std::size_t i = 0; i < net.layer_count(); ++i)
        for (const Cell& cell : cells_of(net.output_shape(i), rng, 3)) {
            const Explanation e = explain_forward(net, model->parameters(), ws, i, cell);
            QCOMPARE(e.value, double(ws.output(i).data()[flat(cell, net.output_shape(i))]));
            QVERIFY(std::abs(e.activated - e.value) <= 1e-5 * (1 + std::abs(e.value)));
            const Shape& in = i ? net.output_shape(i - 1) : a.input;
            const Explanation g = explain_gradient(net, model->parameters(), ws, i, cells_of(in, rng, 0).back());
            QVERIFY(std::abs(g.sum - g.value) <= 1e-5 * (1e-3 + std::abs(g.value)));
        }
}

void TestExplanation::refusesWhatItCannotExplain()
{
    const Net a = lenet5();
    const auto model = model_of(a, 1);
    const Network<double>& net = model->network();
    const arma::Col<double>& p = model->parameters();
    Workspace<double> ws;
    const auto message = [](auto&& f) {
        try {
            f();
        } catch (const ShapeError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    // Nothing run through the workspace yet.
    QVERIFY(message([&] { explain_forward(net, p, ws, 0, {0, 0, 0}); }).find("one sample") != std::string::npos);
    // Two samples: which one?
    net.forward(p, test::random_tensor<double>({2, 28, 28, 1}, 1), ws);
    QVERIFY(message([&] { explain_forward(net, p, ws, 0, {0, 0, 0}); }).find("one sample") != std::string::npos);
    net.forward(p, sample_of(a.input, 1), ws);
    QCOMPARE(message([&] { explain_forward(net, p, ws, 0, {28, 0, 0}); }),
             std::string("cell (28, 0, 0) is not in conv2d's output (28, 28, 6): give 3 indices, each below its size"));
    QCOMPARE(message([&] { explain_forward(net, p, ws, 5, {3, 4}); }),
             std::string("cell (3, 4) is not in dense's output (120,): give one index below 120"));
    QVERIFY(message([&] { explain_forward(net, p, ws, 8, {0}); }).find("does not exist") != std::string::npos);
    // Gradients before any backward pass.
    QVERIFY(message([&] { explain_gradient(net, p, ws, 2, {0, 0, 0}); }).find("backward") != std::string::npos);
    sample_gradients(net, p, sample_of(a.input, 1), 0, ws);
    QVERIFY(message([&] { explain_weight_gradient(net, p, ws, 1, {0, 0, 0, 0}); }).find("no kernel") !=
            std::string::npos);
    QVERIFY(message([&] { explain_weight_gradient(net, p, ws, 0, {5, 0, 0, 0}); }).find("kernel") !=
            std::string::npos);
    QCOMPARE(message([&] { layer_index(net, "conv3"); }),
             std::string("the model has no layer 'conv3'; its layers are conv2d, max_pooling2d, conv2d_1, "
                         "max_pooling2d_1, flatten, dense, dense_1, dense_2"));
    QCOMPARE(layer_index(net, "dense_1"), std::size_t(6));
}

QTEST_APPLESS_MAIN(TestExplanation)
#include "tst_explanation.moc"
