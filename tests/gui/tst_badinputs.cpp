// Every File > Open action given what is not a data set, a model or a
// session: garbage, an empty file, a folder, a file that cannot be read; a
// data set of images too large for the network; a session whose training
// state no optimizer takes. Each shows a message that names the file, and the
// model, its step and the data set stay as they were.
#include "eventlooplatency.h"
#include "mainwindow.h"
#include "messagebar.h"

#include "handmade_files.hpp"
#include "idx.hpp"
#include "lenet5.hpp"
#include "model_file.hpp"

#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

class TestBadInputs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void openActionKeepsTheModel_data();
    void openActionKeepsTheModel();
    void millionTinyImages_data();
    void millionTinyImages();

private:
    QString badFile(const QString& kind);

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
    int m_socket = -1;
};

void TestBadInputs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    MainWindow::Options options;
    options.restoreLayout = false;
    options.shippedModel = false;
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->lastSnapshot().layers.empty(), 10000);
}

void TestBadInputs::cleanupTestCase()
{
    m_window.reset();
    if (m_socket >= 0) ::close(m_socket);
}

QString TestBadInputs::badFile(const QString& kind)
{
    const QString path = m_dir.filePath(kind + QStringLiteral(".npz"));
    if (QFileInfo::exists(path)) return path;
    if (kind == QLatin1String("folder")) {
        QDir(m_dir.path()).mkdir(kind + QStringLiteral(".npz"));
        return path;
    }
    if (kind == QLatin1String("unreadable") && geteuid() == 0) {
        // Root reads a file without read permission; nobody, root included,
        // can open a socket as a file.
        m_socket = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = path.toLocal8Bit();
        std::strncpy(addr.sun_path, p.constData(), sizeof addr.sun_path - 1);
        ::bind(m_socket, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        return path;
    }
    if (kind == QLatin1String("huge-images")) {
        // Two all-black 4096x4096x3 images, 100 kB on disk, 403 MB as floats.
        handmade::write_file(path.toStdString(), handmade::black_image_npz("|u1", 1, 1, 1, 4096, 3));
        return path;
    }
    if (kind == QLatin1String("nan-learning-rate") || kind == QLatin1String("batch-2^40")) {
        // A session that fits the digits, but whose state the window would
        // have turned into a SettingError (NaN) or int(2^40) == 0, a batch size
        // that the Trainer refuses where nothing may fail.
        cs::TrainingState state;
        if (kind == QLatin1String("nan-learning-rate")) state.learning_rate = std::nan("");
        else state.batch_size = std::size_t(1) << 40;
        cs::save_model(path.toStdString(), *cs::lenet5<float>(), state);
        return path;
    }
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    if (kind == QLatin1String("garbage")) f.write(QByteArray(4096, '\x5a').prepend("PK\x03\x04"));
    if (kind == QLatin1String("unreadable")) {
        f.write("PK\x03\x04");
        f.setPermissions(QFileDevice::WriteOwner);
    }
    return path;
}

void TestBadInputs::openActionKeepsTheModel_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("input");
    for (const char* action : {"dataset", "dataset-in-background", "model", "session"})
        for (const char* input : {"garbage", "empty", "folder", "unreadable"})
            QTest::addRow("%s, %s", action, input) << QString::fromLatin1(action) << QString::fromLatin1(input);
    for (const char* action : {"dataset", "dataset-in-background"})
        QTest::addRow("%s, huge-images", action) << QString::fromLatin1(action) << QStringLiteral("huge-images");
    for (const char* input : {"nan-learning-rate", "batch-2^40"})
        QTest::addRow("session, %s", input) << QStringLiteral("session") << QString::fromLatin1(input);
}

