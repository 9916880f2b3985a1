// Going back in training (issue 16): the timeline bar under the network view
// shows any kept step in every view, replays training, and goes back to live;
// a session keeps the timeline. One window, fresh weights, driven in order.
#include "curveswidget.h"
#include "displaycontrols.h"
#include "explanationpanel.h"
#include "insightdocks.h"
#include "kernelview.h"
#include "mainwindow.h"
#include "test_window.h"
#include "mapgridwidget.h"
#include "networkview.h"
#include "timelinebar.h"
#include "timelinegif.h"
#include "timelineviews.h"

#include <QAction>
#include <QImageReader>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestHistory : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void everyStepIsKeptWhileTraining();
    void draggingTheSliderShowsThatStepsMaps();
    void trainingGoesOnWhileHistoryIsShown();
    void liveRestoresTheTrainedMaps();
    void changeOverKStepsSubtractsThatStepsMaps();
    void replayPlaysTheStepsInOrder();
    void aSessionKeepsItsTimeline();
    void theTimelineExportsAsAnAnimatedGif();
    void theGifDialogOffersEveryViewAndRange();
    void theMemoryBudgetIsTheUsers();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    void steps(int n);
    TimelineBar* bar() const { return m_window->timelineBar(); }
    QSlider* slider() const { return bar()->findChild<QSlider*>(QStringLiteral("timelineSlider")); }
    const MapGridWidget* conv1() const { return m_window->networkView()->columns()[1]; }
    // Conv 1's maps for the pinned image at the parameters kept for `step`,
    // from the network itself (what the view must show).
    cs::Tensor<float> conv1At(quint64 step);

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
};

void TestHistory::initTestCase()
{
    m_window = makeTestWindow();
    QVERIFY(showAndWaitForFirstSnapshot(*m_window));
}

void TestHistory::cleanupTestCase() { m_window.reset(); }

void TestHistory::steps(int n)
{
    const quint64 target = m_window->step() + quint64(n);
    for (int i = 0; i < n; ++i) action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), target);
}

cs::Tensor<float> TestHistory::conv1At(quint64 step)
{
    const TrainingSnapshot& live = m_window->lastSnapshot();
    const auto params = live.timeline->at(step);
    if (!params) return {};
    cs::Tensor<float> input = live.input;
    input.reshape({1, 28, 28, 1});
    cs::Workspace<float> workspace;
    live.network->forward(*params, input, workspace);
    cs::Tensor<float> maps = workspace.output(0);
    maps.reshape({28, 28, 6});
    return maps;
}

void TestHistory::everyStepIsKeptWhileTraining()
{
    steps(30);
    const auto timeline = m_window->lastSnapshot().timeline;
    QVERIFY(timeline);
    std::vector<std::uint64_t> all(31);
    for (std::uint64_t s = 0; s <= 30; ++s) all[s] = s;
    QCOMPARE(timeline->steps(), all);
    // The newest kept step is the model as trained.
    QVERIFY(arma::approx_equal(*timeline->at(30), *m_window->lastSnapshot().parameters, "absdiff", 0.f));
    QTRY_COMPARE(slider()->maximum(), 30);
    QVERIFY(bar()->isLive());
}

void TestHistory::draggingTheSliderShowsThatStepsMaps()
{
    const cs::Tensor<float> liveMaps = conv1()->values();
    // The keyboard drives the slider as a drag does: Home, then ten steps right.
    slider()->setFocus();
    QSignalSpy chosen(bar(), &TimelineBar::stepChosen);
    QTest::keyClick(slider(), Qt::Key_Home);
    // (Right is also Step: the focused slider keeps it.)
    for (int i = 0; i < 10; ++i) QTest::keyClick(slider(), Qt::Key_Right);
    QCOMPARE(chosen.count(), 11);
    QCOMPARE(chosen.last().at(0).toULongLong(), 10ull);
    QCOMPARE(m_window->step(), 30ull);
    QVERIFY(!bar()->isLive());
    QVERIFY(m_window->timelineViews()->isHistory());
    QCOMPARE(m_window->timelineViews()->shownStep(), 10ull);

    const cs::Tensor<float> expected = conv1At(10);
    QCOMPARE(conv1()->values().shape(), expected.shape());
    QVERIFY(arma::approx_equal(conv1()->values().flat(), expected.flat(), "absdiff", 0.f));
    QVERIFY(!arma::approx_equal(conv1()->values().flat(), liveMaps.flat(), "absdiff", 1e-6f));
    // Marked as history, the window's own step still the trained one.
    QVERIFY(bar()->findChild<QLabel*>(QStringLiteral("timelineLabel"))->text().contains(QStringLiteral("history")));
    QCOMPARE(m_window->step(), 30ull);
    // The Explain panel explains that step's numbers: map 2, row 5, column 9.
    ExplanationPanel* explain = m_window->insight()->cellExplanation();
    explain->explainCell(m_window->networkView()->columns()[1], 2, 5, 9);
    QVERIFY(explain->hasExplanation());
    QCOMPARE(explain->explanation().value, double(expected.data()[(5 * 28 + 9) * 6 + 2]));
    // The curves mark the step shown.
    QCOMPARE(m_window->curves()->cursorStep(), std::optional<quint64>(10));
    // The kernels are that step's too.
    const auto params = m_window->lastSnapshot().timeline->at(10);
    const auto* kernels = m_window->kernelView()->findChild<MapGridWidget*>(QStringLiteral("kernelGrid_0"));
    QVERIFY(kernels);
    QCOMPARE(double(kernels->values().data()[7]), double((*params)[7])); // conv2d/kernel first in the flat vector
}

