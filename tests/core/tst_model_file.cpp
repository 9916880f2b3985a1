// Model files and Keras-named weight files: round trips, resuming exactly,
// and a clear error for every kind of bad file.
#include "atomic_file.hpp"
#include "idx.hpp"
#include "lenet5.hpp"
#include "model_file.hpp"
#include "shipped_model.hpp"
#include "npy.hpp"
#include "test_util.hpp"
#include "trainer.hpp"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace cs;

namespace {

struct Task {
    Tensor<float> x = test::random_tensor<float>({64, 28, 28, 1}, 3, 0, 1);
    std::vector<std::uint8_t> y = [] {
        std::vector<std::uint8_t> v(64);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::uint8_t((i * 3) % 10);
        return v;
    }();
};

std::string file_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string member_text(const NpyArray& a)
{
    return std::string(reinterpret_cast<const char*>(a.data.data()), a.data.size());
}

// A model file whose architecture member is `json` (format 2) and whose
// weights are those of a flatten + dense 2 model for 4x4x1 inputs.
std::vector<std::pair<std::string, NpyArray>> json_model(const std::string& json)
{
    const std::int64_t version = model_format_version;
    return {{"format_version", to_npy(std::span<const std::int64_t>(&version, 1))},
            {"architecture", to_npy(Shape{json.size()}, std::span(reinterpret_cast<const std::uint8_t*>(json.data()),
                                                                   json.size()))},
            {"dense/kernel", to_npy(Tensor<float>(Shape{16, 2}))},
            {"dense/bias", to_npy(Tensor<float>(Shape{2}))}};
}

// Keras' to_json() of a Sequential model: an InputLayer, then `layers`.
std::string keras_json(const std::string& input, const std::string& layers)
{
    return R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [)"
           R"({"class_name": "InputLayer", "config": {"batch_input_shape": )" +
           input + R"(, "dtype": "float32", "name": "input_1"}}, )" + layers + "]}}";
}

const std::string flatten_json = R"({"class_name": "Flatten", "config": {"name": "flatten"}})";
std::string dense_json(const std::string& fields)
{
    return R"({"class_name": "Dense", "config": {)" + fields + "}}";
}

std::string expect_format_error(const std::function<void()>& f)
{
    try {
        f();
    } catch (const FormatError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string path(const char* name) { return dir.filePath(name).toStdString(); }

private slots:
    void roundTripResumesExactly()
    {
        // Train 5 steps, save, then both the original and the reloaded copy
        // take 5 more steps: the losses and weights must agree bit for bit.
        Task t;
        auto model = lenet5<float>({28, 28, 1}, 11);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, t.x, t.y, {16, 11, true});
        TrainingHistory history;
        for (int i = 0; i < 5; ++i) {
            const auto r = trainer.step();
            history.loss.push_back(float(r.loss));
            history.accuracy.push_back(float(r.accuracy));
        }
        history.evaluations.push_back({5, 1, 2.2, 0.1, 2.3, 0.12});
        TrainingState state;
        capture_optimizer(adam, state);
        state.batch_size = 16;
        state.seed = 11;
        state.steps = trainer.step_count();
        state.epoch = trainer.epoch();
        state.position = trainer.position();
        state.dataset = "synthetic";
        save_model(path("m.npz"), *model, state, history);

        ModelFile f = load_model(path("m.npz"));
        QCOMPARE(f.model->architecture(), model->architecture());
        QVERIFY(arma::all(f.model->parameters() == model->parameters()));
        QCOMPARE(f.history.loss, history.loss);
        QCOMPARE(f.history.evaluations.size(), std::size_t(1));
        QCOMPARE(f.history.evaluations[0].test_accuracy, 0.12);
        QCOMPARE(f.state.dataset, std::string("synthetic"));
        QCOMPARE(f.state.steps, std::uint64_t(5));

        auto opt2 = restore_optimizer(f.state, f.model->parameter_count());
        Trainer<float> resumed(*f.model, *opt2, t.x, t.y, {f.state.batch_size, f.state.seed, f.state.shuffle});
        resumed.set_progress(f.state.steps, f.state.epoch, f.state.position);
        for (int i = 0; i < 5; ++i) QCOMPARE(resumed.step().loss, trainer.step().loss);
        QVERIFY(arma::all(f.model->parameters() == model->parameters()));
    }

    void kerasWeightsRoundTrip()
    {
        auto a = lenet5<float>({28, 28, 1}, 1), b = lenet5<float>({28, 28, 1}, 2);
        export_weights_npz(path("w.npz"), *a);
        const auto arrays = read_npz(path("w.npz"));
        // Keras' default names and shapes.
        QCOMPARE(arrays.at("conv2d/kernel").shape, (Shape{5, 5, 1, 6}));
        QCOMPARE(arrays.at("conv2d/bias").shape, (Shape{6}));
        QCOMPARE(arrays.at("conv2d_1/kernel").shape, (Shape{5, 5, 6, 16}));
        QCOMPARE(arrays.at("dense/kernel").shape, (Shape{400, 120}));
        QCOMPARE(arrays.at("dense_1/kernel").shape, (Shape{120, 84}));
        QCOMPARE(arrays.at("dense_2/kernel").shape, (Shape{84, 10}));
        QCOMPARE(arrays.size(), std::size_t(10));
        import_weights_npz(path("w.npz"), *b);
        QVERIFY(arma::all(a->parameters() == b->parameters()));
    }

    void importOfWrongShapeKeepsTheModel()
    {
        auto colour = lenet5<float>({32, 32, 3}, 1), digits = lenet5<float>({28, 28, 1}, 2);
        export_weights_npz(path("colour.npz"), *colour);
        const arma::fvec before = digits->parameters();
        const std::string msg = expect_format_error([&] { import_weights_npz(path("colour.npz"), *digits); });
        QVERIFY2(QString::fromStdString(msg).contains("conv2d/kernel"), msg.c_str());
        QVERIFY(arma::all(digits->parameters() == before));
    }

    void newerVersionIsRefused()
    {
        auto m = lenet5<float>({28, 28, 1});
        save_model(path("new.npz"), *m);
        auto arrays = read_npz(path("new.npz"));
        std::vector<std::pair<std::string, NpyArray>> out(arrays.begin(), arrays.end());
        const std::int64_t next = model_format_version + 1;
        for (auto& [name, a] : out)
            if (name == "format_version") a = to_npy(std::span<const std::int64_t>(&next, 1));
        write_npz(path("new.npz"), out);
        const std::string msg = expect_format_error([&] { load_model(path("new.npz")); });
        QVERIFY2(QString::fromStdString(msg).contains("newer"), msg.c_str());
    }

    void badFiles_data()
    {
        QTest::addColumn<int>("which");
        QTest::newRow("not a zip") << 0;
        QTest::newRow("truncated") << 1;
        QTest::newRow("a dataset, not a model") << 2;
        QTest::newRow("missing file") << 3;
    }

    void badFiles()
    {
        QFETCH(int, which);
        auto m = lenet5<float>({28, 28, 1});
        save_model(path("good.npz"), *m);
        const std::string p = path("bad.npz");
        if (which == 0) std::ofstream(p) << "this is not a model";
        if (which == 1) {
            std::ifstream in(path("good.npz"), std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(p, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        }
        if (which == 2) {
            Tensor<float> x(Shape{2, 28, 28});
            write_npz(p, {{"X_train", to_npy(x)}});
        }
        const std::string msg = expect_format_error([&] { load_model(which == 3 ? path("nothing.npz") : p); });
        QVERIFY2(!msg.empty(), "no FormatError");
        QVERIFY2(QString::fromStdString(msg).contains(which == 3 ? "nothing.npz" : "bad.npz"), msg.c_str());
    }

    void saveIsAtomic()
    {
        // The save fails at its last moment: the new file is complete in its
        // temporary (it loads as the new model), and only the rename is left.
        // The old file survives byte for byte, and no temporary is left.
        const auto old_model = lenet5<float>({28, 28, 1}, 1), new_model = lenet5<float>({28, 28, 1}, 2);
        QTemporaryDir folder;
        const std::string p = folder.filePath("atomic.npz").toStdString();
        save_model(p, *old_model);
        const std::string old_bytes = file_bytes(p);
        std::filesystem::path temporary;
        {
            const InjectFaultBeforeRename fault([&](const std::filesystem::path& t) {
                temporary = t;
                QVERIFY(arma::all(load_model(t.string()).model->parameters() == new_model->parameters()));
                throw WriteError(t.string() + ": the rename failed (injected)");
            });
            QVERIFY_THROWS_EXCEPTION(WriteError, save_model(p, *new_model));
        }
        QCOMPARE(temporary.parent_path(), std::filesystem::path(p).parent_path());
        QVERIFY(file_bytes(p) == old_bytes);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{"atomic.npz"});

        save_model(p, *new_model);
        QVERIFY(arma::all(load_model(p).model->parameters() == new_model->parameters()));
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{"atomic.npz"});
    }

    void everyWriterIsAtomic()
    {
        // .npy, .npz and IDX files go through the same writer: a failure
        // before the rename leaves the old file and no temporary.
        QTemporaryDir folder;
        const std::string npy = folder.filePath("a.npy").toStdString(), npz = folder.filePath("a.npz").toStdString(),
                          idx = folder.filePath("a-idx1-ubyte.gz").toStdString();
        const Tensor<float> t = test::random_tensor<float>({3, 2}, 1);
        const std::vector<std::uint8_t> labels{1, 2, 3};
        write_npy(npy, t);
        write_npz(npz, {{"t", to_npy(t)}});
        write_idx_gz(idx, Shape{3}, labels);
        const std::string before[] = {file_bytes(npy), file_bytes(npz), file_bytes(idx)};
        {
            const InjectFaultBeforeRename fault([](const std::filesystem::path& t) {
                throw WriteError(t.string() + ": injected");
            });
            const Tensor<float> other = test::random_tensor<float>({3, 2}, 2);
            QVERIFY_THROWS_EXCEPTION(WriteError, write_npy(npy, other));
            QVERIFY_THROWS_EXCEPTION(WriteError, write_npz(npz, {{"t", to_npy(other)}}));
            QVERIFY_THROWS_EXCEPTION(WriteError, write_idx_gz(idx, Shape{3}, std::vector<std::uint8_t>{4, 5, 6}));
        }
        QVERIFY(file_bytes(npy) == before[0]);
        QVERIFY(file_bytes(npz) == before[1]);
        QVERIFY(file_bytes(idx) == before[2]);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files).size(), 3);
    }

    void unwritablePathIsAWriteError()
    {
        // The message names the path and the system's reason.
        const std::string p = path("no-such-folder/m.npz");
        try {
            save_model(p, *lenet5<float>({28, 28, 1}));
            QFAIL("no WriteError");
        } catch (const WriteError& e) {
            const QString msg = QString::fromStdString(e.what());
            QVERIFY2(msg.contains(QString::fromStdString(p)) && msg.contains("No such file or directory"),
                     qPrintable(msg));
        }
    }

    void architectureIsKerasJson()
    {
        // Format 2 holds the architecture as Keras' model.to_json() text, the
        // input shape in its InputLayer; json.loads(bytes(z['architecture']))
        // reads it in Python.
        auto m = make_model<float>({8, 6, 2},
                                   {{"conv2d", 3, {3, 2}, {2, 1}, Padding::same, Activation::tanh},
                                    {"average_pooling2d", 0, {2, 2}, {1, 1}, Padding::valid, Activation::linear},
                                    {"flatten"},
                                    {"dense", 4, {0, 0}, {1, 1}, Padding::valid, Activation::sigmoid}},
                                   1);
        save_model(path("json.npz"), *m);
        const auto arrays = read_npz(path("json.npz"));
        QCOMPARE(arrays.at("format_version").values<std::int64_t>()[0], std::int64_t(2));
        QVERIFY(!arrays.count("input_shape"));
        QCOMPARE(arrays.at("architecture").dtype, std::string("u1"));
        QCOMPARE(member_text(arrays.at("architecture")),
                 std::string(R"({"class_name":"Sequential","config":{"name":"sequential","layers":[)"
                             R"({"class_name":"InputLayer","config":{"name":"input","batch_input_shape":[null,8,6,2],"dtype":"float32"}},)"
                             R"({"class_name":"Conv2D","config":{"name":"conv2d","filters":3,"kernel_size":[3,2],"strides":[2,1],"padding":"same","activation":"tanh","use_bias":true}},)"
                             R"({"class_name":"AveragePooling2D","config":{"name":"average_pooling2d","pool_size":[2,2],"strides":[1,1],"padding":"valid"}},)"
                             R"({"class_name":"Flatten","config":{"name":"flatten"}},)"
                             R"({"class_name":"Dense","config":{"name":"dense","units":4,"activation":"sigmoid","use_bias":true}}]}})"));
        const ModelFile f = load_model(path("json.npz"));
        QCOMPARE(f.model->architecture(), m->architecture());
        QCOMPARE(f.model->input_shape(), m->input_shape());
    }

    void kerasJsonOpens()
    {
        // As Keras writes it: spaces, keys in its order, settings ConvScope
        // has no use for (ignored), Keras 3's batch_shape, a layer's own name.
        const std::string json = keras_json(
            "[null, 4, 4, 1]",
            flatten_json + ", " +
                dense_json(R"("name": "logits", "trainable": true, "dtype": "float32", "units": 2, )"
                           R"("activation": "linear", "use_bias": true, "kernel_initializer": )"
                           R"({"class_name": "HeNormal", "config": {"seed": null}})"));
        auto members = json_model(json);
        members[2].first = "logits/kernel";
        members[3].first = "logits/bias";
        members[3].second = to_npy(test::tensor<float>({2}, {0.5, -0.5}));
        write_npz(path("keras.npz"), members);
        const ModelFile f = load_model(path("keras.npz"));
        QCOMPARE(f.model->layer(1).name(), std::string("logits"));
        QCOMPARE(f.model->parameters()[32], 0.5f);
        // The name is kept: saved again, the weights keep their names.
        save_model(path("keras-again.npz"), *f.model);
        QVERIFY(read_npz(path("keras-again.npz")).count("logits/bias"));
        QCOMPARE(load_model(path("keras-again.npz")).model->layer(1).name(), std::string("logits"));
    }

    void badArchitectures_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("expected");
        const auto dense = [](const char* fields) { return QString::fromStdString(dense_json(fields)); };
        const QString flatten = QString::fromStdString(flatten_json) + ", ";
        const auto model = [](const QString& layers, const char* input = "[null, 4, 4, 1]") {
            return QString::fromStdString(keras_json(input, layers.toStdString()));
        };
        QTest::newRow("not JSON") << "{\"class_name\": " << "not valid JSON";
        QTest::newRow("not a Sequential") << R"({"class_name": "Graph", "config": {}})" << "Sequential";
        QTest::newRow("a functional model without layers") << R"({"class_name": "Functional", "config": {}})" << "functional model has no";
        QTest::newRow("no layers") << R"({"class_name": "Sequential", "config": {"name": "s"}})" << "layers";
        QTest::newRow("no InputLayer") << R"({"class_name": "Sequential", "config": {"layers": [)" + flatten.chopped(2) + "]}}"
                                       << "must start with an InputLayer";
        QTest::newRow("input of rank 2") << model(flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"), "[null, 16, 1]")
                                         << "[null, h, w, c]";
        QTest::newRow("input side 0") << model(flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"), "[null, 0, 4, 1]")
                                      << "[null,0,4,1]";
        QTest::newRow("unknown class_name") << model(flatten + R"({"class_name": "LSTM", "config": {"name": "lstm"}})")
                                            << "layer 2 is a LSTM, which ConvScope does not have";
        QTest::newRow("no config") << model(flatten + R"({"class_name": "Dense"})") << "layer 2 (Dense) has no \"config\"";
        QTest::newRow("missing units") << model(flatten + dense(R"("name": "dense", "activation": "linear")"))
                                       << "layer 2 (Dense 'dense'): no 'units'";
        QTest::newRow("units as text") << model(flatten + dense(R"("name": "dense", "units": "2", "activation": "linear")"))
                                       << "'units' must be a whole number from 1 to 1048576, not \"2\"";
        QTest::newRow("units 0") << model(flatten + dense(R"("name": "dense", "units": 0, "activation": "linear")"))
                                 << "'units' must be a whole number from 1 to 1048576, not 0";
        QTest::newRow("units negative") << model(flatten + dense(R"("name": "dense", "units": -2, "activation": "linear")"))
                                        << "not -2";
        QTest::newRow("units fractional") << model(flatten + dense(R"("name": "dense", "units": 2.5, "activation": "linear")"))
                                          << "not 2.5";
        QTest::newRow("unknown activation") << model(flatten + dense(R"("name": "dense", "units": 2, "activation": "gelu")"))
                                            << "'activation' must be \"linear\", \"relu\", \"tanh\", \"sigmoid\" or \"softmax\", not \"gelu\"";
        QTest::newRow("no name") << model(flatten + dense(R"("units": 2, "activation": "linear")")) << "layer 2 (Dense): no 'name'";
        QTest::newRow("name with a slash") << model(flatten + dense(R"("name": "a/b", "units": 2, "activation": "linear")"))
                                           << "'name' must be";
        QTest::newRow("two layers, one name") << model(R"({"class_name": "Flatten", "config": {"name": "dense"}}, )" +
                                                       dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                              << "named 'dense' like an earlier one";
        const QString conv = R"({"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 2, %1}}, )";
        QTest::newRow("kernel_size of 3") << model(conv.arg(R"("kernel_size": [3, 3, 3], "strides": [1, 1], "padding": "same", "activation": "relu")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                          << "layer 1 (Conv2D 'conv2d'): 'kernel_size' must be two whole numbers from 1 to 1024, not [3,3,3]";
        QTest::newRow("stride 0") << model(conv.arg(R"("kernel_size": [3, 3], "strides": [0, 1], "padding": "same", "activation": "relu")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                  << "'strides' must be two whole numbers from 1 to 1024, not [0,1]";
        QTest::newRow("kernel 1025") << model(conv.arg(R"("kernel_size": [1025, 1], "strides": [1, 1], "padding": "same", "activation": "relu")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                     << "not [1025,1]";
        QTest::newRow("padding causal") << model(conv.arg(R"("kernel_size": [3, 3], "strides": [1, 1], "padding": "causal", "activation": "relu")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                        << "'padding' must be \"same\" or \"valid\", not \"causal\"";
        QTest::newRow("pooling that pads") << model(R"({"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "strides": [2, 2], "padding": "same"}}, )" + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                           << "layer 1 (MaxPooling2D 'max_pooling2d'): 'padding' must be \"valid\"";
        QTest::newRow("layers that do not fit") << model(conv.arg(R"("kernel_size": [5, 5], "strides": [1, 1], "padding": "valid", "activation": "relu")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                                << "does not fit together";
        QTest::newRow("softmax before the last layer") << model(flatten + dense(R"("name": "dense", "units": 2, "activation": "softmax")") + "," + dense(R"("name": "dense_1", "units": 2, "activation": "linear")"))
                                            << "layer 2 'dense' (Dense 2 softmax, input 16): softmax is only for the last layer";
        QTest::newRow("dilated conv") << model(conv.arg(R"("kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "activation": "relu", "dilation_rate": [2, 2])") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                      << "'dilation_rate' is [2,2]";
        QTest::newRow("channels first") << model(conv.arg(R"("kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "activation": "relu", "data_format": "channels_first")") + flatten + dense(R"("name": "dense", "units": 2, "activation": "linear")"))
                                        << "'data_format' is \"channels_first\"";
        QTest::newRow("nested too deep") << model(flatten + dense(R"("name": "dense", "units": 2, "activation": "linear", "x": [[[[[[[[[[1]]]]]]]]]])"))
                                         << "nested more than 12 levels";
    }

    void badArchitectures()
    {
        // Each a FormatError that names the file and says what is wrong
        // (and where: the layer's index, class and name).
        QFETCH(QString, json);
        QFETCH(QString, expected);
        write_npz(path("arch.npz"), json_model(json.toStdString()));
        const QString msg = QString::fromStdString(expect_format_error([&] { load_model(path("arch.npz")); }));
        QVERIFY2(msg.startsWith(QString::fromStdString(path("arch.npz")) + ": "), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

    void formatOneStillOpens()
    {
        // tests/data/model-format-1.npz was written by the format-1 writer
        // (int-table architecture, input_shape member) before format 2: it
        // opens as it did, and saved again it is format 2 with the same model.
        const std::string p = CONVSCOPE_TEST_DATA "/model-format-1.npz";
        const auto raw = read_npz(p);
        QCOMPARE(raw.at("format_version").values<std::int64_t>()[0], std::int64_t(1));
        const ModelFile f = load_model(p);
        const std::vector<LayerSpec> expected{
            {"conv2d", 2, {3, 3}, {1, 1}, Padding::same, Activation::relu},
            {"max_pooling2d", 0, {2, 2}, {2, 2}, Padding::valid, Activation::linear},
            {"conv2d", 3, {2, 2}, {1, 1}, Padding::valid, Activation::tanh},
            {"average_pooling2d", 0, {2, 2}, {1, 1}, Padding::valid, Activation::linear},
            {"flatten", 0, {0, 0}, {1, 1}, Padding::valid, Activation::linear},
            {"dense", 4, {0, 0}, {1, 1}, Padding::valid, Activation::sigmoid},
            {"dense", 3, {0, 0}, {1, 1}, Padding::valid, Activation::linear},
        };
        QCOMPARE(f.model->architecture(), expected);
        QCOMPARE(f.model->input_shape(), (Shape{8, 8, 1}));
        QCOMPARE(f.model->parameter_count(), std::size_t(114));
        for (const ParameterShape& ps : f.model->parameter_shapes()) QVERIFY2(raw.count(ps.name), ps.name.c_str());
        std::size_t at = 0;
        for (const char* name : {"conv2d/kernel", "conv2d/bias", "conv2d_1/kernel", "conv2d_1/bias", "dense/kernel",
                                 "dense/bias", "dense_1/kernel", "dense_1/bias"}) {
            const auto values = raw.at(name).values<float>();
            for (float v : values) QCOMPARE(f.model->parameters()[at++], v);
        }
        QCOMPARE(f.state.optimizer, std::string("adam"));
        QCOMPARE(f.state.learning_rate, 0.01);
        QCOMPARE(f.state.batch_size, std::size_t(4));
        QCOMPARE(f.state.steps, std::uint64_t(4));
        QCOMPARE(f.state.dataset, std::string("synthetic 8x8"));
        QCOMPARE(f.state.optimizer_state.size(), std::size_t(2));
        QCOMPARE(f.history.loss.size(), std::size_t(4));
        QCOMPARE(f.history.evaluations.at(0).test_accuracy, 0.5);

        save_model(path("format2.npz"), *f.model, f.state, f.history);
        QCOMPARE(read_npz(path("format2.npz")).at("format_version").values<std::int64_t>()[0], std::int64_t(2));
        const ModelFile again = load_model(path("format2.npz"));
        QCOMPARE(again.model->architecture(), expected);
        QVERIFY(arma::all(again.model->parameters() == f.model->parameters()));
    }

    void modelFromMemory()
    {
        // A model file's bytes in memory read exactly as the file does; a
        // damaged image is a FormatError that carries the given name.
        Task t;
        auto m = lenet5<float>({28, 28, 1}, 5);
        save_model(path("mem.npz"), *m);
        std::ifstream in(path("mem.npz"), std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        const auto image = std::as_bytes(std::span(bytes.data(), bytes.size()));
        const ModelFile f = load_model_bytes(image, "in memory");
        QCOMPARE(f.model->architecture(), m->architecture());
        QVERIFY(arma::all(f.model->parameters() == m->parameters()));

        const std::string msg = expect_format_error([&] { load_model_bytes(image.first(image.size() / 2), "half"); });
        QVERIFY2(QString::fromStdString(msg).startsWith("half"), msg.c_str());
        const std::string empty = expect_format_error([&] { load_model_bytes({}, "nothing"); });
        QVERIFY2(QString::fromStdString(empty).startsWith("nothing"), empty.c_str());
    }

    void shippedModelIsCompiledIn()
    {
        // The compiled-in model is byte for byte the one in resources/, and
        // "shipped" names it wherever a model path is taken.
        const ModelFile shipped = load_shipped_model();
        const ModelFile on_disk = load_model(CONVSCOPE_SOURCE_RESOURCES "/models/lenet5-digits.npz");
        QCOMPARE(shipped.model->parameter_count(), std::size_t(61706));
        QVERIFY(arma::all(shipped.model->parameters() == on_disk.model->parameters()));
        QCOMPARE(open_model(shipped_model_name).model->architecture(), on_disk.model->architecture());
    }
};

QTEST_APPLESS_MAIN(TestModelFile)
#include "tst_model_file.moc"
