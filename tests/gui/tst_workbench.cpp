// The training workbench driven as a user would: actions triggered, widgets
// found by object name, results awaited with QTRY_* (KeePassXC's GUI tests).
// One window on the shipped digits serves every test, in order.
#include "curveswidget.h"
#include "plotband.h"
#include "stepcurve.h"
#include "hyperparameterpanel.h"
#include "confusionmatrixview.h"
#include "imagebrowser.h"
#include "insightdocks.h"
#include "mainwindow.h"
#include "test_window.h"
#include "trainingworker.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "messagebar.h"
#include "networkview.h"
#include "probabilitybars.h"

#include "npy.hpp"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QXYSeries>

#include <cmath>
#include <memory>

namespace {

// The lines of the curves' CSV export, or the error alone.
QStringList csvLines(const CurvesWidget& curves, const QString& path)
{
    QString error;
    if (!curves.writeCsv(path, &error)) return QStringList{error};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QStringList{};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void stepAddsExactlyOneStep();
    void networkViewShowsLeNetMaps();
    void enlargedMapFollowsItsMap();
    void pinningChangesTheInput();
    void runThenPauseStops();
    void helpersRestWhileTheWindowDraws();
    void hyperparameterChangeIsMarked();
    void learningRateZeroOrNanIsRefused_data();
    void learningRateZeroOrNanIsRefused();
    void learningRateIsTakenAsTyped_data();
    void learningRateIsTakenAsTyped();
    void paceHolds_data();
    void paceHolds();
    void resetRestoresTheTeachingPace();
    void resultsAreMarkedStale();
    void badDatasetKeepsTheModel();
    void badModelFileKeepsTheModel();
    void savedModelPredictsTheSame();
    void csvHasOneLinePerStep();
    void csvCountsEpochsFromOne();
    void testEvaluationsKeepTheirShareOfTime();
    void bandKeepsExtremes();
    void curvesRedrawWithTheStepsThatCome();
    void smoothedCurvesShowMeansOfLongRuns();
    void longRunCurvesStopGrowing();
    void healthyLossStaysLinear();
    void desktopWindowShowsEveryColumnWhole();
    void dockTabsShowWholeTitles();
    void colourDatasetShowsInColour();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    void steps(int n);

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
};

void TestWorkbench::initTestCase()
{
    m_window = makeTestWindow();
    QVERIFY(showAndWaitForFirstSnapshot(*m_window));
    QCOMPARE(m_window->step(), quint64(0));
}

void TestWorkbench::cleanupTestCase()
{
    m_window.reset();
}

void TestWorkbench::steps(int n)
{
    const quint64 target = m_window->step() + quint64(n);
    for (int i = 0; i < n; ++i) action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), target);
}

void TestWorkbench::stepAddsExactlyOneStep()
{
    QXYSeries* loss = m_window->curves()->lossSeries();
    QCOMPARE(loss->count(), 0);
    const QImage before = m_window->networkView()->columns()[1]->mapImage(0);

    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(1));
    QTRY_COMPARE(loss->count(), 1);
    // ... and no more than one, once everything has settled.
    QTest::qWait(300);
    QCOMPARE(m_window->step(), quint64(1));
    QCOMPARE(loss->count(), 1);
    QCOMPARE(loss->at(0).x(), 1.0);
    QVERIFY(loss->at(0).y() > 0);
    QCOMPARE(m_window->findChild<QLabel*>(QStringLiteral("stepLabel"))->text(), QStringLiteral("Step 1"));
    // The feature maps changed with the weights.
    QVERIFY(m_window->networkView()->columns()[1]->mapImage(0) != before);

    steps(2);
    QTRY_COMPARE(loss->count(), 3);
}

void TestWorkbench::networkViewShowsLeNetMaps()
{
    const auto& columns = m_window->networkView()->columns();
    // input, conv2d, max_pooling2d, conv2d_1, max_pooling2d_1, dense, dense_1
    QCOMPARE(int(columns.size()), 7);
    QCOMPARE(columns[0]->mapCount(), 1);
    QCOMPARE(columns[0]->mapHeight(), 28);
    const int maps[] = {6, 6, 16, 16};
    const int sizes[] = {28, 14, 10, 5};
    // Keras' names key the columns; the headers are in words.
    const char* keys[] = {"conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1"};
    const char* titles[] = {"Conv 1", "Pool 1", "Conv 2", "Pool 2"};
    const char* details[] = {"6 filters 5\u00d75 \u00b7 same \u00b7 ReLU", "max 2\u00d72 / 2",
                             "16 filters 5\u00d75 \u00b7 valid \u00b7 ReLU", "max 2\u00d72 / 2"};
    for (int i = 0; i < 4; ++i) {
        MapGridWidget* grid = columns[i + 1];
        QCOMPARE(grid->key(), QString::fromLatin1(keys[i]));
        QCOMPARE(grid->title(), QString::fromLatin1(titles[i]));
        QCOMPARE(grid->detail(), QString::fromUtf8(details[i]));
        QCOMPARE(grid->mapCount(), maps[i]);
        QCOMPARE(grid->mapHeight(), sizes[i]);
        QCOMPARE(grid->mapWidth(), sizes[i]);
        QCOMPARE(grid->subtitle(), QStringLiteral("%1x%1x%2").arg(sizes[i]).arg(maps[i]));
        // Every map is drawn, inside the widget, and none overlaps the next.
        for (int k = 0; k < maps[i]; ++k) {
            QVERIFY(grid->rect().contains(grid->mapRect(k)));
            if (k) QVERIFY(!grid->mapRect(k).intersects(grid->mapRect(k - 1)));
        }
    }
    QCOMPARE(columns[5]->subtitle(), QStringLiteral("120"));
    QCOMPARE(columns[6]->subtitle(), QStringLiteral("84"));
    QCOMPARE(int(m_window->lastSnapshot().probabilities.size()), 10);
}