void TestHistory::trainingGoesOnWhileHistoryIsShown()
{
    const cs::Tensor<float> shown = conv1()->values();
    steps(10);
    QTRY_COMPARE(slider()->maximum(), 40);
    QCOMPARE(m_window->timelineViews()->shownStep(), 10ull);
    QVERIFY(arma::approx_equal(conv1()->values().flat(), shown.flat(), "absdiff", 0.f));
    QCOMPARE(slider()->value(), 10);
}

void TestHistory::liveRestoresTheTrainedMaps()
{
    QSignalSpy live(bar(), &TimelineBar::liveChosen);
    action("timelineLiveAction")->trigger();
    QCOMPARE(live.count(), 1);
    QVERIFY(!m_window->timelineViews()->isHistory());
    QVERIFY(!m_window->curves()->cursorStep());
    const cs::Tensor<float> expected = conv1At(40);
    QVERIFY(arma::approx_equal(conv1()->values().flat(), expected.flat(), "absdiff", 0.f));
    QVERIFY(bar()->findChild<QLabel*>(QStringLiteral("timelineLabel"))->text().contains(QStringLiteral("live")));
    // Alt+Left: one kept step back.
    action("timelineBackAction")->trigger();
    QCOMPARE(m_window->timelineViews()->shownStep(), 39ull);
    action("timelineForwardAction")->trigger();
    QVERIFY(!m_window->timelineViews()->isHistory());
}

void TestHistory::changeOverKStepsSubtractsThatStepsMaps()
{
    DisplayControls* display = m_window->displayControls();
    display->setSinceSteps(15);
    display->setChange(DisplayControls::Change::SinceStep);
    bar()->goToStep(35);
    QCOMPARE(m_window->timelineViews()->shownStep(), 35ull);
    const cs::Tensor<float> now = conv1At(35), before = conv1At(20);
    arma::Col<float> expected = now.flat() - before.flat();
    QVERIFY(arma::approx_equal(conv1()->values().flat(), expected, "absdiff", 1e-6f));
    // The kernels likewise: W(35) - W(20).
    const auto* kernels = m_window->kernelView()->findChild<MapGridWidget*>(QStringLiteral("kernelGrid_0"));
    const auto timeline = m_window->lastSnapshot().timeline;
    QVERIFY(std::abs(double(kernels->values().data()[3]) - double((*timeline->at(35))[3] - (*timeline->at(20))[3])) < 1e-7);
    display->setChange(DisplayControls::Change::None);
    QVERIFY(arma::approx_equal(conv1()->values().flat(), now.flat(), "absdiff", 0.f));
}

void TestHistory::replayPlaysTheStepsInOrder()
{
    bar()->setSpeed(50);
    bar()->goToStep(30);
    QSignalSpy chosen(bar(), &TimelineBar::stepChosen);
    QSignalSpy live(bar(), &TimelineBar::liveChosen);
    action("timelineReplayAction")->trigger();
    QVERIFY(bar()->isPlaying());
    // Steps 31..39, then live when it has caught up.
    QTRY_COMPARE_WITH_TIMEOUT(live.count(), 1, 5000);
    QVERIFY(!bar()->isPlaying());
    QVERIFY(chosen.count() >= 8);
    for (int i = 1; i < chosen.count(); ++i)
        QVERIFY(chosen.at(i).at(0).toULongLong() > chosen.at(i - 1).at(0).toULongLong());
}

