// Every File > Open action given what is not a data set, a model or a
// session: garbage, an empty file, a folder, a file that cannot be read. Each
// shows a message that names the file, and the model, its step and the data
// set stay as they were.
#include "mainwindow.h"
#include "messagebar.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

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
        QVERIFY(!m_window->openDataset(path));
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

QTEST_MAIN(TestBadInputs)
#include "tst_badinputs.moc"