void TestWorkbench::enlargedMapFollowsItsMap()
{
    MapGridWidget* conv = m_window->networkView()->columns()[1];
    QTest::mouseDClick(conv, Qt::LeftButton, {}, conv->mapRect(3).center()); // a click explains a value
    auto* inspector = m_window->findChild<MapInspector*>(QStringLiteral("mapInspector"));
    QVERIFY(inspector);
    QTRY_VERIFY(inspector->isVisible());
    QCOMPARE(inspector->grid(), conv);
    QCOMPARE(inspector->index(), 3);
    const QImage before = inspector->renderedMap();
    QCOMPARE(before.width() % 28, 0); // whole pixels per map pixel
    steps(1);
    QTRY_VERIFY(inspector->renderedMap() != before);

    // The layer's values for this sample, as a NumPy array shaped as Keras gives it.
    QTemporaryDir dir;
    const QString npy = dir.filePath(QStringLiteral("conv2d.npy"));
    QVERIFY(inspector->saveValues(npy));
    const cs::NpyArray saved = cs::read_npy(npy.toStdString());
    QCOMPARE(saved.shape, (cs::Shape{1, 28, 28, 6}));
    QCOMPARE(saved.values<float>()[3], conv->value(3, 0, 0)); // map 3, pixel (0, 0)
    inspector->close();
}

void TestWorkbench::pinningChangesTheInput()
{
    MapGridWidget* input = m_window->networkView()->inputGrid();
    const QImage before = input->mapImage(0);
    QListView* list = m_window->findChild<QListView*>(QStringLiteral("imageList"));
    QVERIFY(list);
    // The default sample is a test image the fresh network misreads; the
    // grid shows its set. Back to the training images.
    auto* set = m_window->findChild<QComboBox*>(QStringLiteral("imageSetCombo"));
    QVERIFY(set);
    set->setCurrentIndex(0);
    const QModelIndex fifth = list->model()->index(5, 0);
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(fifth).center());
    QTRY_COMPARE(m_window->lastSnapshot().pinnedIndex, 5);
    QVERIFY(!m_window->lastSnapshot().pinnedTest);
    QVERIFY(input->mapImage(0) != before);
    const std::shared_ptr<const cs::Dataset> d = m_window->dataset();
    QCOMPARE(m_window->lastSnapshot().pinnedLabel, int(d->train_labels[5]));

    // A test image, pinned from the other set.
    m_window->pin(true, 7);
    QTRY_VERIFY(m_window->lastSnapshot().pinnedTest);
    QCOMPARE(m_window->lastSnapshot().pinnedIndex, 7);
    QCOMPARE(m_window->lastSnapshot().pinnedLabel, int(d->test_labels[7]));
}

void TestWorkbench::runThenPauseStops()
{
    QSignalSpy training(m_window.get(), &MainWindow::trainingChanged);
    const quint64 start = m_window->step();
    action("runAction")->trigger();
    QTRY_VERIFY(m_window->isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->step() > start + 20, 10000);
    QVERIFY(!action("stepAction")->isEnabled()); // no stepping while running
    action("runAction")->trigger(); // pause
    QTRY_VERIFY(!m_window->isTraining());
    const quint64 stopped = m_window->step();
    QTest::qWait(400);
    QCOMPARE(m_window->step(), stopped);
    QCOMPARE(m_window->curves()->stepCount(), stopped);
    QVERIFY(action("stepAction")->isEnabled());
}

void TestWorkbench::helpersRestWhileTheWindowDraws()
{
    // Flat out, the trainer's helper threads rest from each picture until
    // the window has drawn it (TrainingWorker::windowIdle): some steps run
    // on one thread, and most on all of them.
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("paceCombo"));
    QVERIFY(combo);
    const int paceBefore = combo->currentIndex();
    combo->setCurrentIndex(combo->findData(0.0));
    QCOMPARE(m_window->pace(), 0.0);
    const quint64 start = m_window->step(), restedBefore = m_window->lastSnapshot().restedSteps;
    action("runAction")->trigger();
    QTRY_VERIFY(m_window->isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->step() > start + 500 && m_window->lastSnapshot().restedSteps > restedBefore, 20000);
    action("runAction")->trigger(); // pause
    QTRY_VERIFY(!m_window->isTraining());
    const quint64 trained = m_window->step() - start, rested = m_window->lastSnapshot().restedSteps - restedBefore;
    qInfo("%llu of %llu steps with the helpers resting", static_cast<unsigned long long>(rested),
          static_cast<unsigned long long>(trained));
    QVERIFY(rested > 0);
    QVERIFY(rested < trained / 2);
    // Stepping, paused, counts none.
    steps(3);
    QCOMPARE(m_window->lastSnapshot().restedSteps - restedBefore, rested);
    combo->setCurrentIndex(paceBefore);
}

void TestWorkbench::hyperparameterChangeIsMarked()
{
    auto* batch = m_window->findChild<QSpinBox*>(QStringLiteral("batchSizeSpin"));
    QVERIFY(batch);
    const std::size_t before = m_window->curves()->events().size();
    batch->setValue(64);
    QTRY_COMPARE(m_window->curves()->events().size(), before + 1);
    QCOMPARE(m_window->curves()->events().back().step, m_window->step());
    QVERIFY(m_window->curves()->events().back().text.contains(QStringLiteral("64")));
    const quint64 s = m_window->step();
    const std::size_t position = m_window->lastSnapshot().position;
    steps(1);
    QCOMPARE(m_window->lastSnapshot().position, position + 64 > 8000 ? 0 : position + 64);
    QCOMPARE(m_window->step(), s + 1);
    batch->setValue(32);
    QTRY_COMPARE(m_window->curves()->events().size(), before + 2);
}