void TestHistory::aSessionKeepsItsTimeline()
{
    const auto before = m_window->lastSnapshot().timeline->steps();
    const QString path = m_dir.filePath(QStringLiteral("timeline-session.npz"));
    QSignalSpy saved(m_window.get(), &MainWindow::modelSaved);
    m_window->saveModel(path, true);
    QTRY_COMPARE(saved.count(), 1);
    steps(5); // then something else is trained...
    m_window->openModel(path, true);
    // ...and the session brings back its model and its past.
    QTRY_COMPARE(m_window->step(), 40ull);
    QTRY_VERIFY(m_window->lastSnapshot().timeline && m_window->lastSnapshot().timeline->steps() == before);
    bar()->goToStep(12);
    QVERIFY(arma::approx_equal(conv1()->values().flat(), conv1At(12).flat(), "absdiff", 0.f));
    bar()->goLive();
}

void TestHistory::theTimelineExportsAsAnAnimatedGif()
{
    // Steps 0..40 kept; 5 to 25 at most 6 frames: evenly spread, ends included.
    const auto kept = m_window->lastSnapshot().timeline->steps();
    const auto steps = timelineGifSteps(kept, 5, 25, 6);
    QCOMPARE(steps, (std::vector<std::uint64_t>{5, 9, 13, 17, 21, 25}));
    QCOMPARE(timelineGifSteps(kept, 5, 8, 10), (std::vector<std::uint64_t>{5, 6, 7, 8}));

    TimelineGifChoice choice;
    choice.view = {cs::FrameViewKind::maps, 0}; // conv 1's maps
    choice.first = 5;
    choice.last = 25;
    choice.maxFrames = 6;
    choice.framesPerSecond = 5;
    const QString path = m_dir.filePath(QStringLiteral("conv1.gif"));
    QSignalSpy written(m_window.get(), &MainWindow::timelineGifWritten);
    m_window->exportTimelineGif(path, choice);
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 1, 20000);
    QVERIFY2(written.first().at(1).toBool(), qPrintable(m_window->lastError()));
    QImageReader gif(path);
    QVERIFY2(gif.canRead(), qPrintable(gif.errorString()));
    QCOMPARE(gif.imageCount(), 6);
    QVERIFY(gif.size().width() > 300);
    // Frames differ as the maps change with training.
    const QImage first = gif.read();
    QCOMPARE(gif.nextImageDelay(), 200); // 5 frames a second
    gif.jumpToNextImage();
    QImage later;
    for (int i = 0; i < 4; ++i) later = gif.read();
    QVERIFY(!later.isNull());
    QVERIFY(first != later);

    // A path that cannot be written: a clear failure, the window goes on.
    m_window->exportTimelineGif(m_dir.filePath(QStringLiteral("no/such/folder/x.gif")), choice);
    QTRY_COMPARE_WITH_TIMEOUT(written.count(), 2, 20000);
    QVERIFY(!written.last().at(1).toBool());
    QVERIFY(!m_window->lastError().isEmpty());
}

void TestHistory::theGifDialogOffersEveryViewAndRange()
{
    const TrainingSnapshot& live = m_window->lastSnapshot();
    TimelineGifDialog dialog(*live.network, live.timeline->steps(), m_window.get());
    auto* view = dialog.findChild<QComboBox*>(QStringLiteral("gifView"));
    // The network, the kernels, and the maps of conv, pool, conv, pool.
    QCOMPARE(view->count(), 6);
    view->setCurrentIndex(4);
    dialog.findChild<QComboBox*>(QStringLiteral("gifFirst"))->setCurrentIndex(3);
    const TimelineGifChoice c = dialog.choice();
    QCOMPARE(int(c.view.kind), int(cs::FrameViewKind::maps));
    QCOMPARE(c.view.layer, std::size_t(2)); // conv2d_1
    QCOMPARE(c.first, 3ull);
    QCOMPARE(c.last, live.timeline->steps().back());
}

void TestHistory::theMemoryBudgetIsTheUsers()
{
    const auto timeline = m_window->lastSnapshot().timeline;
    QCOMPARE(timeline->budget_bytes(), std::size_t(256) << 20);
    m_window->setTimelineBudget(16);
    QTRY_COMPARE(timeline->budget_bytes(), std::size_t(16) << 20);
    QCOMPARE(m_window->timelineBudget(), 16);
    // Below what the window offers: the least it offers.
    m_window->setTimelineBudget(1);
    QCOMPARE(m_window->timelineBudget(), 16);
}

QTEST_MAIN(TestHistory)
#include "tst_history.moc"
