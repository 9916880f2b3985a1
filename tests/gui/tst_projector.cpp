// A lesson on a projector (issue #19): the window on a 1280x720 screen (the
// test's offscreen screen, see tests/CMakeLists.txt), every main view usable
// there; Presentation mode; zoom; layers named in words; learning made
// visible (change since Reset, the default sample, the step caption); a
// diverging loss explained; another dataset's classes; the first lesson.
#include "architectureeditor.h"
#include "confusionmatrixview.h"
#include "curveswidget.h"
#include "digitclassifierpanel.h"
#include "displaycontrols.h"
#include "drawingpad.h"
#include "firstlesson.h"
#include "gradientcontrols.h"
#include "hyperparameterpanel.h"
#include "insightdocks.h"
#include "kernelview.h"
#include "mainwindow.h"
#include "test_window.h"
#include "mapgridwidget.h"
#include "messagebar.h"
#include "networkview.h"
#include "probabilitybars.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDialog>
#include <QDockWidget>
#include <QFileInfo>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QApplication>
#include <QScreen>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>
#include <QToolBar>

#include <memory>

class TestProjector : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void windowFitsTheScreen();
    void everyMainViewIsUsable();
    void presentationHidesSidePanels();
    void zoomEnlargesMapsAndKernels();
    void layersAreNamedInWords();
    void defaultSampleIsMisreadAtFirst();
    void changeSinceResetShowsLearning();
    void stepCaptionSaysWhatChanged();
    void allZeroMapsSaySo();
    void explodingLossIsExplained();
    void tinyGradientsGetAHint();
    void otherClassesGetANewNetwork();
    void firstLessonFollowsTheWindow();
    void resetAsksBeforeDiscardingTraining();
    void deepNetworkKeepsTheWindowOnScreen();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    void steps(int n);
    // The part of `w` that is on screen inside the window.
    QRect shownRect(QWidget* w) const;

    std::unique_ptr<MainWindow> m_window;
};

void TestProjector::initTestCase()
{
    QCOMPARE(QGuiApplication::primaryScreen()->size(), QSize(1280, 720));
    m_window = makeTestWindow();
    QVERIFY(showAndWaitForFirstSnapshot(*m_window));
    QTest::qWait(300); // layouts settle
}

void TestProjector::cleanupTestCase()
{
    m_window.reset();
}

void TestProjector::steps(int n)
{
    const quint64 target = m_window->step() + quint64(n);
    for (int i = 0; i < n; ++i) action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), target);
}

QRect TestProjector::shownRect(QWidget* w) const
{
    // Clipped by every parent (docks, scroll areas), then by the window.
    QRect r = w->visibleRegion().boundingRect();
    return QRect(w->mapTo(m_window.get(), r.topLeft()), r.size()).intersected(m_window->rect());
}

void TestProjector::windowFitsTheScreen()
{
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(available.contains(m_window->frameGeometry()),
             qPrintable(QStringLiteral("%1x%2 at %3,%4")
                            .arg(m_window->frameGeometry().width())
                            .arg(m_window->frameGeometry().height())
                            .arg(m_window->frameGeometry().x())
                            .arg(m_window->frameGeometry().y())));
    // ... and uses most of it.
    QVERIFY(m_window->width() >= 1200);
    QVERIFY(m_window->height() >= 650);
}