void TestWorkbench::learningRateZeroOrNanIsRefused_data()
{
    QTest::addColumn<QString>("typed");
    QTest::newRow("nan") << QStringLiteral("nan");
    QTest::newRow("negative") << QStringLiteral("-0.01");
    QTest::newRow("text") << QStringLiteral("fast");
}

void TestWorkbench::learningRateIsTakenAsTyped_data()
{
    // Typed and Enter: exactly that rate, no completion from the presets
    // ("0" once became 0.3), and a note for the rates that need one.
    QTest::addColumn<QString>("typed");
    QTest::addColumn<double>("rate");
    QTest::addColumn<QString>("note");
    QTest::newRow("zero") << QStringLiteral("0") << 0.0 << QStringLiteral("nothing will learn");
    QTest::newRow("0.3") << QStringLiteral("0.3") << 0.3 << QStringLiteral("very large");
    QTest::newRow("0.03") << QStringLiteral("0.03") << 0.03 << QStringLiteral("very large");
    QTest::newRow("ten") << QStringLiteral("10") << 10.0 << QStringLiteral("very large");
    QTest::newRow("usual") << QStringLiteral("0.002") << 0.002 << QString();
}

void TestWorkbench::learningRateIsTakenAsTyped()
{
    QFETCH(QString, typed);
    QFETCH(double, rate);
    QFETCH(QString, note);
    auto* edit = m_window->findChild<QLineEdit*>(QStringLiteral("learningRateEdit"));
    auto* noteLabel = m_window->findChild<QLabel*>(QStringLiteral("learningRateNote"));
    QVERIFY(edit && noteLabel);
    const Hyperparameters before = m_window->hyperparameters()->values();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, typed);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_window->hyperparameters()->values().learningRate, rate);
    QCOMPARE(edit->text(), typed); // shown plainly, as typed (not 0.300000)
    // The worker takes it: the change is marked on the curves with that rate.
    QTRY_VERIFY(!m_window->curves()->events().empty());
    QTRY_COMPARE(m_window->curves()->events().back().text, QStringLiteral("lr %1").arg(typed));
    QCOMPARE(errors.count(), 0);
    QCOMPARE(noteLabel->isVisibleTo(m_window.get()), !note.isEmpty());
    if (!note.isEmpty()) QVERIFY2(noteLabel->text().contains(note), qPrintable(noteLabel->text()));
    if (rate == 0) {
        // lr 0 really trains nothing: a step leaves the weights as they were.
        const std::vector<float> params = m_window->modelParameters();
        steps(1);
        QVERIFY(m_window->modelParameters() == params);
    }
    // Back to the rate the other tests expect.
    edit->selectAll();
    QTest::keyClicks(edit, HyperparameterPanel::plainNumber(before.learningRate));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_window->hyperparameters()->values().learningRate, before.learningRate);
}

void TestWorkbench::paceHolds_data()
{
    QTest::addColumn<double>("pace");
    QTest::newRow("5 steps/s") << 5.0;
    QTest::newRow("20 steps/s") << 20.0;
}

void TestWorkbench::paceHolds()
{
    // Run at a pace: the steps per second measured over a few seconds are
    // within 20% of the setting (at full speed this machine does hundreds).
    QFETCH(double, pace);
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("paceCombo"));
    QVERIFY(combo);
    const int index = combo->findData(pace);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
    QCOMPARE(m_window->pace(), pace);
    const quint64 before = m_window->step();
    action("runAction")->trigger();
    QTRY_VERIFY(m_window->isTraining());
    // Measured from the first step shown to the last, both as the window
    // shows them (the start-up of the run is not the pace).
    QTRY_VERIFY(m_window->step() > before);
    const quint64 start = m_window->step();
    QElapsedTimer clock;
    clock.start();
    QTest::qWait(4000);
    // Pause, and count what the worker had done by then: its last snapshot
    // comes with the pause (the display may lag a step or two behind).
    const double seconds = double(clock.elapsed()) / 1000;
    action("runAction")->trigger();
    QTRY_VERIFY(!m_window->isTraining());
    QTest::qWait(300);
    const quint64 trained = m_window->step() - start;
    const double rate = double(trained) / seconds;
    qInfo("pace %.0f steps/s: %llu steps in %.2f s = %.2f steps/s", pace, static_cast<unsigned long long>(trained),
          seconds, rate);
    QVERIFY2(rate >= 0.8 * pace && rate <= 1.2 * pace, qPrintable(QStringLiteral("%1 steps/s").arg(rate)));
    // One Epoch and Step stay at full speed: 100 steps in well under the 20 s
    // that pace 5 would take.
    combo->setCurrentIndex(combo->findData(5.0));
    QElapsedTimer fast;
    fast.start();
    const quint64 stepped = m_window->step();
    action("step100Action")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->step(), stepped + 100, 15000);
    QVERIFY2(fast.elapsed() < 10000, qPrintable(QStringLiteral("%1 ms").arg(fast.elapsed())));
}

