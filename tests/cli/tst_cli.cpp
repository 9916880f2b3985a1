// convscope-cli end to end: exit codes, one-line errors, the ops on .npy
// files against hand-computed numbers, reproducible training logs, predict.
// Also the command lines of bench and of the window (convscope): their help,
// and their mistakes refused with exit code 2 before any work or window.
#include "lenet5.hpp"
#include "model_file.hpp"
#include "npy.hpp"
#include "parameter_timeline.hpp"
#include "tensor.hpp"

#include "handmade_files.hpp"

#include <gif_lib.h>
#include <png.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace cs;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run run(const QString& program, const QStringList& args)
{
    QProcess p;
    // The window's mistakes must be refused before it opens: offscreen
    // lets the test see that without a display.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    p.setProcessEnvironment(env);
    p.start(program, args);
    if (!p.waitForFinished(120000)) p.kill();
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

Run cli(const QStringList& args) { return run(CONVSCOPE_CLI, args); }

// A mistake on the command line: exit code 2, one line naming what was wrong.
void expectUsageError(const Run& r, const QString& needle)
{
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(needle), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count('\n'), 0);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
}

// The programs whose command lines are tested: convscope-cli always, bench
// and convscope when they were built.
QString program(const QString& name)
{
    if (name == "convscope-cli") return CONVSCOPE_CLI;
#ifdef CONVSCOPE_BENCH
    if (name == "bench") return CONVSCOPE_BENCH;
#endif
#ifdef CONVSCOPE_WINDOW
    if (name == "convscope") return CONVSCOPE_WINDOW;
#endif
    return {};
}

Tensor<double> tensor(const Shape& shape, std::vector<double> values)
{
    return Tensor<double>(shape, arma::vec(values));
}

