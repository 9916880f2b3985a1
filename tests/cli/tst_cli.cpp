// convscope-cli end to end: exit codes, one-line errors, the ops on .npy
// files against hand-computed numbers, reproducible training logs, predict.
#include "npy.hpp"
#include "tensor.hpp"

#include "handmade_files.hpp"

#include <png.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace cs;

namespace {

struct Run {
    int code = -1;
    QString out, err;
};

Run cli(const QStringList& args)
{
    QProcess p;
    p.start(CONVSCOPE_CLI, args);
    p.waitForFinished(120000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
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
    void usageAndUnknownCommand()
    {
        QCOMPARE(cli({"--help"}).code, 0);
        const Run r = cli({"frobnicate"});
        QVERIFY(r.code != 0);
        QVERIFY(r.err.contains("unknown command"));
        for (const char* c : {"train", "eval", "predict", "export-weights", "ops"}) {
            const Run h = cli({c, "--help"});
            QCOMPARE(h.code, 0);
            QVERIFY2(h.out.startsWith("usage:"), c);
        }
    }

    void badArgumentsAreOneLineErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("needle");
        QTest::newRow("lr 0") << QStringList{"train", "--lr", "0"} << "learning rate";
        QTest::newRow("lr nan") << QStringList{"train", "--lr", "nan"} << "--lr";
        QTest::newRow("batch 0") << QStringList{"train", "--batch", "0"} << "--batch";
        QTest::newRow("unknown option") << QStringList{"train", "--epoch", "3"} << "unknown option --epoch";
        QTest::newRow("unknown optimizer") << QStringList{"train", "--optimizer", "rmsprop"} << "rmsprop";
        QTest::newRow("missing data") << QStringList{"train", "--data", "/no/such/place"} << "/no/such/place";
        QTest::newRow("model missing") << QStringList{"eval", "/no/model.npz"} << "/no/model.npz";
        QTest::newRow("not a png") << QStringList{"predict", "--image", "/etc/hostname"} << "PNG";
        QTest::newRow("ops: stride 0") << QStringList{"ops", "pool-forward", "--A", "x.npy", "--stride", "0,1",
                                                      "--out", "y.npy"}
                                       << "--stride";
    }

    void badArgumentsAreOneLineErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, needle);
        const Run r = cli(args);
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains(needle), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one line
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
        QVERIFY(la.startsWith("step,epoch,loss,accuracy\n"));
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
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