void TestWorkbench::resetRestoresTheTeachingPace()
{
    // A fresh network starts at the pace a person can follow, whatever the
    // last run's speed was.
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("paceCombo"));
    QVERIFY(combo);
    combo->setCurrentIndex(combo->findData(0.0));
    QCOMPARE(m_window->pace(), 0.0);
    action("resetAction")->trigger();
    QCOMPARE(m_window->pace(), 5.0);
    QCOMPARE(combo->currentData().toDouble(), 5.0);
    QTRY_COMPARE(m_window->step(), quint64(0));
}

void TestWorkbench::resultsAreMarkedStale()
{
    // Evaluate: results for this step, not stale, marked in the grid.
    auto* confusion = m_window->insight()->confusion();
    action("evaluateTestAction")->trigger();
    QTRY_COMPARE(m_window->insight()->evaluationStep(), qint64(m_window->step()));
    QVERIFY(!m_window->insight()->evaluationStale());
    QVERIFY(confusion->total() > 0);
    QVERIFY(!confusion->isStale());
    QVERIFY(confusion->caption().contains(QStringLiteral("step %L1").arg(m_window->step())));
    QVERIFY(m_window->imageBrowser()->hasEvaluation());
    QVERIFY(!m_window->imageBrowser()->evaluationStale());
    // The Evaluation panel came forward.
    QTRY_VERIFY(!m_window->insight()->evaluationDock()->visibleRegion().isEmpty());

    // A step: greyed, saying it is stale and from which step.
    const quint64 evaluated = m_window->step();
    steps(1);
    QTRY_VERIFY(confusion->isStale());
    QVERIFY(m_window->insight()->evaluationStale());
    QVERIFY2(confusion->caption().contains(QStringLiteral("stale")), qPrintable(confusion->caption()));
    QVERIFY(confusion->caption().contains(QStringLiteral("step %L1").arg(evaluated)));
    // The image grid's "→ 4" marks too (grey, and its summary says so).
    QTRY_VERIFY(m_window->imageBrowser()->evaluationStale());
    auto* summary = m_window->imageBrowser()->findChild<QLabel*>(QStringLiteral("imageSummary"));
    QVERIFY(summary);
    QVERIFY2(summary->text().contains(QStringLiteral("stale")), qPrintable(summary->text()));

    // Reset: the old model's results are gone from every view.
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_COMPARE(m_window->insight()->evaluationStep(), qint64(-1));
    QCOMPARE(confusion->total(), std::size_t(0));
    QVERIFY(!m_window->imageBrowser()->hasEvaluation());
    QVERIFY(confusion->caption().contains(QStringLiteral("No evaluation")));

    // Evaluate again, then change the dataset (same images, other classes'
    // model kept or not): the results go too.
    action("evaluateTestAction")->trigger();
    QTRY_VERIFY(m_window->insight()->evaluationStep() >= 0);
    QVERIFY(m_window->imageBrowser()->hasEvaluation());
    QVERIFY(m_window->openDataset(QStringLiteral("digits")));
    QCOMPARE(m_window->insight()->evaluationStep(), qint64(-1));
    QVERIFY(!m_window->imageBrowser()->hasEvaluation());
    QCOMPARE(confusion->total(), std::size_t(0));
    // ... and an evaluation asked for before the change, arriving after it,
    // is not shown on the new images.
    action("evaluateTestAction")->trigger();
    QVERIFY(m_window->openDataset(QStringLiteral("digits")));
    QTest::qWait(500);
    QVERIFY(!m_window->imageBrowser()->hasEvaluation());
}

void TestWorkbench::learningRateZeroOrNanIsRefused()
{
    QFETCH(QString, typed);
    auto* edit = m_window->findChild<QLineEdit*>(QStringLiteral("learningRateEdit"));
    QVERIFY(edit);
    const double before = m_window->hyperparameters()->values().learningRate;
    const std::vector<float> params = m_window->modelParameters();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, typed);
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY(m_window->messageBar()->isVisible());
    QVERIFY2(m_window->messageBar()->text().contains(QStringLiteral("earning rate")), qPrintable(m_window->messageBar()->text()));
    QCOMPARE(m_window->hyperparameters()->values().learningRate, before);
    QCOMPARE(edit->text(), QString::number(before));
    // Training still works, with the old rate, from the same weights.
    QVERIFY(m_window->modelParameters() == params);
    steps(1);
}

void TestWorkbench::badDatasetKeepsTheModel()
{
    const QString bogus = m_dir.filePath(QStringLiteral("bogus.npz"));
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("this is not a zip archive");
    f.close();
    const std::vector<float> params = m_window->modelParameters();
    const quint64 step = m_window->step();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);

    QVERIFY(!m_window->openDataset(bogus));
    QCOMPARE(errors.count(), 1);
    QVERIFY(m_window->messageBar()->isVisible());
    QVERIFY2(m_window->messageBar()->text().contains(QStringLiteral("bogus.npz")), qPrintable(m_window->messageBar()->text()));
    QVERIFY(!m_window->openDataset(m_dir.filePath(QStringLiteral("no-such-folder"))));
    QCOMPARE(m_window->dataset()->train_labels.size(), std::size_t(8000));

    // From the menus the file is read in the background: same message, same model.
    QSignalSpy opened(m_window.get(), &MainWindow::datasetOpened);
    m_window->openDatasetInBackground(bogus);
    QTRY_COMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toBool(), false);
    QCOMPARE(errors.count(), 3);
    QVERIFY(m_window->messageBar()->text().contains(QStringLiteral("bogus.npz")));
    QCOMPARE(m_window->dataset()->train_labels.size(), std::size_t(8000));
    QTest::qWait(100);
    QVERIFY(m_window->modelParameters() == params);
    QCOMPARE(m_window->step(), step);
}

