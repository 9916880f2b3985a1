// ConvScope against an independent framework: numbers PyTorch computed, in
// float64, with its own layout and conventions (scripts/make_torch_references.py
// made tests/data/torch_references.npz). Nothing here is computed twice
// by our own code and compared with itself.
#include "architecture.hpp"
#include "conv.hpp"
#include "dataset.hpp"
#include "lenet5.hpp"
#include "loss.hpp"
#include "npy.hpp"
#include "optimizer.hpp"
#include "pool.hpp"
#include "test_util.hpp"
#include "trainer.hpp"

#include <QTest>

#include <map>

using namespace cs;

namespace {

const std::map<std::string, NpyArray>& references()
{
    static const auto arrays = read_npz(CONVSCOPE_TEST_DATA "/torch_references.npz");
    return arrays;
}

const NpyArray& ref(const std::string& name)
{
    const auto it = references().find(name);
    if (it == references().end()) throw std::runtime_error("torch_references.npz has no " + name);
    return it->second;
}

Tensor<double> tensor(const std::string& name) { return to_double_tensor(ref(name)); }

std::int64_t integer(const std::string& name, std::size_t i = 0) { return ref(name).values<std::int64_t>()[i]; }

std::vector<std::string> cases(const std::string& prefix)
{
    std::vector<std::string> out;
    for (const auto& [key, array] : references())
        if (key.rfind(prefix, 0) == 0 && key.size() > 2 && key.compare(key.size() - 2, 2, "/A") == 0)
            out.push_back(key.substr(prefix.size(), key.size() - prefix.size() - 2));
    return out;
}

double max_abs_diff(const Tensor<double>& a, const Tensor<double>& b)
{
    if (!(a.shape() == b.shape())) return INFINITY;
    return arma::abs(a.flat() - b.flat()).max();
}

} // namespace

class TestReferences : public QObject {
    Q_OBJECT

private slots:
    void convolution_data()
    {
        QTest::addColumn<QString>("name");
        for (const std::string& c : cases("conv/")) QTest::newRow(c.c_str()) << QString::fromStdString(c);
    }

    void convolution()
    {
        QFETCH(QString, name);
        const std::string p = "conv/" + name.toStdString() + "/";
        const Tensor<double> A = tensor(p + "A"), W = tensor(p + "W"), b = tensor(p + "b");
        const Stride stride{std::size_t(integer(p + "stride", 0)), std::size_t(integer(p + "stride", 1))};
        const Padding padding = integer(p + "same") ? Padding::same : Padding::valid;

        const Tensor<double> Z = conv_forward(A, W, b, Activation::linear, padding, stride);
        QVERIFY2(max_abs_diff(Z, tensor(p + "Z")) < 1e-12, Z.shape().str().c_str());

        const ConvGrads<double> g = conv_backward(tensor(p + "dZ"), A, W, b, padding, stride);
        QVERIFY(max_abs_diff(g.dA_prev, tensor(p + "dA")) < 1e-12);
        QVERIFY(max_abs_diff(g.dW, tensor(p + "dW")) < 1e-12);
        QVERIFY(max_abs_diff(g.db, tensor(p + "db")) < 1e-12);
    }

    void pooling_data()
    {
        QTest::addColumn<QString>("name");
        for (const std::string& c : cases("pool/")) QTest::newRow(c.c_str()) << QString::fromStdString(c);
    }

    void pooling()
    {
        QFETCH(QString, name);
        const std::string p = "pool/" + name.toStdString() + "/";
        const Tensor<double> A = tensor(p + "A");
        const KernelShape kernel{std::size_t(integer(p + "kernel", 0)), std::size_t(integer(p + "kernel", 1))};
        const Stride stride{std::size_t(integer(p + "stride", 0)), std::size_t(integer(p + "stride", 1))};
        const PoolMode mode = integer(p + "max") ? PoolMode::max : PoolMode::avg;

        QVERIFY(max_abs_diff(pool_forward(A, kernel, stride, mode), tensor(p + "out")) < 1e-12);
        QVERIFY(max_abs_diff(pool_backward(tensor(p + "dOut"), A, kernel, stride, mode), tensor(p + "dA")) < 1e-12);
    }

