// Keras files as Keras writes them: the fixtures in tests/data/keras were
// made with h5py by scripts/make_keras_fixtures.py, one per layout (Keras
// 2.3, tf.keras 2.10, Keras 3 .h5 and .keras, weights only, functional
// chains), with the probabilities a NumPy forward pass in float64 computed
// for four inputs (<fixture>.expected.npz). Nothing here is compared with
// ConvScope's own output.
#include "architecture_file.hpp"
#include "dataset.hpp"
#include "errors.hpp"
#include "keras_file.hpp"
#include "keras_reader_process.hpp"
#include "model_for_data.hpp"
#include "npy.hpp"
#include "pixel_reading.hpp"
#include "shipped_model.hpp"
#include "trainer.hpp"

#include <QTemporaryDir>
#include <QElapsedTimer>
#include <QTest>

#include <filesystem>
#include <fstream>

using namespace cs;

namespace {

const std::string keras_dir = CONVSCOPE_TEST_DATA "/keras/";

std::vector<char> file_bytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::vector<char>& bytes)
{
    std::ofstream(path, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
}

// The largest difference between the model's probabilities on the
// fixture's inputs and NumPy's.
double difference_from_numpy(const Sequential<float>& model, const std::string& fixture)
{
    const auto expected = read_npz(keras_dir + fixture + ".expected.npz");
    const Tensor<float> x = to_float_tensor(expected.at("X"));
    const Tensor<double> p = to_double_tensor(expected.at("P"));
    const Tensor<float> got = predict(model, x);
    if (!(got.shape() == p.shape())) return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) worst = std::max(worst, std::abs(double(got.data()[i]) - p.data()[i]));
    return worst;
}

#define EXPECT_REFUSED(expression, ...)                                                                       \
    do {                                                                                                      \
        try {                                                                                                 \
            expression;                                                                                       \
            QFAIL("accepted: " #expression);                                                                  \
        } catch (const FormatError& e) {                                                                      \
            for (const char* part : {__VA_ARGS__}) QVERIFY2(QString(e.what()).contains(part), e.what());      \
        }                                                                                                     \
    } while (false)

} // namespace

