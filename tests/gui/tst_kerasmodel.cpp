// A Keras model opened in the window as a student would (issue 14):
// File > Open Model takes keras23_lenet5.h5 (tests/data/keras), finds out
// that it reads pixels in 0..255 and says so, shows the reading as a layer of
// its own, and reads the test digits as well as the shipped model; the
// Pixels menu changes the reading in place, keeping the weights.
#include "mainwindow.h"
#include "test_window.h"
#include "messagebar.h"
#include "networkview.h"
#include "mapgridwidget.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

class TestKerasModel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_window = makeTestWindow(true);
        QVERIFY(showAndWaitForFirstSnapshot(*m_window));
    }

    void openingFindsOutThePixels()
    {
        QSignalSpy loaded(m_window.get(), &MainWindow::modelLoaded);
        m_window->openModel(QStringLiteral(CONVSCOPE_TEST_DATA "/keras/keras23_lenet5.h5"), false);
        QTRY_COMPARE(loaded.count(), 1);
        QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("reading the images as pixels 0..255: ")));
        QVERIFY2(m_window->messageBar()->text().contains(QStringLiteral("Keras 2.3.1")),
                 qPrintable(m_window->messageBar()->text()));
        // The reading is a layer the network view shows, before conv2d_1.
        QTRY_VERIFY(m_window->networkView()->columns().size() > 2);
        QVERIFY2(m_window->networkView()->columns()[1]->title().contains(QStringLiteral("Rescaling")),
                 qPrintable(m_window->networkView()->columns()[1]->title()));
        QCOMPARE(m_window->lastSnapshot().layers.size(), std::size_t(9));
    }

    void thePixelsMenuChangesTheReadingAndKeepsTheWeights()
    {
        const std::vector<float> before = m_window->modelParameters();
        QAction* unit = nullptr;
        for (QAction* a : m_window->findChildren<QAction*>())
            if (a->text() == QStringLiteral("0..&1")) unit = a;
        QVERIFY(unit);
        unit->trigger();
        QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("pixels 0..1 (as asked)")));
        QTRY_COMPARE(m_window->lastSnapshot().layers.size(), std::size_t(8));
        QVERIFY(m_window->modelParameters() == before);
        // Back to finding out, for the next test that shares the settings.
        for (QAction* a : m_window->findChildren<QAction*>())
            if (a->text() == QStringLiteral("&Find Out")) a->trigger();
        QTRY_COMPARE(m_window->lastSnapshot().layers.size(), std::size_t(9));
    }

    // A damaged file (one that crashes libhdf5) is a message; the model in
    // force stays.
    void aDamagedFileLeavesTheModel()
    {
        const std::vector<float> before = m_window->modelParameters();
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        m_window->openModel(QStringLiteral(CONVSCOPE_TEST_DATA "/keras/damaged-crashes-libhdf5.h5"), false);
        QTRY_COMPARE(errors.count(), 1);
        QVERIFY2(m_window->lastError().contains(QStringLiteral("libhdf5 crashed")), qPrintable(m_window->lastError()));
        QVERIFY(m_window->modelParameters() == before);
    }

private:
    std::unique_ptr<MainWindow> m_window;
};

QTEST_MAIN(TestKerasModel)
#include "tst_kerasmodel.moc"