// A black-on-white drawing of `inked` as a PNG, written with libpng.
template <typename F>
void write_drawing(const std::string& path, int side, F inked)
{
    std::vector<png_byte> pixels(std::size_t(side * side), 255);
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            if (inked(y, x)) pixels[std::size_t(y * side + x)] = 0;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    image.width = png_uint_32(side);
    image.height = png_uint_32(side);
    image.format = PNG_FORMAT_GRAY;
    QVERIFY(png_image_write_to_file(&image, path.c_str(), 0, pixels.data(), 0, nullptr));
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QString path(const char* name) { return dir.filePath(name); }
    std::string spath(const char* name) { return path(name).toStdString(); }

private slots:
    void initTestCase()
    {
        // Qt says on stderr when it has no runtime folder of its own, which
        // would be a second line beside the window's one-line errors.
        QDir(dir.path()).mkdir("runtime");
        QFile::setPermissions(path("runtime"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv("XDG_RUNTIME_DIR", path("runtime").toUtf8());
    }

    void bareCommandsPrintTheirUsage()
    {
        const Run bare = cli({});
        QCOMPARE(bare.code, 2);
        QVERIFY2(bare.err.startsWith("usage: convscope-cli"), qPrintable(bare.err));
        QCOMPARE(cli({"--version"}).out.trimmed(), QString("convscope-cli ") + CONVSCOPE_VERSION);
    }

    // Every --help is generated from the options' declarations: each option
    // is there, with its default.
    void helpListsEveryOption_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        QTest::newRow("convscope-cli") << "convscope-cli" << QStringList{"--help"}
                                       << QStringList{"train", "eval", "predict", "export-weights", "ops", "arch", "explain", "timeline", "--version"};
        QTest::newRow("train") << "convscope-cli" << QStringList{"train", "--help"}
                               << QStringList{"--data D", "--epochs N", "--batch N", "--lr X", "--optimizer NAME",
                                              "--seed N", "--no-shuffle", "--init W", "--pixels P", "--save MODEL", "--log CSV",
                                              "--threads N", "--arch A", "[default: lenet5]", "lenet5-1998",
                                              "[default: digits]", "[default: 5]", "[default: 32]",
                                              "[default: adam]", "from 1 to 1048576"};
        QTest::newRow("eval") << "convscope-cli" << QStringList{"eval", "--help"}
                              << QStringList{"MODEL", "--data D", "--batch N", "[default: 500]"};
        QTest::newRow("predict") << "convscope-cli" << QStringList{"predict", "-h"}
                                 << QStringList{"[MODEL]", "--image FILE.png", "--show", "[default: shipped]"};
        QTest::newRow("export-weights") << "convscope-cli" << QStringList{"export-weights", "--help"}
                                        << QStringList{"MODEL", "OUT.npz"};
        QTest::newRow("ops") << "convscope-cli" << QStringList{"ops", "--help"}
                             << QStringList{"conv-forward", "pool-forward", "conv-backward", "pool-backward"};
        QTest::newRow("ops conv-forward")
            << "convscope-cli" << QStringList{"ops", "conv-forward", "--help"}
            << QStringList{"--A A.npy", "--W W.npy", "--b b.npy", "--padding", "--stride SH,SW", "--activation",
                           "--out OUT.npy", "[default: same]", "[default: 1,1]", "[default: linear]"};
        QTest::newRow("ops pool-forward")
            << "convscope-cli" << QStringList{"ops", "pool-forward", "--help"}
            << QStringList{"--A A.npy", "--kernel KH,KW", "--stride SH,SW", "--mode", "--out OUT.npy",
                           "[default: 2,2]", "[default: max]"};
        QTest::newRow("ops conv-backward")
            << "convscope-cli" << QStringList{"ops", "conv-backward", "--help"}
            << QStringList{"--dZ dZ.npy", "--A A.npy", "--W W.npy", "--b b.npy", "--padding", "--stride",
                           "--out-dA dA.npy", "--out-dW dW.npy", "--out-db db.npy"};
        QTest::newRow("ops pool-backward")
            << "convscope-cli" << QStringList{"ops", "pool-backward", "--help"}
            << QStringList{"--dA dA.npy", "--A A.npy", "--kernel", "--stride", "--mode", "--out OUT.npy"};
        QTest::newRow("bench") << "bench" << QStringList{"--help"}
                               << QStringList{"--batch N", "--threads N", "--epochs N", "--json", "--arch A",
                                              "--report-every S", "[default: 32, then 128]"};
        QTest::newRow("explain") << "convscope-cli" << QStringList{"explain", "--help"}
                                 << QStringList{"MODEL", "--data D", "--sample N", "--train", "--layer NAME",
                                                "--cell I,J,K", "--grad", "--weight INDEX", "--json", "--pixels P",
                                                "[default: digits]", "[default: 0]"};
        QTest::newRow("timeline") << "convscope-cli" << QStringList{"timeline", "--help"}
                                  << QStringList{"MODEL", "--view VIEW", "maps:LAYER", "--data D", "--sample N",
                                                 "--steps A:B", "--delay CS", "--out FILE.gif", "[default: 10]"};
        QTest::newRow("arch") << "convscope-cli" << QStringList{"arch", "--help"}
                              << QStringList{"model.summary()", "--data D", "--json"};
        QTest::newRow("convscope")
            << "convscope" << QStringList{"--help"}
            << QStringList{"--dataset SPEC", "--autorun-seconds N", "--screenshot PNG", "--inspect GRID:INDEX",
                           "--fresh-layout", "--pace N", "--reset", "--arch A", "--presentation", "--show-change WHAT",
                           "--size WxH", "--steps N", "--latency-report", "--report-every S", "--exercise",
                           "--version", "[default: digits]", "[default: 5, or 0 with --autorun-seconds]"};
    }

    void helpListsEveryOption()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        const QString path = ::program(program);
        if (path.isEmpty()) QSKIP("not built");
        const Run r = run(path, args);
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("usage: " + program), qPrintable(r.out));
        const QString unwrapped = r.out.simplified(); // a description may go on over lines
        for (const QString& m : mentions) QVERIFY2(unwrapped.contains(m), qPrintable(m + " missing from\n" + r.out));
    }

    // Mistakes on the command line: exit code 2 and one line that names the
    // option, before any work (or window).
    void badArgumentsAreUsageErrors_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        const QString c = "convscope-cli";
        QTest::newRow("lr 0") << c << QStringList{"train", "--lr", "0"} << "--lr: '0' is not a number above 0";
        QTest::newRow("lr nan") << c << QStringList{"train", "--lr", "nan"} << "--lr";
        QTest::newRow("lr 1e400") << c << QStringList{"train", "--lr", "1e400"} << "--lr";
        QTest::newRow("batch 0") << c << QStringList{"train", "--batch", "0"} << "--batch: '0' is not a whole number";
        QTest::newRow("timeline without save") << c << QStringList{"train", "--timeline"} << "--timeline requires --save";
        QTest::newRow("timeline budget 0") << c << QStringList{"train", "--timeline-budget", "0"} << "--timeline-budget";
        QTest::newRow("batch without value") << c << QStringList{"train", "--batch"} << "--batch needs a value";
        QTest::newRow("epochs abc") << c << QStringList{"train", "--epochs", "abc"} << "--epochs";
        QTest::newRow("epochs 2.5") << c << QStringList{"train", "--epochs", "2.5"} << "--epochs";
        QTest::newRow("seed -1") << c << QStringList{"train", "--seed", "-1"} << "--seed";
        QTest::newRow("threads -1") << c << QStringList{"train", "--threads", "-1"} << "--threads";
        QTest::newRow("flag with a value") << c << QStringList{"train", "--no-shuffle=1"} << "--no-shuffle takes no value";
        QTest::newRow("unknown option") << c << QStringList{"train", "--epoch", "3"} << "unknown option --epoch";
        QTest::newRow("unknown optimizer") << c << QStringList{"train", "--optimizer", "rmsprop"} << "--optimizer: 'rmsprop'";
        QTest::newRow("train takes no file") << c << QStringList{"train", "m.npz"} << "unexpected argument 'm.npz'";
        QTest::newRow("unknown command") << c << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
        QTest::newRow("eval: batch 0") << c << QStringList{"eval", "shipped", "--batch", "0"} << "--batch";
        QTest::newRow("eval: no model") << c << QStringList{"eval"} << "MODEL is required";
        QTest::newRow("eval: two models") << c << QStringList{"eval", "a.npz", "b.npz"} << "unexpected argument 'b.npz'";
        QTest::newRow("predict: no image") << c << QStringList{"predict"} << "--image or --input is required";
        QTest::newRow("export: no output") << c << QStringList{"export-weights", "m.npz"} << "OUT.npz is required";
        QTest::newRow("ops: no operation") << c << QStringList{"ops"} << "conv-forward";
        QTest::newRow("ops: unknown operation") << c << QStringList{"ops", "conv-sideways"} << "unknown command 'conv-sideways'";
        QTest::newRow("ops: stride 0") << c << QStringList{"ops", "pool-forward", "--A", "x.npy", "--stride", "0,1",
                                                           "--out", "y.npy"}
                                       << "--stride: '0,1'";
        QTest::newRow("ops: kernel 2,") << c << QStringList{"ops", "pool-forward", "--A", "x.npy", "--kernel", "2,",
                                                            "--out", "y.npy"}
                                        << "--kernel";
        QTest::newRow("ops: mode median") << c << QStringList{"ops", "pool-forward", "--A", "x.npy", "--mode", "median",
                                                              "--out", "y.npy"}
                                          << "--mode";
        QTest::newRow("ops: padding full") << c << QStringList{"ops", "conv-forward", "--A", "a", "--W", "w", "--b", "b",
                                                               "--padding", "full", "--out", "z"}
                                           << "--padding";
        QTest::newRow("ops: output missing") << c << QStringList{"ops", "pool-forward", "--A", "x.npy"}
                                             << "--out is required";

        QTest::newRow("timeline: no view") << c << QStringList{"timeline", "m.npz", "--out", "t.gif"}
                                           << "--view is required";
        QTest::newRow("timeline: view maps") << c << QStringList{"timeline", "m.npz", "--view", "maps", "--out", "t.gif"}
                                             << "--view: 'maps' is not kernels, maps:LAYER or network";
        QTest::newRow("timeline: steps 5:3") << c << QStringList{"timeline", "m.npz", "--view", "kernels", "--steps",
                                                                 "5:3", "--out", "t.gif"}
                                             << "--steps: '5:3' is not A:B";
        QTest::newRow("timeline: steps 12") << c << QStringList{"timeline", "m.npz", "--view", "kernels", "--steps",
                                                                "12", "--out", "t.gif"}
                                            << "--steps: '12'";
        QTest::newRow("timeline: steps -1:") << c << QStringList{"timeline", "m.npz", "--view", "kernels", "--steps",
                                                                 "x:", "--out", "t.gif"}
                                             << "--steps: 'x:'";
        QTest::newRow("timeline: delay 0") << c << QStringList{"timeline", "m.npz", "--view", "kernels", "--delay",
                                                               "0", "--out", "t.gif"}
                                           << "--delay";
        QTest::newRow("timeline: no output") << c << QStringList{"timeline", "m.npz", "--view", "kernels"}
                                             << "--out is required";

        QTest::newRow("bench: batch 0") << "bench" << QStringList{"--batch", "0"} << "--batch";
        QTest::newRow("bench: threads x") << "bench" << QStringList{"--threads", "x"} << "--threads";
        QTest::newRow("bench: report every 0") << "bench" << QStringList{"--report-every", "0"} << "--report-every";
        QTest::newRow("bench: unknown option") << "bench" << QStringList{"--batches", "3"} << "unknown option --batches";

        const QString w = "convscope";
        QTest::newRow("window: pace -3") << w << QStringList{"--pace", "-3"} << "--pace: '-3' is not a number from 0";
        QTest::newRow("window: pace without value") << w << QStringList{"--pace"} << "--pace needs a value";
        QTest::newRow("window: size 0x0") << w << QStringList{"--size", "0x0"} << "--size: '0x0'";
        QTest::newRow("window: size 800") << w << QStringList{"--size", "800"} << "--size";
        QTest::newRow("window: autorun 1e30") << w << QStringList{"--autorun-seconds", "1e30"} << "--autorun-seconds";
        QTest::newRow("window: autorun -1") << w << QStringList{"--autorun-seconds", "-1"} << "--autorun-seconds";
        QTest::newRow("window: steps 0") << w << QStringList{"--autorun-seconds", "5", "--steps", "0"} << "--steps";
        QTest::newRow("window: steps 3e9") << w << QStringList{"--autorun-seconds", "5", "--steps", "3000000000"}
                                           << "--steps";
        QTest::newRow("window: report every 0") << w << QStringList{"--autorun-seconds", "5", "--report-every", "0"}
                                                << "--report-every";
        QTest::newRow("window: show-change both") << w << QStringList{"--show-change", "both"} << "--show-change";
        QTest::newRow("window: inspect without index") << w << QStringList{"--autorun-seconds", "1", "--screenshot",
                                                                          "s.png", "--inspect", "layerGrid_conv2d"}
                                                       << "--inspect";
        QTest::newRow("window: screenshot alone") << w << QStringList{"--screenshot", "s.png"}
                                                  << "--screenshot requires --autorun-seconds";
        QTest::newRow("window: arch neither preset nor file")
            << w << QStringList{"--arch", "no-such-net"} << "--arch: 'no-such-net' is neither a preset (lenet5";
        QTest::newRow("window: unknown option") << w << QStringList{"--autorun", "5"} << "unknown option --autorun";
    }

    void badArgumentsAreUsageErrors()
    {
        QFETCH(QString, program);
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const QString path = ::program(program);
        if (path.isEmpty()) QSKIP("not built");
        expectUsageError(run(path, args), needle);
    }

    // Failures of the work itself: exit code 1, one line.
    void failedWorkIsAOneLineError_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("missing data") << QStringList{"train", "--data", "/no/such/place"} << "/no/such/place";
        QTest::newRow("model missing") << QStringList{"eval", "/no/model.npz"} << "/no/model.npz";
        QTest::newRow("not a png") << QStringList{"predict", "--image", "/etc/hostname"} << "PNG";
        QTest::newRow("unknown architecture") << QStringList{"train", "--arch", "vgg16"}
                                              << "'vgg16' is neither a preset (lenet5, lenet5-1998, tiny";
        QTest::newRow("architecture file missing") << QStringList{"arch", "/no/arch.json"} << "/no/arch.json";
        QTest::newRow("arch with missing data")
            << QStringList{"arch", "lenet5", "--data", "/no/such/data"} << "/no/such/data";
    }

    // The summary Keras' model.summary() prints, worked out by hand for the
    // tiny preset: conv 8@3x3 same (3*3*1*8 + 8 = 80), max 2x2, flatten
    // (14*14*8 = 1,568), dense 10 (1,568*10 + 10 = 15,690).
    // explain --json: the terms add up to the value the core computed, in
    // the form the issue gives (the core's test checks the values against a
    // pass of its own).
    void explainPrintsTheSumThatMadeACell()
    {
        const auto json = [](const QStringList& args) {
            const Run r = cli(QStringList{"explain", "shipped", "--sample", "7", "--json"} + args);
            if (r.code != 0) qWarning("%s", qPrintable(r.err));
            return QJsonDocument::fromJson(r.out.toUtf8()).object();
        };
        const auto products = [](const QJsonObject& o) {
            double s = 0;
            for (const QJsonValue t : o["terms"].toArray()) s += t["x"].toDouble() * t["w"].toDouble();
            return s;
        };
        const QJsonObject conv = json({"--layer", "conv2d_1", "--cell", "3,4,2"});
        QCOMPARE(conv["kind"].toString(), QString("conv"));
        QCOMPARE(conv["layer"].toString(), QString("conv2d_1"));
        QCOMPARE(conv["terms"].toArray().size(), 5 * 5 * 6);
        QCOMPARE(conv["terms"].toArray()[7].toObject()["from"].toArray(), (QJsonArray{3, 5, 1})); // (di, dj, c) in C order
        QCOMPARE(conv["corner"].toArray(), (QJsonArray{3, 4}));
        const double z = products(conv) + conv["bias"].toDouble();
        QVERIFY(std::abs(z - conv["z"].toDouble()) < 1e-6);
        QVERIFY(std::abs(std::max(z, 0.0) - conv["value"].toDouble()) < 1e-5);

        // 'same' padding: the taps outside the image are there, as zeros.
        const QJsonObject corner = json({"--layer", "conv2d", "--cell", "0,0,1"});
        QCOMPARE(corner["pad"].toArray(), (QJsonArray{2, 2}));
        QCOMPARE(corner["corner"].toArray(), (QJsonArray{-2, -2}));
        int padding = 0;
        for (const QJsonValue t : corner["terms"].toArray())
            if (t["from"][0].toInt() < 0 || t["from"][1].toInt() < 0) {
                QCOMPARE(t["x"].toDouble(), 0.0);
                ++padding;
            }
        QCOMPARE(padding, 25 - 9);

        const QJsonObject pool = json({"--layer", "max_pooling2d", "--cell", "5,6,3"});
        QCOMPARE(pool["mode"].toString(), QString("max"));
        double best = -1e30;
        for (const QJsonValue t : pool["terms"].toArray()) best = std::max(best, t["x"].toDouble());
        QCOMPARE(pool["value"].toDouble(), best);
        QCOMPARE(pool["winner"].toArray().size(), 3);

        const QJsonObject dense = json({"--layer", "dense_1", "--cell", "11"});
        QCOMPARE(dense["terms"].toArray().size(), 120);
        QCOMPARE(dense["terms"].toArray()[0].toObject()["from"].toArray().size(), 1);
        QVERIFY(std::abs(products(dense) + dense["bias"].toDouble() - dense["z"].toDouble()) < 1e-6);

        // Backward: dL/dA of conv2d_1's input (pool 1's output), and a dW.
        const QJsonObject grad = json({"--grad", "--layer", "conv2d_1", "--cell", "6,6,0"});
        QCOMPARE(grad["quantity"].toString(), QString("dL/dA"));
        QVERIFY(grad["terms"].toArray().size() > 0);
        QVERIFY(std::abs(products(grad) - grad["value"].toDouble()) < 1e-7);
        const QJsonObject dw = json({"--grad", "--layer", "conv2d", "--weight", "2,2,0,1"});
        QCOMPARE(dw["terms"].toArray().size(), 28 * 28);
        QVERIFY(std::abs(products(dw) - dw["value"].toDouble()) < 1e-7);

        const Run table = cli({"explain", "shipped", "--layer", "dense_2", "--cell", "4"});
        QCOMPARE(table.code, 0);
        QVERIFY2(table.out.contains("84 terms from dense_1 (84,)") && table.out.contains("the core's value"),
                 qPrintable(table.out));

        // Mistakes: a message naming what is wrong, never a crash.
        const Run layer = cli({"explain", "shipped", "--layer", "conv9", "--cell", "0,0,0"});
        QCOMPARE(layer.code, 1);
        QVERIFY2(layer.err.contains("no layer 'conv9'; its layers are conv2d, max_pooling2d"), qPrintable(layer.err));
        const Run cell = cli({"explain", "shipped", "--layer", "dense", "--cell", "2,3"});
        QCOMPARE(cell.code, 1);
        QVERIFY2(cell.err.contains("cell (2, 3) is not in dense's output (120,)"), qPrintable(cell.err));
        const Run sample = cli({"explain", "shipped", "--layer", "dense", "--cell", "2", "--sample", "123456"});
        QCOMPARE(sample.code, 1);
        QVERIFY2(sample.err.contains("test set has"), qPrintable(sample.err));
        const Run text = cli({"explain", "shipped", "--layer", "dense", "--cell", "two"});
        QCOMPARE(text.code, 1);
        QVERIFY2(text.err.contains("--cell takes indices"), qPrintable(text.err));
        QCOMPARE(cli({"explain", "shipped", "--layer", "dense"}).code, 2);
        QCOMPARE(cli({"explain", "shipped", "--layer", "dense", "--weight", "1,1"}).code, 1);
    }

    void archPrintsKerasSummary()
    {
        const Run r = cli({"arch", "tiny"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(" conv2d (Conv2D)             (None, 28, 28, 8)         80\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains(" flatten (Flatten)           (None, 1568)              0\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains(" dense (Dense)               (None, 10)                15,690\n"), qPrintable(r.out));
        QVERIFY2(r.out.contains("Total params: 15,770\n"), qPrintable(r.out));
    }

    // A network given as Keras JSON: trained, saved with its architecture,
    // its weights exported under the layers' names and read back by --init.
    void trainAnyArchitectureFromJson()
    {
        QFile json(path("net.json"));
        QVERIFY(json.open(QIODevice::WriteOnly));
        json.write(R"({"class_name": "Sequential", "config": {"name": "mine", "layers": [
            {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 28, 28, 1], "name": "in"}},
            {"class_name": "Conv2D", "config": {"name": "features", "filters": 4, "kernel_size": [4, 4],
             "strides": [2, 2], "padding": "same", "activation": "relu", "use_bias": true}},
            {"class_name": "AveragePooling2D", "config": {"name": "pool", "pool_size": [3, 3], "strides": [2, 2],
             "padding": "valid"}},
            {"class_name": "Flatten", "config": {"name": "flat"}},
            {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.2}},
            {"class_name": "Dense", "config": {"name": "logits", "units": 10, "activation": "softmax"}}]}})");
        json.close();
        const Run s = cli({"arch", path("net.json")});
        QVERIFY2(s.code == 0, qPrintable(s.err));
        // 14x14x4 after the stride-2 'same' convolution, 6x6x4 after the overlapping pool.
        QVERIFY2(s.out.contains(" pool (AveragePooling2D)     (None, 6, 6, 4)"), qPrintable(s.out));
        QVERIFY2(s.out.contains("Total params: 1,518\n"), qPrintable(s.out)); // 4*4*1*4+4 + 144*10+10

        const Run t = cli({"train", "--arch", path("net.json"), "--epochs", "1", "--batch", "100", "--save",
                           path("net.npz")});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY2(t.out.contains("(5 layers, 1518 parameters)"), qPrintable(t.out));
        const Run m = cli({"arch", path("net.npz"), "--json"});
        QVERIFY2(m.code == 0, qPrintable(m.err));
        QVERIFY2(m.out.contains("\"name\": \"features\"") && m.out.contains("\"rate\": 0.2"), qPrintable(m.out));
        const Run x = cli({"export-weights", path("net.npz"), path("net-w.npz")});
        QVERIFY2(x.code == 0, qPrintable(x.err));
        const auto w = read_npz(spath("net-w.npz"));
        QCOMPARE(w.at("features/kernel").shape, (Shape{4, 4, 1, 4}));
        QCOMPARE(w.at("logits/kernel").shape, (Shape{144, 10}));
        const Run again = cli({"train", "--arch", path("net.json"), "--epochs", "1", "--batch", "100", "--init",
                               path("net-w.npz")});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        // Weights for another architecture are refused by name.
        const Run wrong = cli({"train", "--arch", "tiny", "--epochs", "1", "--init", path("net-w.npz")});
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains("conv2d/kernel"), qPrintable(wrong.err));
    }

    void failedWorkIsAOneLineError()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const Run r = cli(args);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(needle), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    }

    // Epochs count from 1 in the --log, as Keras prints "Epoch 1/10" and as
    // the window's CSV export: 8,000 training digits in batches of 500 make
    // 16 steps an epoch.
    void logCountsEpochsFromOne()
    {
        const Run r = cli({"train", "--epochs", "2", "--batch", "500", "--log", path("epochs.csv"), "--data", "digits"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile f(path("epochs.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1 + 2 * 16);
        QCOMPARE(lines[0], QString("step,epoch,loss,accuracy"));
        QVERIFY2(lines[1].startsWith("1,1,"), qPrintable(lines[1]));
        QVERIFY2(lines[16].startsWith("16,1,"), qPrintable(lines[16]));
        QVERIFY2(lines[17].startsWith("17,2,"), qPrintable(lines[17]));
        QVERIFY2(lines[32].startsWith("32,2,"), qPrintable(lines[32]));
        const QStringList first = lines[1].split(',');
        QCOMPARE(first.size(), 4);
        bool ok = false;
        const double loss = first[2].toDouble(&ok);
        QVERIFY(ok && loss > 1.5 && loss < 3.5); // about ln 10 from fresh weights
        const double accuracy = first[3].toDouble(&ok);
        QVERIFY(ok && accuracy >= 0 && accuracy <= 1);
    }

    void opsConvForwardMatchesHandComputation()
    {
        // A 3x3 image 1..9, W = [[1,2],[3,4]], b = 0.5, valid:
        // 1+4+12+20 = 37, 47, 67, 77, plus b; float64 in, float64 out.
        write_npy(spath("A.npy"), tensor({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        write_npy(spath("W.npy"), tensor({2, 2, 1, 1}, {1, 2, 3, 4}));
        write_npy(spath("b.npy"), tensor({1, 1, 1, 1}, {0.5}));
        const Run r = cli({"ops", "conv-forward", "--A", path("A.npy"), "--W", path("W.npy"), "--b", path("b.npy"),
                           "--padding", "valid", "--stride", "1,1", "--activation", "linear", "--out", path("Z.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const NpyArray z = read_npy(spath("Z.npy"));
        QCOMPARE(z.dtype, std::string("f8"));
        QCOMPARE(z.shape, (Shape{1, 2, 2, 1}));
        const auto v = z.values<double>();
        const double expected[] = {37.5, 47.5, 67.5, 77.5};
        for (int i = 0; i < 4; ++i) QCOMPARE(v[std::size_t(i)], expected[i]);
    }

    void opsConvBackwardAndPools()
    {
        // conv_backward of dZ = ones through the valid conv above:
        // dW = window sums 12, 16, 24, 28; db = 4; dA = [[1,3,2],[4,10,6],[3,7,4]].
        write_npy(spath("A.npy"), tensor({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        write_npy(spath("W.npy"), tensor({2, 2, 1, 1}, {1, 2, 3, 4}));
        write_npy(spath("b.npy"), tensor({1, 1, 1, 1}, {0}));
        write_npy(spath("dZ.npy"), tensor({1, 2, 2, 1}, {1, 1, 1, 1}));
        Run r = cli({"ops", "conv-backward", "--dZ", path("dZ.npy"), "--A", path("A.npy"), "--W", path("W.npy"),
                     "--b", path("b.npy"), "--padding", "valid", "--out-dA", path("dA.npy"), "--out-dW",
                     path("dW.npy"), "--out-db", path("db.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto dW = read_npy(spath("dW.npy")), db = read_npy(spath("db.npy")), dA = read_npy(spath("dA.npy"));
        QCOMPARE(std::vector<double>(dW.values<double>().begin(), dW.values<double>().end()),
                 (std::vector<double>{12, 16, 24, 28}));
        QCOMPARE(db.values<double>()[0], 4.0);
        QCOMPARE(std::vector<double>(dA.values<double>().begin(), dA.values<double>().end()),
                 (std::vector<double>{1, 3, 2, 4, 10, 6, 3, 7, 4}));

        // Max pool 2x2/1 of 1..9 (float32 in, float32 out): 5, 6, 8, 9;
        // backward of ones: the winners 5, 6, 8, 9 get 1 each.
        Tensor<float> a(Shape{1, 3, 3, 1});
        for (int i = 0; i < 9; ++i) a.data()[i] = float(i + 1);
        write_npy(spath("Af.npy"), a);
        r = cli({"ops", "pool-forward", "--A", path("Af.npy"), "--kernel", "2,2", "--stride", "1,1", "--mode", "max",
                 "--out", path("P.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto p = read_npy(spath("P.npy"));
        QCOMPARE(p.dtype, std::string("f4"));
        QCOMPARE(std::vector<float>(p.values<float>().begin(), p.values<float>().end()),
                 (std::vector<float>{5, 6, 8, 9}));
        Tensor<float> ones(Shape{1, 2, 2, 1});
        ones.flat().fill(1);
        write_npy(spath("dP.npy"), ones);
        r = cli({"ops", "pool-backward", "--dA", path("dP.npy"), "--A", path("Af.npy"), "--kernel", "2,2",
                 "--stride", "1,1", "--out", path("dAp.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto d = read_npy(spath("dAp.npy"));
        QCOMPARE(std::vector<float>(d.values<float>().begin(), d.values<float>().end()),
                 (std::vector<float>{0, 0, 0, 0, 1, 1, 0, 1, 1}));
    }

    void opsShapeMismatchIsAClearError()
    {
        write_npy(spath("A.npy"), Tensor<double>(Shape{1, 4, 4, 3}));
        write_npy(spath("W.npy"), Tensor<double>(Shape{3, 3, 2, 8}));
        write_npy(spath("b.npy"), Tensor<double>(Shape{1, 1, 1, 8}));
        const Run r = cli({"ops", "conv-forward", "--A", path("A.npy"), "--W", path("W.npy"), "--b", path("b.npy"),
                           "--out", path("Z.npy")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("(1, 4, 4, 3)") && r.err.contains("(3, 3, 2, 8)"), qPrintable(r.err));
    }

    void trainIsReproducibleAndSavesAModel()
    {
        const QStringList args{"train", "--epochs", "1", "--batch", "64", "--seed", "3"};
        Run a = cli(args + QStringList{"--log", path("a.csv"), "--save", path("m.npz")});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        QVERIFY(a.out.contains("test loss"));
        Run b = cli(args + QStringList{"--log", path("b.csv")});
        QVERIFY2(b.code == 0, qPrintable(b.err));
        QFile fa(path("a.csv")), fb(path("b.csv"));
        QVERIFY(fa.open(QIODevice::ReadOnly) && fb.open(QIODevice::ReadOnly));
        const QByteArray la = fa.readAll(), lb = fb.readAll();
        QVERIFY(la.startsWith("step,epoch,loss,accuracy\n1,1,"));
        QCOMPARE(la.count('\n'), 1 + 125); // 8000 / 64 steps
        QCOMPARE(la, lb);

        const Run e = cli({"eval", path("m.npz"), "--data", "digits"});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const QStringList lines = e.out.split('\n');
        QVERIFY(lines[0].startsWith("loss: "));
        QVERIFY(lines[1].startsWith("accuracy: "));
        const double acc = lines[1].mid(10).toDouble();
        QVERIFY2(acc > 0.8 && acc <= 1.0, qPrintable(lines[1])); // one epoch of digits

        const Run x = cli({"export-weights", path("m.npz"), path("w.npz")});
        QVERIFY2(x.code == 0, qPrintable(x.err));
        QCOMPARE(read_npz(spath("w.npz")).at("dense_2/kernel").shape, (Shape{84, 10}));
        // --init from those weights with no training step left to take: evaluate equal.
        const Run again = cli({"train", "--epochs", "1", "--lr", "1e-9", "--init", path("w.npz"), "--save",
                               path("m2.npz")});
        QVERIFY2(again.code == 0, qPrintable(again.err));
        const Run e2 = cli({"eval", path("m2.npz")});
        QVERIFY(std::abs(e2.out.split('\n')[1].mid(10).toDouble() - acc) < 0.01);
    }

    // --timeline: the saved file keeps the parameters at past steps, the
    // last one being the model's own; a budget too small for two steps is refused.
    void trainKeepsATimelineInTheSavedFile()
    {
        const Run r = cli({"train", "--epochs", "1", "--batch", "64", "--seed", "3", "--save", path("t.npz"),
                           "--timeline", "--timeline-budget", "4"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const ModelFile f = load_model(spath("t.npz"));
        QVERIFY(f.timeline);
        // 4 MB hold 16 steps of LeNet-5's 247 kB.
        QVERIFY(f.timeline->size() <= 16 && f.timeline->size() >= 8);
        QVERIFY2(r.out.contains(QString("with a timeline of %1 steps").arg(f.timeline->size())), qPrintable(r.out));
        QCOMPARE(f.timeline->steps().front(), std::uint64_t(0));
        QCOMPARE(f.timeline->steps().back(), std::uint64_t(125));
        QVERIFY(arma::approx_equal(*f.timeline->at(125), f.model->parameters(), "absdiff", 0.f));
        QCOMPARE(f.timeline->budget_bytes(), std::size_t(4) << 20);

        const Run tiny = cli({"train", "--epochs", "1", "--arch", "lenet5", "--save", path("u.npz"), "--timeline",
                              "--timeline-budget", "1", "--data", "digits"});
        QVERIFY(tiny.code == 0); // 1 MB still holds 4 steps
        QVERIFY(load_model(spath("u.npz")).timeline->size() <= 4);
    }

    void predictReadsDrawnDigitsWithTheShippedModel()
    {
        // A tall slanted bar in a corner of a big page is a 1; a ring is a 0.
        write_drawing(spath("one.png"), 300, [](int y, int x) {
            return y > 20 && y < 200 && std::abs(x - (60 + (200 - y) / 8)) < 9;
        });
        write_drawing(spath("zero.png"), 120, [](int y, int x) {
            const double r = std::hypot((y - 60) / 1.3, x - 60.0);
            return r > 28 && r < 38;
        });
        for (const auto& [file, digit] : {std::pair{"one.png", "1"}, std::pair{"zero.png", "0"}}) {
            const Run r = cli({"predict", "--image", path(file)});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            const QStringList lines = r.out.split('\n');
            QCOMPARE(lines[0], QString("predicted: ") + digit);
            double sum = 0;
            for (int c = 0; c < 10; ++c) sum += lines[1 + c].section(' ', 1).toDouble();
            QVERIFY(std::abs(sum - 1) < 1e-4);
        }
        write_drawing(spath("blank.png"), 50, [](int, int) { return false; });
        const Run blank = cli({"predict", "--image", path("blank.png")});
        QVERIFY(blank.code != 0);
        QVERIFY2(blank.err.contains("no ink"), qPrintable(blank.err));
    }

    void hostileFilesAreOneLineErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("needle");
        // 67 bytes each: the first header claims 16384x16384 pixels (268 MB
        // of grey levels were allocated before the read failed), the second
        // a size within the limits that its few bytes of data cannot hold.
        QTest::newRow("PNG claiming 16384x16384") << "claim-16384.png" << "predict" << "too large";
        QTest::newRow("PNG claiming 4096x4096") << "claim-4096.png" << "predict" << "cannot hold";
        // Two 4096x4096x3 images, 100 kB deflated: 403 MB as floats.
        QTest::newRow("4096x4096x3 images") << "huge.npz" << "train" << "too large for the network";
    }

    void hostileFilesAreOneLineErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, command);
        QFETCH(QString, needle);
        using namespace handmade;
        write_file(spath("claim-16384.png"), png_claiming(16384, 16384));
        write_file(spath("claim-4096.png"), png_claiming(4096, 4096));
        if (!QFile::exists(path("huge.npz"))) write_file(spath("huge.npz"), black_image_npz("|u1", 1, 1, 1, 4096, 3));
        const Run r = cli(command == "predict" ? QStringList{"predict", "--image", dir.filePath(file)}
                                               : QStringList{"train", "--data", dir.filePath(file)});
        QVERIFY(r.code > 0);
        QVERIFY2(r.err.contains(file) && r.err.contains(needle), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
    }

    void evalRefusesAModelForOtherImages()
    {
        // A digits model on a colour npz: a clear message, not a crash.
        Tensor<float> x(Shape{4, 32, 32, 3});
        const std::vector<std::int64_t> y{0, 1, 2, 3};
        write_npz(spath("colour.npz"), {{"X_train", to_npy(x)}, {"Y_train", to_npy(std::span(y))},
                                        {"X_test", to_npy(x)}, {"Y_test", to_npy(std::span(y))}});
        QVERIFY(cli({"train", "--epochs", "1", "--save", path("d.npz")}).code == 0);
        const Run r = cli({"eval", path("d.npz"), "--data", path("colour.npz")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("28x28x1") && r.err.contains("32x32x3"), qPrintable(r.err));
    }

    // A Keras model as a student has it: keras23_lenet5.h5 reads 0..255
    // (tests/data/keras/README.md); every command finds that out and says so.
    void kerasModelsOpenInEveryCommand()
    {
        const QString keras = CONVSCOPE_TEST_DATA "/keras/";
        const Run summary = cli({"arch", keras + "keras23_lenet5.h5"});
        QCOMPARE(summary.code, 0);
        QVERIFY2(summary.out.contains("conv2d_1 (Conv2D)") && summary.out.contains("Total params: 61,706"),
                 qPrintable(summary.out));

        const Run eval = cli({"eval", keras + "keras23_lenet5.h5", "--data", "digits"});
        QCOMPARE(eval.code, 0);
        QVERIFY2(eval.out.startsWith("reading the images as pixels 0..255: "), qPrintable(eval.out));
        const double accuracy = eval.out.section("accuracy: ", 1).section('\n', 0, 0).toDouble();
        QVERIFY2(accuracy > 0.95, qPrintable(eval.out));
        const Run asked = cli({"eval", keras + "keras23_lenet5.h5", "--data", "digits", "--pixels", "0-1"});
        QVERIFY2(asked.out.contains("pixels 0..1 (as asked)"), qPrintable(asked.out));

        // predict --input: floats as they are; the file's probabilities are NumPy's.
        QTemporaryDir dir;
        const auto expected = read_npz((keras + "tfkeras_functional.h5.expected.npz").toStdString());
        write_npy(dir.filePath("X.npy").toStdString(), expected.at("X"));
        const Run p = cli({"predict", keras + "tfkeras_functional.h5", "--input", dir.filePath("X.npy"), "--out",
                           dir.filePath("P.npy")});
        QVERIFY2(p.code == 0, qPrintable(p.err));
        const Tensor<double> got = to_double_tensor(read_npy(dir.filePath("P.npy").toStdString()));
        const Tensor<double> want = to_double_tensor(expected.at("P"));
        QCOMPARE(got.shape(), want.shape());
        QVERIFY(arma::abs(got.flat() - want.flat()).max() < 1e-5);

        // Weights only: with the architecture they belong to, or a message.
        const Run w = cli({"predict", keras + "tfkeras_weights.h5", "--arch", keras + "tfkeras_weights.json",
                           "--input", dir.filePath("W.npy"), "--out", dir.filePath("Q.npy")});
        QCOMPARE(w.code, 1); // no W.npy: the model opened, the input did not
        QVERIFY2(w.err.contains("W.npy"), qPrintable(w.err));
        // A file that crashes libhdf5 crashes only the reader's process.
        const Run damaged = cli({"eval", keras + "damaged-crashes-libhdf5.h5"});
        QCOMPARE(damaged.code, 1);
        QVERIFY2(damaged.err.contains("the file is damaged: libhdf5 crashed"), qPrintable(damaged.err));
        const Run alone = cli({"eval", keras + "tfkeras_weights.h5"});
        QCOMPARE(alone.code, 1);
        QVERIFY2(alone.err.contains("weights only") && alone.err.contains("--arch"), qPrintable(alone.err));

        // train --init from a Keras model: it goes on from 97%, reading 0..255.
        const Run t = cli({"train", "--data", "digits", "--arch", keras + "keras23_lenet5.h5", "--init",
                           keras + "keras23_lenet5.h5", "--epochs", "1", "--lr", "0.0001"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY2(t.out.contains("reading the images as pixels 0..255"), qPrintable(t.out));
    }

    // A LeNet-5 file whose timeline keeps steps 0, 100, ..., 400 (weights
    // growing by a quarter each), as train --save M --timeline writes one.
    void timelineAnimatesTheKeptSteps()
    {
        const auto model = lenet5<float>({28, 28, 1}, 5);
        ParameterTimeline timeline(model->parameter_count());
        const arma::Col<float> start = model->parameters();
        for (int step = 0; step <= 400; step += 100) timeline.record(std::uint64_t(step), start * (1 + step / 400.0f));
        save_model(spath("timeline.npz"), *model, {}, {}, nullptr, &timeline);

        const auto frames = [&](const QStringList& args, const char* out, int count, const QString& steps) {
            const Run r = cli(QStringList{"timeline", path("timeline.npz")} + args + QStringList{"--out", path(out)});
            QVERIFY2(r.code == 0, qPrintable(r.err));
            // "wrote FILE.gif: 5 frames, steps 0 to 400, 624x473"
            const QString said = "wrote " + path(out) + ": " + QString::number(count) + " frame" +
                                 (count == 1 ? "" : "s") + ", steps " + steps + ", ";
            QVERIFY2(r.out.startsWith(said), qPrintable(r.out));
            const QStringList size = r.out.trimmed().section(", ", -1).split('x');
            int error = 0;
            GifFileType* gif = DGifOpenFileName(spath(out).c_str(), &error);
            QVERIFY(gif);
            QCOMPARE(DGifSlurp(gif), GIF_OK);
            QCOMPARE(gif->ImageCount, count);
            QCOMPARE(gif->SWidth, size[0].toInt());
            QCOMPARE(gif->SHeight, size[1].toInt());
            GraphicsControlBlock gcb{};
            QCOMPARE(DGifSavedExtensionToGCB(gif, count - 1, &gcb), GIF_OK);
            QCOMPARE(gcb.DelayTime, args.contains("--delay") ? args[args.indexOf("--delay") + 1].toInt() : 10);
            // Frames differ: their captions do, and the weights grow.
            if (count > 1)
                QVERIFY(std::memcmp(gif->SavedImages[0].RasterBits, gif->SavedImages[count - 1].RasterBits,
                                    std::size_t(gif->SWidth * gif->SHeight)) != 0);
            DGifCloseFile(gif, &error);
        };
        frames({"--view", "kernels"}, "k.gif", 5, "0 to 400");
        frames({"--view", "kernels", "--steps", "100:300", "--delay", "25"}, "k2.gif", 3, "100 to 300");
        frames({"--view", "maps:conv2d_1", "--steps", ":100"}, "m.gif", 2, "0 to 100");
        frames({"--view", "network", "--sample", "3", "--steps", "300:"}, "n.gif", 2, "300 to 400");
        frames({"--view", "network", "--steps", "150:250"}, "one.gif", 1, "200 to 200");

        // An unknown layer lists the layers; steps that select none say which are kept.
        const Run layer = cli({"timeline", path("timeline.npz"), "--view", "maps:conv9", "--out", path("x.gif")});
        QCOMPARE(layer.code, 1);
        QVERIFY2(layer.err.contains("no layer 'conv9'") && layer.err.contains("conv2d, max_pooling2d, conv2d_1"),
                 qPrintable(layer.err));
        QCOMPARE(layer.err.trimmed().count('\n'), 0);
        const Run none = cli({"timeline", path("timeline.npz"), "--view", "kernels", "--steps", "1000:", "--out",
                              path("x.gif")});
        QCOMPARE(none.code, 1);
        QVERIFY2(none.err.contains("selects none of the 5 steps kept (0 to 400)"), qPrintable(none.err));
        const Run sample = cli({"timeline", path("timeline.npz"), "--view", "network", "--sample", "5000", "--out",
                                path("x.gif")});
        QCOMPARE(sample.code, 1);
        QVERIFY2(sample.err.contains("--sample 5000"), qPrintable(sample.err));
        QVERIFY(!QFile::exists(path("x.gif")));
    }

    // A model without a timeline: one line that says how to keep one.
    void timelineNeedsAModelThatKeepsOne()
    {
        save_model(spath("plain.npz"), *lenet5<float>({28, 28, 1}, 5));
        for (const QString& model : {path("plain.npz"), QString("shipped")}) {
            const Run r = cli({"timeline", model, "--view", "kernels", "--out", path("no.gif")});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("keeps no timeline") &&
                         r.err.contains("convscope-cli train ... --save M --timeline"),
                     qPrintable(r.err));
            QCOMPARE(r.err.trimmed().count('\n'), 0);
        }
        QVERIFY(!QFile::exists(path("no.gif")));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