void TestProjector::everyMainViewIsUsable()
{
    // The network view with its probability column, whole.
    NetworkView* network = m_window->networkView();
    ProbabilityBars* probs = network->probabilities();
    QVERIFY(probs && probs->isVisible());
    const QRect p = shownRect(probs);
    QVERIFY2(p.width() >= probs->minimumSizeHint().width(), qPrintable(QString::number(p.width())));
    QVERIFY2(p.height() >= 160, qPrintable(QString::number(p.height())));
    // The conv maps large enough to see (at least 28 pixels for 28x28).
    MapGridWidget* conv = network->column(QStringLiteral("conv2d"));
    QVERIFY(conv);
    QVERIFY2(conv->mapRect(0).width() >= 28, qPrintable(QString::number(conv->mapRect(0).width())));
    QVERIFY(!shownRect(conv).isEmpty());
    // The controls: Run, the pace, Step, on screen.
    auto* bar = m_window->findChild<QToolBar*>(QStringLiteral("trainingToolBar"));
    QVERIFY(bar && bar->isVisible());
    for (const char* name : {"runAction", "stepAction", "resetAction"}) {
        QWidget* button = bar->widgetForAction(action(name));
        QVERIFY2(button && button->isVisible() && !shownRect(button).isEmpty(), name);
    }
    auto* pace = m_window->findChild<QComboBox*>(QStringLiteral("paceCombo"));
    QVERIFY(pace && !shownRect(pace).isEmpty());
    // The curves with a real plot area.
    const QRectF plot = m_window->curves()->lossView()->chart()->plotArea();
    QVERIFY2(plot.width() >= 200 && plot.height() >= 70,
             qPrintable(QStringLiteral("%1x%2").arg(plot.width()).arg(plot.height())));
    QVERIFY(!shownRect(m_window->curves()->lossView()->viewport()).isEmpty());
    // The drawing pad, in front and large enough to draw in.
    auto* pad = m_window->findChild<DrawingPad*>(QStringLiteral("drawingPad"));
    QVERIFY(pad);
    QTRY_VERIFY(pad->isVisible());
    const QRect d = shownRect(pad);
    QVERIFY2(d.width() >= 150 && d.height() >= 150, qPrintable(QStringLiteral("%1x%2").arg(d.width()).arg(d.height())));
    // The status bar's step counter.
    QVERIFY(!shownRect(m_window->findChild<QLabel*>(QStringLiteral("stepLabel"))).isEmpty());
}

void TestProjector::presentationHidesSidePanels()
{
    const double font = m_window->font().pointSizeF();
    MapGridWidget* conv = m_window->networkView()->column(QStringLiteral("conv2d"));
    const int mapBefore = conv->mapRect(0).width();
    QStringList side{"imagesDock", "hyperparametersDock", "drawingDock", "evaluationDock", "architectureDock"};
    for (const QString& name : side) {
        auto* dock = m_window->findChild<QDockWidget*>(name);
        QVERIFY(dock);
    }
    QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("imagesDock"))->isVisible());

    action("presentationAction")->trigger();
    QVERIFY(m_window->isPresentation());
    for (const QString& name : side) QTRY_VERIFY2(!m_window->findChild<QDockWidget*>(name)->isVisible(), qPrintable(name));
    QCOMPARE(m_window->font().pointSizeF(), font * 1.5);
    // The network view, the curves and the kernels stay.
    QVERIFY(m_window->networkView()->isVisible());
    QVERIFY(m_window->curves()->isVisible());
    QVERIFY(m_window->kernelView()->isVisible());
    // The maps got larger with the room.
    QTRY_VERIFY2(conv->mapRect(0).width() > mapBefore,
                 qPrintable(QStringLiteral("%1 -> %2").arg(mapBefore).arg(conv->mapRect(0).width())));

    action("presentationAction")->trigger();
    QVERIFY(!m_window->isPresentation());
    QCOMPARE(m_window->font().pointSizeF(), font);
    QTRY_VERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("imagesDock"))->isVisible());
    QTRY_VERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("hyperparametersDock"))->isVisible());
    // ... and the window within the projector's width again.
    const QRect available = m_window->screen()->availableGeometry();
    QTRY_VERIFY2(available.contains(m_window->frameGeometry()),
                 qPrintable(QStringLiteral("%1 wide").arg(m_window->frameGeometry().width())));
}

void TestProjector::zoomEnlargesMapsAndKernels()
{
    MapGridWidget* conv = m_window->networkView()->column(QStringLiteral("conv2d"));
    MapGridWidget* kernels = m_window->kernelView()->grids().at(1); // Conv 2's 96 kernels
    QTest::qWait(300); // the layout after Presentation settles
    const int map = conv->mapRect(0).width(), kernel = kernels->mapRect(0).width();
    action("zoomInAction")->trigger();
    action("zoomInAction")->trigger();
    QTRY_VERIFY2(conv->mapRect(0).width() > map, qPrintable(QStringLiteral("%1 -> %2").arg(map).arg(conv->mapRect(0).width())));
    QTRY_VERIFY2(kernels->mapRect(0).width() > kernel,
                 qPrintable(QStringLiteral("%1 -> %2").arg(kernel).arg(kernels->mapRect(0).width())));
    // Each of Conv 2's weights gets several pixels.
    QVERIFY(kernels->mapRect(0).width() >= 5 * 5);
    m_window->setZoom(1);
    QTRY_COMPARE(conv->mapRect(0).width(), map);
}