    void lenetTwentyAdamSteps()
    {
        // LeNet-5 in double from PyTorch's initial weights, 20 steps of Adam on
        // the same batches (the built-in digits in file order): every step's
        // loss, and the weights at the end, as PyTorch had them.
        const std::size_t batch = std::size_t(integer("lenet/batch"));
        const Tensor<double> expected_losses = tensor("lenet/losses");
        const std::size_t steps = expected_losses.size();

        auto model = lenet5<double>({28, 28, 1});
        for (std::size_t i = 0; i < model->layer_count(); ++i)
            for (auto& [what, t] : model->layer_parameters(i)) {
                const Tensor<double> v = tensor("lenet/initial/" + model->layer(i).name() + "/" + what);
                QVERIFY2(v.shape() == t.shape(), (model->layer(i).name() + "/" + what).c_str());
                t.flat() = v.flat();
            }

        const Dataset digits = load_digits();
        Tensor<double> x({steps * batch, 28, 28, 1});
        // The bytes again (float32 pixels are byte / 255 rounded), divided in double as PyTorch did.
        for (std::size_t i = 0; i < x.size(); ++i)
            x.data()[i] = std::round(double(digits.train_images.data()[i]) * 255.0) / 255.0;
        const std::vector<std::uint8_t> y(digits.train_labels.begin(), digits.train_labels.begin() + long(steps * batch));

        Adam<double> adam(0.001);
        Trainer<double> trainer(*model, adam, x, y, {batch, 0, /*shuffle*/ false});
        for (std::size_t s = 0; s < steps; ++s) {
            const double loss = trainer.step().loss;
            QVERIFY2(std::abs(loss - expected_losses.data()[s]) < 1e-9,
                     qPrintable(QStringLiteral("step %1: loss %2, PyTorch %3")
                                    .arg(s + 1)
                                    .arg(loss, 0, 'g', 12)
                                    .arg(expected_losses.data()[s], 0, 'g', 12)));
        }
        for (std::size_t i = 0; i < model->layer_count(); ++i)
            for (auto& [what, t] : model->layer_parameters(i)) {
                const std::string name = model->layer(i).name() + "/" + what;
                const double diff = max_abs_diff(Tensor<double>(t.shape(), arma::vec(t.flat())), tensor("lenet/final/" + name));
                QVERIFY2(diff < 1e-9, qPrintable(QStringLiteral("%1 differs by %2").arg(QString::fromStdString(name)).arg(diff)));
            }
    }

    void networkThatIsNotLeNet()
    {
        // The network of make_torch_references.py's net/ case, spelled out
        // here again: every layer kind but Dropout (whose masks PyTorch
        // draws its own way), with PyTorch's weights by Keras name.
        using namespace layers;
        Architecture a{{11, 10, 3},
                       {{"scale", rescaling(0.5, 0.1)},
                        {"pad", zero_padding2d({1, 2, 0, 1})},
                        {"conv_a", conv2d(4, {4, 4}, {2, 2}, Padding::same, Activation::tanh, false)},
                        {"pool", average_pooling2d({3, 3}, {1, 1})},
                        {"squash", activation(Activation::tanh)},
                        {"conv_b", conv2d(3, {2, 2})},
                        {"rectify", relu()},
                        {"flat", flatten()},
                        {"fc", dense(6, Activation::tanh)},
                        {"logits", dense(5, Activation::softmax)}}};
        auto model = make_model<double>(a, 0);
        for (std::size_t i = 0; i < model->layer_count(); ++i)
            for (auto& [what, t] : model->layer_parameters(i)) {
                const Tensor<double> v = tensor("net/weights/" + model->layer(i).name() + "/" + what);
                QVERIFY2(v.shape() == t.shape(), (model->layer(i).name() + "/" + what).c_str());
                t.flat() = v.flat();
            }
        const Tensor<double> x = tensor("net/input");
        const auto y64 = ref("net/labels").values<std::int64_t>();
        const std::vector<std::uint8_t> y(y64.begin(), y64.end());
        Workspace<double> ws;
        Tensor<double> probs, d_logits;
        const Tensor<double>& logits = model->forward(x, ws);
        QVERIFY(max_abs_diff(Tensor<double>(logits.shape(), arma::vec(logits.flat())), tensor("net/logits")) < 1e-12);
        const double loss = softmax_cross_entropy(logits, y.data(), probs, d_logits).loss;
        QVERIFY(std::abs(loss - tensor("net/loss").data()[0]) < 1e-12);
        model->backward(d_logits, ws, /*input_gradient*/ true);
        for (const ParameterShape& p : model->parameter_shapes()) {
            const Tensor<double> g(p.shape, arma::vec(ws.gradients().memptr() + p.offset, p.shape.elements()));
            const double diff = max_abs_diff(g, tensor("net/gradients/" + p.name));
            QVERIFY2(diff < 1e-12, qPrintable(QStringLiteral("%1 differs by %2").arg(QString::fromStdString(p.name)).arg(diff)));
        }
        QVERIFY(max_abs_diff(Tensor<double>(ws.input_gradient().shape(), arma::vec(ws.input_gradient().flat())),
                             tensor("net/input_gradient")) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestReferences)
#include "tst_references.moc"