void TestWorkbench::badModelFileKeepsTheModel()
{
    const QString bogus = m_dir.filePath(QStringLiteral("bogus-model.npz"));
    QFile f(bogus);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("PK\x03\x04 truncated");
    f.close();
    const std::vector<float> params = m_window->modelParameters();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    m_window->openModel(bogus, true);
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY(m_window->modelParameters() == params);
}

void TestWorkbench::savedModelPredictsTheSame()
{
    steps(5);
    const QString path = m_dir.filePath(QStringLiteral("session.npz"));
    QSignalSpy saved(m_window.get(), &MainWindow::modelSaved);
    m_window->saveModel(path, true);
    QTRY_COMPARE(saved.count(), 1);
    const TrainingSnapshot atSave = m_window->lastSnapshot();
    const std::vector<float> params = m_window->modelParameters();
    const quint64 step = m_window->step();

    steps(5); // the model moves on
    QVERIFY(m_window->modelParameters() != params);

    QSignalSpy loaded(m_window.get(), &MainWindow::modelLoaded);
    m_window->openModel(path, true);
    QTRY_COMPARE(loaded.count(), 1);
    QTRY_COMPARE(m_window->step(), step);
    QVERIFY(m_window->modelParameters() == params);
    QCOMPARE(m_window->lastSnapshot().probabilities, atSave.probabilities);
    QCOMPARE(m_window->curves()->stepCount(), step);
}

void TestWorkbench::csvHasOneLinePerStep()
{
    steps(3); // its own steps: the test also runs alone
    const QString path = m_dir.filePath(QStringLiteral("history.csv"));
    QVERIFY(m_window->exportCsv(path));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral("step,epoch,loss,accuracy"));
    QCOMPARE(quint64(lines.size() - 1), m_window->step());
    QVERIFY(lines.size() > 1);
    QVERIFY(lines[1].startsWith(QStringLiteral("1,1,"))); // epochs from 1, as the CLI's --log and Keras
}

void TestWorkbench::testEvaluationsKeepTheirShareOfTime()
{
    // 1,000 test images in 8 ms, a step in 0.8 ms (LeNet-5 on two cores):
    // every 200 steps would be 8 / 160 = 5% of the time; every 600 steps,
    // 1.7%, is the first multiple within 2%.
    QCOMPARE(TrainingWorker::evaluationStride(0.008, 0.0008, 200), 3);
    QCOMPARE(TrainingWorker::evaluationStride(0.008, 0.01, 200), 1); // a slow step: every 200
    QCOMPARE(TrainingWorker::evaluationStride(0.003, 0.0008, 200), 1);  // 1.9%: every 200
    QCOMPARE(TrainingWorker::evaluationStride(10, 0.0001, 200), 50);  // never fewer than one in 50
    QCOMPARE(TrainingWorker::evaluationStride(0, 0.0008, 200), 1);    // times not yet known
    QCOMPARE(TrainingWorker::evaluationStride(0.008, 0, 200), 1);
    QCOMPARE(TrainingWorker::evaluationStride(0.008, 0.0008, 0), 1);  // evaluations off
}

void TestWorkbench::csvCountsEpochsFromOne()
{
    const auto csvOf = [this](const CurvesWidget& curves) {
        return csvLines(curves, m_dir.filePath(QStringLiteral("epochs.csv")));
    };
    // Three steps, the third the first of the second epoch (the worker's
    // epochs count from 0); floats exact in binary, written as they are.
    CurvesWidget live;
    live.appendSteps(1, {2.5f, 2.0f, 1.5f}, {0.25f, 0.5f, 0.75f}, {0, 0, 1});
    QCOMPARE(csvOf(live), (QStringList{"step,epoch,loss,accuracy", "1,1,2.5,0.25", "2,1,2,0.5", "3,2,1.5,0.75"}));

    // A reopened history: an evaluation after step 2 that ended epoch 0 says
    // epoch 1 (the Trainer's after it); steps 3 and 4 are in the second epoch.
    cs::TrainingHistory history;
    history.loss = {2.5f, 2.0f, 1.5f, 1.0f};
    history.accuracy = {0.25f, 0.5f, 0.75f, 1.0f};
    history.evaluations.push_back({2, 1, 2.25, 0.375, 2.0, 0.5});
    CurvesWidget reopened;
    reopened.setHistory(history);
    QCOMPARE(csvOf(reopened), (QStringList{"step,epoch,loss,accuracy", "1,1,2.5,0.25", "2,1,2,0.5", "3,2,1.5,0.75",
                                           "4,2,1,1"}));

    // A folder that does not exist: false and the reason, no file.
    QString error;
    QVERIFY(!live.writeCsv(m_dir.filePath(QStringLiteral("no/such/folder/h.csv")), &error));
    QVERIFY(!error.isEmpty());
}