void TestProjector::layersAreNamedInWords()
{
    NetworkView* network = m_window->networkView();
    const std::vector<LayerName>& names = network->layerNames();
    QStringList full;
    for (const LayerName& n : names) full << n.full();
    QCOMPARE(full, (QStringList{QStringLiteral("Conv 1 \u00b7 6 filters 5\u00d75 \u00b7 same \u00b7 ReLU"),
                                QStringLiteral("Pool 1 \u00b7 max 2\u00d72 / 2"),
                                QStringLiteral("Conv 2 \u00b7 16 filters 5\u00d75 \u00b7 valid \u00b7 ReLU"),
                                QStringLiteral("Pool 2 \u00b7 max 2\u00d72 / 2"), QStringLiteral("Flatten \u00b7 400"),
                                QStringLiteral("Dense 1 \u00b7 120 \u00b7 ReLU"), QStringLiteral("Dense 2 \u00b7 84 \u00b7 ReLU"),
                                QStringLiteral("Output \u00b7 softmax")}));
    // Tooltips: one sentence with the shape formula.
    QVERIFY(names[0].tooltip.contains(QStringLiteral("ceil(28 / 1) = 28")));
    QVERIFY(names[2].tooltip.contains(QStringLiteral("floor((14 \u2212 5) / 1) + 1 = 10")));
    QVERIFY(names[1].tooltip.contains(QStringLiteral("= 14")));
    // The arrows name the operation.
    QStringList operations;
    for (QWidget* arrow : network->findChildren<QWidget*>(QStringLiteral("flowArrow"))) {
        const QString op = arrow->property("operation").toString();
        operations << op;
        QVERIFY(!arrow->toolTip().isEmpty());
        // Wide enough to write it, a word a line, in the smaller font the
        // arrows write in (0.85 of the window's).
        QFont words = arrow->font();
        words.setPointSizeF(words.pointSizeF() * 0.85);
        for (const QString& word : op.split(QLatin1Char(' ')))
            QVERIFY2(arrow->width() >= QFontMetrics(words).horizontalAdvance(word), qPrintable(op));
    }
    QCOMPARE(operations, (QStringList{QStringLiteral("conv 5\u00d75"), QStringLiteral("max 2\u00d72"),
                                      QStringLiteral("conv 5\u00d75"), QStringLiteral("max 2\u00d72"),
                                      QStringLiteral("dense"), QStringLiteral("dense"), QStringLiteral("dense")}));
    // The same names in the kernel view and the weight-gradient chart.
    QCOMPARE(m_window->kernelView()->grids().at(0)->title(), QStringLiteral("Conv 1 \u00b7 weights"));
    steps(1);
    QTRY_VERIFY(!m_window->insight()->weightGradients()->grids().empty());
    QCOMPARE(m_window->insight()->weightGradients()->grids().at(0)->title(), QStringLiteral("Conv 1 \u00b7 dL/dW"));
}

void TestProjector::defaultSampleIsMisreadAtFirst()
{
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_COMPARE(m_window->lastSnapshot().step, quint64(0));
    const TrainingSnapshot& s = m_window->lastSnapshot();
    // A held-out image, read wrong by the fresh network.
    QVERIFY(s.pinnedTest);
    QVERIFY2(s.predicted != s.pinnedLabel, qPrintable(QStringLiteral("%1 read as %2").arg(s.pinnedLabel).arg(s.predicted)));
}

void TestProjector::changeSinceResetShowsLearning()
{
    auto* display = m_window->displayControls();
    MapGridWidget* conv = m_window->networkView()->column(QStringLiteral("conv2d"));
    display->setChange(DisplayControls::Change::SinceReset);
    // At step 0 nothing has changed: every map is zero, and says so.
    QCOMPARE(m_window->step(), quint64(0));
    QTRY_VERIFY(conv->allZero());
    QCOMPARE(conv->scale().kind(), ColorScaleKind::Diverging);
    QVERIFY(m_window->kernelView()->grids().at(0)->allZero());
    steps(4);
    steps(1);
    QTRY_VERIFY(!conv->allZero());
    QCOMPARE(conv->subtitle(), QStringLiteral("\u0394 28x28x6"));
    auto* caption = m_window->networkView()->findChild<QLabel*>(QStringLiteral("networkCaption"));
    QVERIFY2(caption->text().contains(QStringLiteral("change since Reset (step 0)")), qPrintable(caption->text()));
    // W - W0 of the first kernels: the same numbers as the weights' change.
    MapGridWidget* k = m_window->kernelView()->grids().at(0);
    QVERIFY(!k->allZero());
    QVERIFY(k->scale().range().high > 0);
    // In the last step: a different (smaller) change than since Reset.
    display->setChange(DisplayControls::Change::LastStep);
    QTRY_VERIFY2(caption->text().contains(QStringLiteral("last step (4 \u2192 5)")), qPrintable(caption->text()));
    display->setChange(DisplayControls::Change::None);
    QTRY_COMPARE(conv->scale().kind(), ColorScaleKind::Sequential);
    // A fixed colour scale keeps the range of the step it was chosen at.
    display->setScaleMode(ScaleMode::Fixed);
    const ValueRange fixed = conv->scale().range();
    steps(3);
    QCOMPARE(conv->scale().range().high, fixed.high);
    display->setScaleMode(ScaleMode::PerFrame);
}