class TestKerasFile : public QObject {
    Q_OBJECT

private slots:
    void everyLayoutOpensAndAgreesWithNumPy_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("origin");
        QTest::addColumn<int>("layers");
        QTest::newRow("Keras 2.3: fixed-length strings, :0, split layer_names")
            << "keras23_lenet5.h5" << "Keras 2.3.1 (.h5)" << 8;
        QTest::newRow("tf.keras 2.10: InputLayer, variable-length strings")
            << "tfkeras210_sequential.h5" << "Keras 2.10.0 (.h5)" << -1;
        QTest::newRow("Keras 3 .h5: batch_shape, model-name prefix") << "keras3_sequential.h5" << "Keras 3" << -1;
        QTest::newRow("Keras 3 .keras: layers/<class>/vars, custom names")
            << "keras3_sequential.keras" << "(.keras)" << -1;
        QTest::newRow("tf.keras functional chain") << "tfkeras_functional.h5" << "(.h5)" << -1;
        QTest::newRow("Keras 3 functional chain (.keras)") << "keras3_functional.keras" << "(.keras)" << -1;
    }

    void everyLayoutOpensAndAgreesWithNumPy()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, origin);
        QFETCH(int, layers);
        const std::string path = keras_dir + fixture.toStdString();
        QVERIFY(is_keras_file(path));
        QVERIFY(!is_keras_weights_only(path));
        const ModelFile f = open_model(path);
        QVERIFY2(QString::fromStdString(f.origin).contains(origin), f.origin.c_str());
        if (layers >= 0) QCOMPARE(int(f.model->layer_count()), layers);
        const double d = difference_from_numpy(*f.model, fixture.toStdString());
        QVERIFY2(d < 1e-5, qPrintable(QString::number(d)));
        // The architecture alone, as `convscope-cli arch` reads it.
        QVERIFY(load_keras_architecture(path) == architecture_of(*f.model));
    }

    // model.save_weights('w.h5') with model.to_json(): the weights go into
    // the architecture; opened alone, the file says what it lacks.
    void weightsOnly()
    {
        const std::string weights = keras_dir + "tfkeras_weights.h5";
        QVERIFY(is_keras_weights_only(weights));
        const Architecture a = read_architecture_file(keras_dir + "tfkeras_weights.json");
        const ModelFile f = open_model(weights, a);
        QVERIFY(difference_from_numpy(*f.model, "tfkeras_weights.h5") < 1e-5);
        EXPECT_REFUSED(open_model(weights), "tfkeras_weights.h5", "weights only", "--arch");
        // Another network's weights: the layers are named, nothing is loaded.
        const Architecture lenet = load_keras_architecture(keras_dir + "keras23_lenet5.h5");
        EXPECT_REFUSED(open_model(weights, lenet), "tfkeras_weights.h5", "layers with weights");
    }

    void unsupportedModelsAreRefusedByName_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("message");
        QTest::newRow("BatchNormalization") << "refuse_batchnorm.h5" << "BatchNormalization, which ConvScope does not have";
        QTest::newRow("a branching graph") << "refuse_branching.h5" << "functional models whose layers form one chain";
        QTest::newRow("Conv2DTranspose") << "refuse_conv2dtranspose.keras" << "Conv2DTranspose";
    }

    void unsupportedModelsAreRefusedByName()
    {
        QFETCH(QString, fixture);
        QFETCH(QString, message);
        const std::string path = keras_dir + fixture.toStdString();
        const std::string name = fixture.toStdString(), expected = message.toStdString();
        EXPECT_REFUSED(open_model(path), name.c_str(), expected.c_str());
    }

    void tensorflowFormatsAreRefusedWithWhatToDo()
    {
        QTemporaryDir dir;
        const std::filesystem::path root(dir.path().toStdString());
        std::filesystem::create_directory(root / "saved");
        write_bytes((root / "saved" / "saved_model.pb").string(), {'x'});
        EXPECT_REFUSED(open_model((root / "saved").string()), "SavedModel", "model.save('model.h5')");
        write_bytes((root / "model.ckpt.index").string(), {'x'});
        EXPECT_REFUSED(open_model((root / "model.ckpt.index").string()), "TensorFlow checkpoint");
        write_bytes((root / "model.ckpt.data-00000-of-00001").string(), {'x'});
        EXPECT_REFUSED(open_model((root / "model.ckpt.data-00000-of-00001").string()), "TensorFlow checkpoint");
    }

    // Every fixture cut short, or with a run of its bytes overwritten, is a
    // FormatError naming the file, never a crash.
    void damagedFilesAreRefused_data()
    {
        QTest::addColumn<QString>("fixture");
        for (const char* f : {"keras23_lenet5.h5", "tfkeras210_sequential.h5", "keras3_sequential.h5",
                              "keras3_sequential.keras", "tfkeras_functional.h5"})
            QTest::newRow(f) << f;
    }

    void damagedFilesAreRefused()
    {
        QFETCH(QString, fixture);
        const std::vector<char> bytes = file_bytes(keras_dir + fixture.toStdString());
        QTemporaryDir dir;
        const std::string ext = std::filesystem::path(fixture.toStdString()).extension().string();
        for (const double cut : {0.02, 0.3, 0.7, 0.98}) {
            const std::string path = dir.filePath("cut").toStdString() + ext;
            write_bytes(path, std::vector<char>(bytes.begin(), bytes.begin() + std::ptrdiff_t(bytes.size() * cut)));
            EXPECT_REFUSED(open_model(path), path.c_str());
        }
        // Zeros over the end of the file (the weights' data, then the
        // structures HDF5 or the zip directory keep at the end).
        std::vector<char> zeroed = bytes;
        std::fill(zeroed.end() - std::ptrdiff_t(std::min<std::size_t>(zeroed.size() / 4, 4096)), zeroed.end(), 0);
        const std::string path = dir.filePath("zeroed").toStdString() + ext;
        write_bytes(path, zeroed);
        try {
            const ModelFile f = open_model(path); // zeros can be weights: then the model opens
            QVERIFY(f.model->parameters().is_finite());
        } catch (const FormatError& e) {
            QVERIFY2(QString(e.what()).startsWith(QString::fromStdString(path)), e.what());
        }
    }

    // A file that crashes libhdf5 (found by tests/fuzz/fuzz_keras: a SEGV in
    // H5HG_read): the reader's process dies, ConvScope says the file is damaged.
    void aFileThatCrashesLibhdf5IsOnlyADamagedFile()
    {
        const std::string path = keras_dir + "damaged-crashes-libhdf5.h5";
        EXPECT_REFUSED(open_model(path), "damaged-crashes-libhdf5.h5", "the file is damaged", "libhdf5 crashed");
        EXPECT_REFUSED(load_architecture(path, {28, 28, 1}, 10), "libhdf5 crashed");
    }

    // A file on which libhdf5 loops for ever (found by
    // tests/fuzz/fuzz_keras_child: H5HG_read on a corrupt global heap): the
    // reader is stopped after 10 s (34 kB: the least time there is), and
    // ConvScope says so.
    void aFileThatHangsLibhdf5IsStopped()
    {
        const std::string path = keras_dir + "damaged-hangs-libhdf5.h5";
        QElapsedTimer clock;
        clock.start();
        EXPECT_REFUSED(open_model(path), "damaged-hangs-libhdf5.h5", "took more than 10 seconds", "stopped");
        QVERIFY(clock.elapsed() < 60000);
        QCOMPARE(keras_reader_timeout_seconds(34 * 1024), 10);
        QCOMPARE(keras_reader_timeout_seconds(100u << 20), 110);
        QCOMPARE(keras_reader_timeout_seconds(std::uintmax_t(-1)), 300);
    }

    void snakeCaseAsKerasNamesItsSavingPaths()
    {
        QCOMPARE(keras_snake_case("Conv2D"), std::string("conv2d"));
        QCOMPARE(keras_snake_case("MaxPooling2D"), std::string("max_pooling2d"));
        QCOMPARE(keras_snake_case("AveragePooling2D"), std::string("average_pooling2d"));
        QCOMPARE(keras_snake_case("ZeroPadding2D"), std::string("zero_padding2d"));
        QCOMPARE(keras_snake_case("ReLU"), std::string("re_lu"));
        QCOMPARE(keras_snake_case("InputLayer"), std::string("input_layer"));
        QCOMPARE(keras_snake_case("BatchNormalization"), std::string("batch_normalization"));
        // Python's re.sub on the regular expressions, worked out by hand:
        QCOMPARE(keras_snake_case("Conv2DTranspose"), std::string("conv2d_transpose"));
        QCOMPARE(keras_snake_case("PReLU"), std::string("p_re_lu"));
        QCOMPARE(keras_snake_case("LSTMCell"), std::string("lstm_cell"));
        QCOMPARE(keras_snake_case("ABcDef"), std::string("a_bc_def"));
        QCOMPARE(keras_snake_case("My.Layer-2"), std::string("my_layer2"));
    }

    // keras23_lenet5.h5 is the shipped model with its first kernel divided
    // by 255: it reads 0..255 as the shipped model reads 0..1.
    void pixelsAreFoundOutOnLabelledImages()
    {
        const Dataset digits = load_digits();
        ModelFile f = open_model(keras_dir + "keras23_lenet5.h5");
        const auto report = fit_pixels_to_data(f, digits, PixelRange::automatic);
        QVERIFY(report);
        QCOMPARE(report->reading, (PixelReading{255, 0}));
        QVERIFY2(QString::fromStdString(report->summary).startsWith("pixels 0..255: "), report->summary.c_str());
        QVERIFY2(QString::fromStdString(report->summary).contains("on 500 test images; 0..1: "), report->summary.c_str());
        QCOMPARE(f.model->layer(0).name(), std::string(pixel_scale_layer_name));
        // As good as the shipped model on the same images.
        const ModelFile shipped = load_shipped_model();
        const Evaluation ours = evaluate(*f.model, digits.test_images, digits.test_labels);
        const Evaluation theirs = evaluate(*shipped.model, digits.test_images, digits.test_labels);
        QCOMPARE(ours.predictions, theirs.predictions);
        // Asked for 0..1, it reads 0..1 (and reads badly).
        const auto asked = fit_pixels_to_data(f, digits, PixelRange::unit);
        QCOMPARE(asked->reading, (PixelReading{1, 0}));
        QCOMPARE(f.model->layer_count(), std::size_t(8));
        QVERIFY(evaluate(*f.model, digits.test_images, digits.test_labels).accuracy < 0.5);
    }

    // The classic LeNet-5 reads digits padded to 32x32: the shipped model's
    // first convolution, 'same' on 28x28, is the same as 'valid' on 28x28
    // padded by 2, so a 32x32 'valid' copy of it must be padded and read as well.
    void digitsArePaddedForA32x32Model()
    {
        const Dataset digits = load_digits();
        const ModelFile shipped = load_shipped_model();
        Architecture a = architecture_of(*shipped.model);
        a.input = {32, 32, 1};
        a.layers[0].spec.padding = Padding::valid;
        ModelFile f;
        f.model = plan_model(a, "lenet5-32x32");
        f.model->allocate();
        f.model->set_parameters(shipped.model->parameters());
        f.origin = "Keras (test)";
        const auto report = fit_pixels_to_data(f, digits, PixelRange::automatic);
        QVERIFY(report);
        QCOMPARE(report->reading, (PixelReading{1, 2}));
        QVERIFY2(QString::fromStdString(report->summary).startsWith("pixels 0..1, padded to 32x32: "),
                 report->summary.c_str());
        QCOMPARE(f.model->input_shape(), Shape({28, 28, 1}));
        const Evaluation ours = evaluate(*f.model, digits.test_images, digits.test_labels);
        const Evaluation theirs = evaluate(*shipped.model, digits.test_images, digits.test_labels);
        QCOMPARE(ours.predictions, theirs.predictions);
    }

    void readingLayersAreReplacedNotStacked()
    {
        const Architecture bare = load_keras_architecture(keras_dir + "keras23_lenet5.h5");
        const Architecture once = with_pixel_reading(bare, {255, 0});
        const Architecture twice = with_pixel_reading(once, {255, 0});
        QVERIFY(once == twice);
        QVERIFY(without_pixel_reading(twice) == bare);
        QCOMPARE(pixel_reading_of(once), (PixelReading{255, 0}));
        QCOMPARE(parse_pixel_range("0-255"), PixelRange::byte);
        QVERIFY_THROWS_EXCEPTION(SettingError, parse_pixel_range("0-65535"));
    }
};

QTEST_GUILESS_MAIN(TestKerasFile)
#include "tst_keras_file.moc"