void TestWorkbench::smoothedCurvesShowMeansOfLongRuns()
{
    // The mean of each run of steps, its finite values weighted by the steps
    // each point holds, at the middle of its steps; worked out here from the
    // values, step by step.
    const auto check = [](const StepCurve& curve, quint64 firstX, int runs, const std::vector<double>& stepValues,
                          std::uint64_t runSteps) {
        const QList<QPointF> pts = curve.means(firstX, runs);
        QCOMPARE(pts.size(), qsizetype(runs));
        for (int b = 0; b < runs; ++b) {
            double sum = 0, count = 0;
            for (std::uint64_t t = std::uint64_t(b) * runSteps; t < std::uint64_t(b + 1) * runSteps; ++t)
                if (std::isfinite(stepValues[t])) {
                    sum += stepValues[t];
                    ++count;
                }
            QCOMPARE(pts[b].x(), double(firstX) + double(b) * double(runSteps) + double(runSteps - 1) / 2);
            QVERIFY2(std::abs(pts[b].y() - sum / count) < 1e-6, qPrintable(QStringLiteral("run %1").arg(b)));
        }
    };
    // 1,000 steps in 100 runs of 10, read from the steps; 102,400 in 100
    // runs of 1,024, read from blocks of 256 steps. A NaN step is a gap.
    for (std::uint64_t n : {std::uint64_t(1000), std::uint64_t(102400)}) {
        StepCurve curve;
        std::vector<double> values;
        for (std::uint64_t i = 0; i < n; ++i) {
            const float v = i == 517 ? NAN : float(i % 100) / 100.0f + (i == 4321 ? 50.0f : 0.0f);
            curve.push_back(v);
            values.push_back(double(v));
        }
        check(curve, 1, 100, values, n / 100);
    }
    // A history whose points hold 4 steps each (a long run read from a file).
    std::vector<float> points;
    std::vector<double> values;
    for (int i = 0; i < 4000; ++i) {
        points.push_back(float(i % 7));
        values.insert(values.end(), 4, double(i % 7));
    }
    StepCurve decimated;
    decimated.assign(cs::StepSeries(points, 4, 16000));
    check(decimated, 0, 100, values, 160);
    // Few points: each as it is (the exponential average of a short run).
    StepCurve few;
    for (float v : {1.0f, NAN, 3.0f}) few.push_back(v);
    QCOMPARE(few.means(1, 600), (QList<QPointF>{{1, 1}, {3, 3}}));
}

void TestWorkbench::curvesRedrawWithTheStepsThatCome()
{
    // Steps come with the worker's pictures: the charts are redrawn in the
    // same turn of the event loop when the last redraw is 150 ms old, so
    // that the window repaints once for both; sooner, the next steps (or,
    // at the end of a run, a timer) redraw them.
    CurvesWidget curves;
    curves.resize(600, 300);
    QTest::qWait(200);
    curves.appendSteps(1, {1.0f}, {0.5f}, {0});
    QCOMPARE(curves.lossSeries()->count(), 1); // at once
    curves.appendSteps(2, {0.9f}, {0.5f}, {0});
    QCOMPARE(curves.lossSeries()->count(), 1); // 0 ms after the last: not yet
    QTRY_COMPARE_WITH_TIMEOUT(curves.lossSeries()->count(), 2, 1000); // the timer's
    QTest::qWait(200);
    curves.appendSteps(3, {0.8f}, {0.5f}, {0});
    QCOMPARE(curves.lossSeries()->count(), 3);
}

void TestWorkbench::bandKeepsExtremes()
{
    // 100,000 steps (the band's lowest and highest read from the steps of
    // each run) and 1,000,000 (read from blocks of 256 steps, the last spike
    // in the steps after the last full block): a point for each run asked
    // for, in step order, every spike kept.
    for (std::size_t n : {std::size_t(100000), std::size_t(1000000)}) {
        StepCurve curve;
        for (std::size_t i = 0; i < n; ++i) {
            float v = float(i % 100) / 100.0f;
            if (i == 54321) v = 7.0f;
            if (i == 12345) v = -3.0f;
            if (i == n - 5) v = 9.0f;
            if (i == 777) v = NAN; // a gap
            curve.push_back(v);
        }
        const StepCurve::Band band = curve.band(1, 1000);
        QCOMPARE(band.upper.size(), 1000);
        QCOMPARE(band.lower.size(), 1000);
        double lo = 1e9, hi = -1e9, lastX = 0;
        for (qsizetype i = 0; i < band.upper.size(); ++i) {
            lo = std::min(lo, band.lower[i].y());
            hi = std::max(hi, band.upper[i].y());
            QVERIFY(band.upper[i].x() > lastX); // in step order
            lastX = band.upper[i].x();
            QVERIFY(band.lower[i].y() <= band.upper[i].y());
        }
        // The spike 5 steps from the end is in the last run, drawn at the
        // middle of its steps (the last 1,000, or the blocks that hold them).
        QCOMPARE(band.upper.last().y(), 9.0);
        QVERIFY(band.upper.last().x() > double(n - n / 500) && band.upper.last().x() < double(n));
        QCOMPARE(hi, 9.0);
        QCOMPARE(lo, -3.0);
        QCOMPARE(curve.bounds(), std::make_pair(-3.0, 9.0));
        QCOMPARE(curve.finiteCount(), n - 1);
        // The values are 0, 0.01, ..., 0.99 evenly: the median is about 0.495.
        QVERIFY2(std::abs(curve.approximateMedian() - 0.495) < 0.07, qPrintable(QString::number(curve.approximateMedian())));
    }
    StepCurve few;
    for (float v : {1.0f, 2.0f, NAN, 3.0f}) few.push_back(v);
    QCOMPARE(few.everyPoint(5).size(), 3); // every finite value, x from 5
    QCOMPARE(few.everyPoint(5).last(), QPointF(8, 3));
    few.padTo(10);
    QCOMPARE(few.size(), std::size_t(10));
    QVERIFY(std::isnan(few[9]));
    QCOMPARE(few.approximateMedian(), 2.0 * (1 + 1.0 / 16)); // the middle of 2's bin
    few.clear();
    QVERIFY(few.empty());
    QVERIFY(std::isnan(few.approximateMedian()));
}