void TestProjector::stepCaptionSaysWhatChanged()
{
    QLabel* caption = m_window->networkView()->stepCaption();
    steps(1);
    QTRY_VERIFY2(caption->text().contains(QStringLiteral("Step %1").arg(m_window->step())), qPrintable(caption->text()));
    QVERIFY(caption->text().contains(QStringLiteral("batch loss")));
    QVERIFY(caption->text().contains(QStringLiteral("\u2192")));
    QVERIFY(caption->text().contains(QStringLiteral("p(")));
}

void TestProjector::allZeroMapsSaySo()
{
    MapGridWidget grid;
    grid.resize(200, 200);
    cs::Tensor<float> zeros({4, 4, 3});
    grid.setMaps(QStringLiteral("Conv 1"), zeros, ColorScaleKind::Sequential);
    QVERIFY(grid.allZero());
    QCOMPARE(grid.zeroMaps(), 3);
    cs::Tensor<float> some({4, 4, 3});
    some.data()[1] = 0.5f; // map 1 only
    grid.setMaps(QStringLiteral("Conv 1"), some, ColorScaleKind::Sequential);
    QVERIFY(!grid.allZero());
    QCOMPARE(grid.zeroMaps(), 2);
}

void TestProjector::explodingLossIsExplained()
{
    QSignalSpy warnings(m_window.get(), &MainWindow::warningShown);
    QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
    auto* edit = m_window->findChild<QLineEdit*>(QStringLiteral("learningRateEdit"));
    const double before = m_window->hyperparameters()->values().learningRate;
    edit->selectAll();
    QTest::keyClicks(edit, QStringLiteral("5"));
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(m_window->hyperparameters()->values().learningRate, 5.0);
    const quint64 changedAt = m_window->step();
    action("step100Action")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(warnings.count() + errors.count() > 0, 20000);
    // Either the loss became NaN (the step is refused, training paused) or it
    // exploded: the message names the change and the step.
    const QString text = warnings.count() ? warnings.at(0).at(0).toString() : errors.at(0).at(0).toString();
    QVERIFY2(warnings.count() > 0, qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("lr 5")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("step %1").arg(changedAt)), qPrintable(text));
    QVERIFY(m_window->messageBar()->isVisible());
    QTRY_VERIFY(!m_window->isTraining());
    // The loss axis went logarithmic rather than flatten the curve.
    QTRY_VERIFY(m_window->curves()->logAxisShown());
    QVERIFY(!m_window->curves()->logScale()); // the user's setting is untouched

    edit->selectAll();
    QTest::keyClicks(edit, HyperparameterPanel::plainNumber(before));
    QTest::keyClick(edit, Qt::Key_Return);
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_VERIFY(!m_window->curves()->logAxisShown());
}

void TestProjector::tinyGradientsGetAHint()
{
    // A confidently right answer: loss near 0, gradients near 0, maps near
    // blank; the line above the view says why and what to do.
    auto* controls = m_window->insight()->controls();
    auto* explanation = controls->findChild<QLabel*>(QStringLiteral("gradientExplanation"));
    QVERIFY(explanation);
    controls->setGradients(true);
    controls->setExplanation(3, false, 0.0004);
    QVERIFY2(explanation->text().contains(QStringLiteral("misread")), qPrintable(explanation->text()));
    controls->setExplanation(3, false, 1.7);
    QVERIFY(!explanation->text().contains(QStringLiteral("misread")));
    // The maps show gradients now: the change choice is the kernels' only.
    auto* changeLabel = m_window->findChild<QLabel*>(QStringLiteral("changeLabel"));
    QVERIFY(changeLabel);
    QVERIFY2(changeLabel->text().contains(QStringLiteral("Kernels")), qPrintable(changeLabel->text()));
    controls->setGradients(false);
    QVERIFY(changeLabel->text().contains(QStringLiteral("Maps")));
}

