// Model files and Keras-named weight files: round trips, resuming exactly,
// and a clear error for every kind of bad file.
#include "lenet5.hpp"
#include "model_file.hpp"
#include "shipped_model.hpp"
#include "npy.hpp"
#include "test_util.hpp"
#include "trainer.hpp"

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
        const std::int64_t v2 = 2;
        for (auto& [name, a] : out)
            if (name == "format_version") a = to_npy(std::span<const std::int64_t>(&v2, 1));
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
        // A save that fails when most of the new file is written (the disk
        // fills 1 kB short of its end) leaves the old file whole and no
        // temporary behind; a normal save leaves no temporary either.
        const auto old_model = lenet5<float>({28, 28, 1}, 1), new_model = lenet5<float>({28, 28, 1}, 2);
        const std::string p = path("atomic.npz");
        save_model(p, *old_model);
        QVERIFY(!QFile::exists(dir.filePath("atomic.npz.tmp")));
        const auto size = QFileInfo(QString::fromStdString(p)).size();
        {
            const test::FileSizeLimit limit(rlim_t(size - 1024));
            QVERIFY_THROWS_EXCEPTION(FormatError, save_model(p, *new_model));
        }
        QVERIFY(!QFile::exists(dir.filePath("atomic.npz.tmp")));
        QVERIFY(arma::all(load_model(p).model->parameters() == old_model->parameters()));
        save_model(p, *new_model);
        QVERIFY(arma::all(load_model(p).model->parameters() == new_model->parameters()));
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