void TestWorkbench::longRunCurvesStopGrowing()
{
    // 600,000 steps: past 2^18 the curves keep means of 4 steps (150,000
    // points), and what a person reads is still right.
    const std::size_t n = 600000;
    CurvesWidget curves;
    curves.resize(600, 300);
    std::vector<float> loss(n), accuracy(n, 0.5f);
    std::vector<quint32> epochs(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        loss[i] = float(i % 2); // 0, 1, 0, 1: every mean of 4 steps is 0.5
        if (i >= 300000) epochs[i] = 1;
    }
    loss[432101] = 50; // one spike, diluted in its mean but kept by the blocks
    curves.appendSteps(1, loss, accuracy, epochs);
    QCOMPARE(curves.stepCount(), quint64(n));
    QCOMPARE(curves.pointCount(), std::size_t(150000));
    curves.redraw();
    // Per step: a band from each pixel column's lowest to its highest step.
    QCOMPARE(curves.lossSeries()->count(), 0);
    const QList<QPointF> upper = curves.lossBand().band().upper;
    const QList<QPointF> lower = curves.lossBand().band().lower;
    QCOMPARE(upper.size(), lower.size());
    QVERIFY(upper.size() >= 100 && upper.size() <= 600);
    double hi = 0, lastX = 0;
    for (qsizetype i = 0; i < upper.size(); ++i) {
        hi = std::max(hi, upper[i].y());
        lastX = upper[i].x();
        QCOMPARE(lower[i].x(), upper[i].x());
        // The lowest step (the blocks count steps, not the means of 4), 0,
        // at the log axis' floor: the spike made the axis logarithmic.
        QCOMPARE(lower[i].y(), 1e-6);
    }
    QCOMPARE(hi, 50.0);
    // ... painted as columns of one picture over the plot area: the spike's
    // column reaches the top decade, a column of 0s and 1s does not.
    curves.show();
    QVERIFY(QTest::qWaitForWindowExposed(&curves));
    curves.redraw(); // laid out now: the plot area has its size
    const QImage& picture = curves.lossBand().image();
    QChart* chart = curves.lossView()->chart();
    QVERIFY(chart->plotArea().width() > 100);
    QCOMPARE(picture.size(), QSize(int(std::ceil(chart->plotArea().width())), int(std::ceil(chart->plotArea().height()))));
    const auto alphaAt = [&](double step, double value) {
        const QPointF p = chart->mapToPosition(QPointF(step, value), curves.lossSeries()) - chart->plotArea().topLeft();
        // The run that holds the step is drawn at its middle: a column
        // either way.
        int alpha = 0;
        for (int dx = -1; dx <= 1; ++dx)
            alpha = std::max(alpha, qAlpha(picture.pixel(std::clamp(int(p.x()) + dx, 0, picture.width() - 1),
                                                         std::clamp(int(p.y()), 0, picture.height() - 1))));
        return alpha;
    };
    QVERIFY(alphaAt(432102, 40) > 0);
    QVERIFY(alphaAt(100000, 40) == 0);
    QVERIFY(alphaAt(100000, 0.9) > 0);
    // Drawn at its steps (the last bucket from about step 597,000), not at
    // the index of its points (150,000).
    QVERIFY2(lastX > 590000, qPrintable(QString::number(lastX)));
    const QStringList csv = csvLines(curves, m_dir.filePath(QStringLiteral("long.csv")));
    QCOMPARE(csv.size(), 1 + 150000);
    QCOMPARE(csv[1], QStringLiteral("4,1,0.5,0.5")); // steps 1-4, dated by the last
    QCOMPARE(csv[75000], QStringLiteral("300000,1,0.5,0.5"));
    QCOMPARE(csv[75001], QStringLiteral("300004,2,0.5,0.5")); // the second epoch from step 300,001
    QCOMPARE(csv.last(), QStringLiteral("600000,2,0.5,0.5"));
    // Steps go on from where they were.
    curves.appendSteps(n + 1, {1.0f}, {1.0f}, {1});
    QCOMPARE(curves.stepCount(), quint64(n + 1));

    // A history read back at that resolution draws at the same steps.
    cs::TrainingHistory history;
    history.loss = cs::StepSeries({2.0f, 1.0f, 0.5f}, 1024, 2100);
    history.accuracy = cs::StepSeries({0.2f, 0.6f, 0.9f}, 1024, 2100);
    CurvesWidget reopened;
    reopened.resize(600, 300);
    reopened.setHistory(history);
    reopened.redraw();
    QCOMPARE(reopened.stepCount(), quint64(2100));
    const QList<QPointF> points = reopened.lossSeries()->points();
    QCOMPARE(points.size(), 3);
    QCOMPARE(points[0], QPointF(1 + 511.5, 2.0)); // the middle of steps 1-1,024
    QCOMPARE(points[2], QPointF(1 + 2048 + 25.5, 0.5)); // steps 2,049-2,100
}

void TestWorkbench::healthyLossStaysLinear()
{
    // A healthy run: 2.3 falling to 0.01 over 3,000 steps (its median far
    // below its first loss). Its curve is the lesson: a linear axis.
    CurvesWidget curves;
    curves.resize(600, 300);
    std::vector<float> loss(3000), accuracy(3000, 0.5f);
    std::vector<quint32> epochs(3000, 0);
    for (std::size_t i = 0; i < loss.size(); ++i) loss[i] = 0.01f + 2.3f * std::exp(-float(i) / 150);
    curves.appendSteps(1, loss, accuracy, epochs);
    curves.redraw();
    QVERIFY(!curves.logAxisShown());
    // The same run after its loss exploded to 200: log, or the curve is a line at 0.
    std::vector<float> exploded(200, 200.0f), acc(200, 0.1f);
    std::vector<quint32> ep(200, 0);
    curves.appendSteps(3001, exploded, acc, ep);
    curves.redraw();
    QVERIFY(curves.logAxisShown());
}