void TestProjector::otherClassesGetANewNetwork()
{
    if (!QFileInfo::exists(QStringLiteral("/usr/share/datasets/fashion-mnist")))
        QSKIP("Fashion-MNIST is not installed");
    steps(3);
    QSignalSpy opened(m_window.get(), &MainWindow::datasetOpened);
    m_window->openDatasetInBackground(QStringLiteral("fashion"));
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QVERIFY(opened.at(0).at(0).toBool());
    // Not the digit model under clothes' names: a new network, said so.
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("other classes")));
    QCOMPARE(m_window->curves()->stepCount(), quint64(0));
    // The same classes (digits again, from fashion): also a new network;
    // digits to digits keeps the model, and says so.
    QVERIFY(m_window->openDataset(QStringLiteral("digits")));
    QTRY_COMPARE(int(m_window->lastSnapshot().probabilities.size()), 10);
    steps(2);
    QVERIFY(m_window->openDataset(QStringLiteral("digits")));
    QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("is kept")));
    QCOMPARE(m_window->step(), quint64(2));
}

void TestProjector::firstLessonFollowsTheWindow()
{
    action("firstLessonAction")->trigger();
    auto* lesson = m_window->findChild<FirstLesson*>(QStringLiteral("firstLesson"));
    QVERIFY(lesson && lesson->isVisible());
    QCOMPARE(lesson->stage(), 0);
    m_window->findChild<QPushButton*>(QStringLiteral("lessonAct"))->click(); // Reset
    QTRY_VERIFY(lesson->stageDone());
    lesson->setStage(2); // one step
    QVERIFY(!lesson->stageDone());
    m_window->findChild<QPushButton*>(QStringLiteral("lessonAct"))->click();
    QTRY_VERIFY(lesson->stageDone());
    // Help > What Am I Seeing?: a guide with pictures of the panels.
    action("whatAmISeeingAction")->trigger();
    auto* guide = m_window->findChild<QDialog*>(QStringLiteral("helpGuide"));
    QVERIFY(guide && guide->isVisible());
    guide->close();
}

void TestProjector::resetAsksBeforeDiscardingTraining()
{
    // More than a few hundred unsaved steps: Reset asks. The question is
    // answered by a timer (it is modal); Cancel keeps the training.
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    for (int i = 0; i < 4; ++i) {
        const quint64 target = m_window->step() + 100;
        action("step100Action")->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->step(), target, 20000);
    }
    QVERIFY(m_window->unsavedSteps() > MainWindow::unsavedStepsWorthAsking);
    m_window->setConfirmDiscard(true);
    int asked = 0;
    auto answer = [&asked](QMessageBox::StandardButton button) {
        QTimer::singleShot(200, [&asked, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return;
            ++asked;
            QVERIFY(box->text().contains(QStringLiteral("400")));
            box->button(button)->click();
        });
    };
    answer(QMessageBox::Cancel);
    action("resetAction")->trigger();
    QCOMPARE(asked, 1);
    QTest::qWait(300);
    QCOMPARE(m_window->step(), quint64(400));
    answer(QMessageBox::Discard);
    action("resetAction")->trigger();
    QCOMPARE(asked, 2);
    QTRY_COMPARE(m_window->step(), quint64(0));
    // Nothing unsaved now: no question.
    action("resetAction")->trigger();
    QCOMPARE(asked, 2);
    m_window->setConfirmDiscard(false);
}

QTEST_MAIN(TestProjector)
// LeNet-5 as LeCun had it has 9 layers: with the Architecture dock in
// front, its row of maps scrolls sideways rather than pushing the window
// past the projector's edge.
void TestProjector::deepNetworkKeepsTheWindowOnScreen()
{
    ArchitectureEditor* editor = m_window->architectureEditor();
    m_window->architectureDock()->show();
    m_window->architectureDock()->raise();
    QAction* preset = editor->presetsMenu()->findChild<QAction*>(QStringLiteral("preset_lenet5-1998"));
    QVERIFY(preset);
    preset->trigger();
    QVERIFY(editor->applyButton()->isEnabled());
    editor->applyButton()->click();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->lastSnapshot().layers.size(), std::size_t(9), 10000);
    QTest::qWait(300); // layouts settle
    const QRect available = m_window->screen()->availableGeometry();
    QTRY_VERIFY2(available.contains(m_window->frameGeometry()),
                 qPrintable(QStringLiteral("%1 wide").arg(m_window->frameGeometry().width())));
}

#include "tst_projector.moc"