void TestBadInputs::openActionKeepsTheModel()
{
    QFETCH(QString, action);
    QFETCH(QString, input);
    const QString path = badFile(input);
    const std::vector<float> params = m_window->modelParameters();
    const quint64 step = m_window->step();
    const auto data = m_window->dataset();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);

    if (action == QLatin1String("dataset")) {
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!m_window->openDataset(path));
        QVERIFY2(timer.elapsed() < 1000, qPrintable(QString("%1 ms").arg(timer.elapsed()))); // refused at once
    } else if (action == QLatin1String("dataset-in-background")) {
        QSignalSpy opened(m_window.get(), &MainWindow::datasetOpened);
        m_window->openDatasetInBackground(path);
        QTRY_COMPARE(opened.count(), 1);
        QCOMPARE(opened.at(0).at(0).toBool(), false);
    } else {
        m_window->openModel(path, action == QLatin1String("session"));
    }
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY(m_window->messageBar()->isVisible());
    const QString message = m_window->messageBar()->text();
    QVERIFY2(message.contains(QFileInfo(path).fileName()), qPrintable(message));
    QTest::qWait(50); // nothing else arrives late
    QCOMPARE(errors.count(), 1);
    QVERIFY(m_window->modelParameters() == params);
    QCOMPARE(m_window->step(), step);
    QCOMPARE(m_window->dataset(), data);
    m_window->messageBar()->hide();
}

void TestBadInputs::millionTinyImages_data()
{
    QTest::addColumn<int>("side");
    QTest::addColumn<bool>("trainable");
    QTest::newRow("2x2, too small for LeNet-5") << 2 << false;
    QTest::newRow("12x12, the smallest it takes") << 12 << true;
}

void TestBadInputs::millionTinyImages()
{
    // An IDX folder of 10^6 images (gzip, 4 or 144 MB of pixels): read in
    // the background while the window answers, then refused with a message
    // that names the folder (the model and data set kept: before, the
    // window took images that the worker then could not train on), or taken.
    QFETCH(int, side);
    QFETCH(bool, trainable);
    const std::size_t n = 1'000'000, pixels = std::size_t(side * side);
    const QString folder = m_dir.filePath(QStringLiteral("million-%1").arg(side));
    QVERIFY(QDir().mkpath(folder));
    const std::string f = (folder + "/").toStdString();
    std::vector<std::uint8_t> images(n * pixels), labels(n);
    for (std::size_t i = 0; i < n; ++i) {
        labels[i] = std::uint8_t(i % 10);
        images[i * pixels + i % pixels] = 255;
    }
    const cs::Shape image{std::size_t(side), std::size_t(side)};
    cs::write_idx_gz(f + "train-images-idx3-ubyte.gz", cs::Shape{n, image[0], image[1]}, images);
    cs::write_idx_gz(f + "train-labels-idx1-ubyte.gz", cs::Shape{n}, labels);
    cs::write_idx_gz(f + "t10k-images-idx3-ubyte.gz", cs::Shape{100, image[0], image[1]},
                     std::span(images).first(100 * pixels));
    cs::write_idx_gz(f + "t10k-labels-idx1-ubyte.gz", cs::Shape{100}, std::span(labels).first(100));
    images = {};

    const std::vector<float> params = m_window->modelParameters();
    const auto data = m_window->dataset();
    QSignalSpy opened(m_window.get(), &MainWindow::datasetOpened);
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    EventLoopLatency meter(5);
    meter.start();
    m_window->openDatasetInBackground(folder);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QTest::qWait(300); // what the worker says of it
    meter.stop();
    qInfo("%s", qPrintable(meter.report()));
    // Reading 10^6 12x12 images takes about 2 s: in the GUI thread, that
    // would be the lateness.
    QVERIFY2(meter.summary().max < 1000, qPrintable(meter.report()));
    QCOMPARE(opened.at(0).at(0).toBool(), trainable);
    if (trainable) {
        QCOMPARE(errors.count(), 0);
        QCOMPARE(m_window->dataset()->train_images.dim(0), n);
    } else {
        QCOMPARE(errors.count(), 1);
        const QString message = m_window->messageBar()->text();
        QVERIFY2(message.contains(QFileInfo(folder).fileName()) && message.contains("LeNet-5"), qPrintable(message));
        QCOMPARE(m_window->dataset(), data);
        QVERIFY(m_window->modelParameters() == params);
        m_window->messageBar()->hide();
    }
}

QTEST_MAIN(TestBadInputs)
#include "tst_badinputs.moc"