void TestWorkbench::desktopWindowShowsEveryColumnWhole()
{
    // The desktop's 1400x900 with every dock open, on a screen of that size
    // (the window fills it, so the docks must give way): the network view's
    // output column is whole, and no header is cut ("6 filters 5×…").
    m_window->resize(1400, 900);
    QTest::qWait(300); // the layout settles
    QCOMPARE(m_window->size(), QSize(1400, 900));
    NetworkView* network = m_window->networkView();
    ProbabilityBars* probs = network->probabilities();
    QVERIFY(probs);
    const QRect shown = probs->visibleRegion().boundingRect();
    QVERIFY2(shown.width() >= probs->minimumSizeHint().width(),
             qPrintable(QStringLiteral("%1 of %2").arg(shown.width()).arg(probs->minimumSizeHint().width())));
    const QRect inWindow(probs->mapTo(m_window.get(), QPoint(0, 0)), probs->size());
    QVERIFY(m_window->rect().contains(inWindow));
    for (MapGridWidget* column : network->columns())
        QVERIFY2(column->width() >= column->textWidth(),
                 qPrintable(QStringLiteral("%1: %2 < %3").arg(column->title()).arg(column->width()).arg(column->textWidth())));
}

// The tabs of tabbed docks at 1400x900 (the right column is narrow once
// the network view has its width): every title whole, the bar scrolling
// when they do not all fit, not "D…", "E…"; also for a tab bar made later,
// when a dock is tabbed onto another.
void TestWorkbench::dockTabsShowWholeTitles()
{
    m_window->resize(1400, 900);
    QTest::qWait(300);
    auto check = [this](const char* when) {
        int tabs = 0;
        for (QTabBar* bar : m_window->findChildren<QTabBar*>(Qt::FindDirectChildrenOnly)) {
            if (!bar->isVisible()) continue;
            QCOMPARE(bar->elideMode(), Qt::ElideNone);
            QVERIFY(bar->usesScrollButtons());
            for (int i = 0; i < bar->count(); ++i, ++tabs)
                QVERIFY2(bar->tabRect(i).width() >= bar->fontMetrics().horizontalAdvance(bar->tabText(i)),
                         qPrintable(QStringLiteral("%1: '%2' in %3 px").arg(when, bar->tabText(i)).arg(bar->tabRect(i).width())));
        }
        QVERIFY2(tabs >= 5, when);
    };
    check("at first");
    if (QTest::currentTestFailed()) return;
    auto* runs = m_window->findChild<QDockWidget*>(QStringLiteral("runsDock"));
    auto* hyper = m_window->findChild<QDockWidget*>(QStringLiteral("hyperparametersDock"));
    QVERIFY(runs && hyper);
    m_window->tabifyDockWidget(hyper, runs);
    QTest::qWait(100);
    check("tabbed again");
    auto* kernels = m_window->findChild<QDockWidget*>(QStringLiteral("kernelsDock"));
    QVERIFY(kernels);
    m_window->tabifyDockWidget(kernels, runs); // as it was
}

// A new input shape: the network is rebuilt for it, colour images show in
// colour, and a model for the old shape is refused.
void TestWorkbench::colourDatasetShowsInColour()
{
    const QString digitsModel = m_dir.filePath(QStringLiteral("digits-model.npz"));
    QSignalSpy saved(m_window.get(), &MainWindow::modelSaved);
    m_window->saveModel(digitsModel, false);
    QTRY_COMPARE(saved.count(), 1);

    // 16x16 RGB: class 0 red squares, class 1 blue ones.
    auto images = [](std::size_t n) {
        cs::Tensor<float> x({n, 16, 16, 3});
        for (std::size_t i = 0; i < n; ++i)
            for (std::size_t h = 4; h < 12; ++h)
                for (std::size_t w = 4; w < 12; ++w) x(i, h, w, i % 2 ? 2 : 0) = 0.9f;
        return x;
    };
    std::vector<std::uint8_t> labels(60);
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = std::uint8_t(i % 2);
    const QString path = m_dir.filePath(QStringLiteral("colour.npz"));
    cs::write_npz(path.toStdString(), {{"X_train", cs::to_npy(images(60))},
                                       {"Y_train", cs::to_npy(cs::Shape{60}, labels)},
                                       {"X_test", cs::to_npy(images(20))},
                                       {"Y_test", cs::to_npy(cs::Shape{20}, std::span(labels).first(20))}});
    QVERIFY(m_window->openDataset(path));
    QTRY_COMPARE(m_window->lastSnapshot().input.shape(), cs::Shape({16, 16, 3}));
    MapGridWidget* input = m_window->networkView()->inputGrid();
    QTRY_COMPARE(input->channels(), 3);
    QCOMPARE(input->mapCount(), 1);
    const QColor centre = input->mapImage(0).pixelColor(8, 8); // sample 0: red
    QVERIFY2(centre.red() > 200 && centre.blue() < 50, qPrintable(centre.name()));
    QCOMPARE(m_window->networkView()->columns()[1]->subtitle(), QStringLiteral("16x16x6"));
    QCOMPARE(m_window->lastSnapshot().probabilities.size(), std::size_t(2));
    QCOMPARE(m_window->step(), quint64(0)); // a new model

    const std::vector<float> params = m_window->modelParameters();
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    m_window->openModel(digitsModel, false);
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY2(m_window->lastError().contains(QStringLiteral("28x28x1")), qPrintable(m_window->lastError()));
    QVERIFY(m_window->modelParameters() == params);
    steps(1);
}

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
