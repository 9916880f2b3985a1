// Issue #5 in the main window: it starts with the shipped model; a drawing
// becomes the pinned sample and follows training; the gradient switch; the
// weight gradients after a step; the confusion matrix after an evaluation
// and its gallery; Reset replaces the model, "Restore the Shipped Model"
// brings it back.
#include "confusionmatrixview.h"
#include "imagebrowser.h"
#include "digitclassifierpanel.h"
#include "drawingpad.h"
#include "gradientnormchart.h"
#include "insightdocks.h"
#include "learninghistorypanel.h"
#include "examplehistorymodel.h"
#include "kernelview.h"
#include "mainwindow.h"
#include "mapgridwidget.h"
#include "misclassifiedgallery.h"
#include "networkview.h"
#include "probabilitybars.h"
#include "samplelens.h"
#include "thumbnailgrid.h"
#include "visibility.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDockWidget>
#include <QLabel>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QXYSeries>

#include <memory>

class TestInsight : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void startsWithTheShippedModel();
    void drawingBecomesThePinnedSample();
    void gradientSwitch();
    void stepShowsWeightGradientsAndFollowsTheDrawing();
    void panelsOutOfSightWaitForTheirTab();
    void evaluationFillsTheConfusionMatrix();
    void confusionCellShowsItsImages();
    void galleryPinsAnImage();
    void resetThenRestoreTheShippedModel();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    void drawOne();

    std::unique_ptr<MainWindow> m_window;
    InsightDocks* m_insight = nullptr;
    quint64 m_shippedStep = 0;
};

void TestInsight::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    MainWindow::Options options;
    options.restoreLayout = false;
    m_window = std::make_unique<MainWindow>(options);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_insight = m_window->insight();
    QVERIFY(m_insight);
    // The shipped model arrives as a session (its training steps come with it).
    QTRY_VERIFY_WITH_TIMEOUT(m_window->step() > 0 && m_insight->showsShippedModel(), 10000);
    m_shippedStep = m_window->step();
}

void TestInsight::cleanupTestCase()
{
    m_window.reset();
}

void TestInsight::startsWithTheShippedModel()
{
    DigitClassifierPanel* panel = m_insight->drawing();
    QVERIFY(panel->network());
    QVERIFY(panel->modelCaption().contains(QStringLiteral("shipped")));
    QVERIFY(m_window->findChild<DrawingPad*>(QStringLiteral("drawingPad")));
    QVERIFY(action("restoreShippedModelAction"));
    // The network view shows the pinned training image through the shipped model.
    QCOMPARE(m_window->lastSnapshot().step, m_shippedStep);
    QVERIFY(m_window->lastSnapshot().parameters);
    QCOMPARE(m_window->lastSnapshot().parameters->n_elem, arma::uword(61706));
    // The drawing reads with the very network the worker trains, not a copy.
    QCOMPARE(panel->network(), m_window->lastSnapshot().network.get());
}

void TestInsight::drawOne()
{
    DrawingPad* pad = m_insight->drawing()->pad();
    m_insight->drawingDock()->raise();
    pad->clear();
    pad->addStroke({{0.52, 0.15}, {0.46, 0.85}});
    pad->flush();
}

void TestInsight::drawingBecomesThePinnedSample()
{
    drawOne();
    QCOMPARE(m_insight->drawing()->predicted(), 1);
    QVERIFY(m_insight->lens()->drawingPinned());
    NetworkView* view = m_window->networkView();
    // The input column is the 28x28 image the network reads.
    const cs::Tensor<float> x = m_insight->drawing()->networkInput();
    QCOMPARE(view->inputGrid()->value(0, 14, 14), x.data()[14 * 28 + 14]);
    QCOMPARE(view->inputGrid()->value(0, 0, 0), 0.0f);
    QVERIFY(view->findChild<QLabel*>(QStringLiteral("networkCaption"))->text().contains(QStringLiteral("Your drawing")));
    QCOMPARE(view->probabilities()->predicted(), 1);
}

void TestInsight::gradientSwitch()
{
    auto* gradients = m_window->findChild<QRadioButton*>(QStringLiteral("gradientsButton"));
    QVERIFY(gradients && gradients->isVisible());
    const int width = m_window->width();
    QTest::mouseClick(gradients, Qt::LeftButton);
    QCOMPARE(m_insight->lens()->mode(), SampleLens::Mode::Gradients);
    // A drawing has no label: the gradients are for the class it is read as.
    QCOMPARE(m_insight->lens()->gradientTarget(), 1);
    NetworkView* view = m_window->networkView();
    QCOMPARE(view->inputGrid()->scale().kind(), ColorScaleKind::Diverging);
    QCOMPARE(view->inputGrid()->title(), QStringLiteral("saliency"));
    QVERIFY(view->findChild<QLabel*>(QStringLiteral("networkCaption"))->text().contains(QStringLiteral("dL/dA for class 1")));
    // The columns keep the width they had: the window does not grow.
    QCOMPARE(m_window->width(), width);
    for (std::size_t c = 1; c < view->columns().size(); ++c) {
        QCOMPARE(view->columns()[c]->scale().kind(), ColorScaleKind::Diverging);
    }
    auto* combo = m_window->findChild<QComboBox*>(QStringLiteral("gradientTargetCombo"));
    combo->setCurrentIndex(combo->findData(7));
    QCOMPARE(m_insight->lens()->gradientTarget(), 7);
    QVERIFY(m_window->findChild<QLabel*>(QStringLiteral("gradientExplanation"))->text().contains(QStringLiteral("p(<b>7</b>)")));
}

void TestInsight::stepShowsWeightGradientsAndFollowsTheDrawing()
{
    QSignalSpy shown(m_window.get(), &MainWindow::snapshotShown);
    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), m_shippedStep + 1);
    // Still the drawing, still gradients, after a snapshot from training.
    QVERIFY(m_insight->lens()->drawingPinned());
    QCOMPARE(m_window->networkView()->inputGrid()->scale().kind(), ColorScaleKind::Diverging);
    QCOMPARE(m_insight->lens()->gradientTarget(), 7);
    // The model changed: the captions say so.
    QVERIFY(!m_insight->showsShippedModel());
    QVERIFY(m_insight->drawing()->modelCaption().contains(QStringLiteral("step")));
    // dW of the step: two convolutions' kernels, not all zero; one point per layer.
    const auto& grids = m_insight->weightGradients()->grids();
    QVERIFY(grids.size() >= 2);
    QCOMPARE(grids[0]->title(), QStringLiteral("Conv 1 \u00b7 dL/dW"));
    QCOMPARE(grids[0]->key(), QStringLiteral("conv2d"));
    QCOMPARE(grids[0]->scale().kind(), ColorScaleKind::Diverging);
    QVERIFY(grids[0]->scale().range().high > 0);
    QCOMPARE(m_insight->normChart()->lineCount(), 5); // conv2d, conv2d_1, dense, dense_1, dense_2
    QCOMPARE(m_insight->normChart()->pointCount(0), 1);
    const auto& norms = m_window->lastSnapshot().gradientNorms;
    QCOMPARE(norms.size(), std::size_t(5));
    for (const auto& n : norms) QVERIFY(n.second > 0);
    // Back to activations for the rest.
    m_window->findChild<QRadioButton*>(QStringLiteral("activationsButton"))->click();
    m_window->findChild<QComboBox*>(QStringLiteral("gradientTargetCombo"))->setCurrentIndex(0);
}

void TestInsight::panelsOutOfSightWaitForTheirTab()
{
    // The weight gradients share the Curves dock's place. Behind its tab the
    // chart is out of sight, though Qt keeps it visible (it moves the dock
    // out of the window): it keeps the norms that come and draws none of
    // them until its tab is chosen.
    GradientNormChart* chart = m_insight->normChart();
    m_window->findChild<QDockWidget*>(QStringLiteral("curvesDock"))->raise();
    QTRY_VERIFY(!isSeen(chart));
    QVERIFY(chart->isVisible());
    const auto drawn = [chart] {
        const QList<QAbstractSeries*> series = chart->view()->chart()->series();
        return series.isEmpty() ? qsizetype(0) : static_cast<QXYSeries*>(series.first())->count();
    };
    const qsizetype before = drawn();
    const int kept = chart->pointCount(0);
    const quint64 step = m_window->step();
    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), step + 1);
    QTest::qWait(600); // past the chart's own timer
    QCOMPARE(chart->pointCount(0), kept + 1);
    QCOMPARE(drawn(), before);
    m_insight->gradientsDock()->raise();
    QTRY_VERIFY(isSeen(chart));
    QTRY_COMPARE(drawn(), qsizetype(kept + 1));
    m_window->findChild<QDockWidget*>(QStringLiteral("curvesDock"))->raise();

    // The learning history, behind the drawing's tab, computes no columns;
    // chosen, it reads the steps kept so far.
    auto* history = qobject_cast<LearningHistoryPanel*>(m_window->learningHistoryDock()->widget());
    QVERIFY(history);
    m_insight->drawingDock()->raise();
    QTRY_VERIFY(!isSeen(history));
    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), step + 2);
    QTest::qWait(300);
    QVERIFY(!history->model()->isComputing());
    QVERIFY(history->model()->history()->empty());
    m_window->learningHistoryDock()->raise();
    QTRY_VERIFY_WITH_TIMEOUT(!history->model()->history()->empty(), 10000);
    m_insight->drawingDock()->raise();
}

void TestInsight::evaluationFillsTheConfusionMatrix()
{
    QSignalSpy evaluated(m_window.get(), &MainWindow::snapshotShown);
    action("evaluateTestAction")->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_insight->confusion()->total() > 0, 10000);
    QCOMPARE(m_insight->confusion()->total(), m_window->dataset()->test_labels.size());
    QVERIFY(double(m_insight->confusion()->correct()) / double(m_insight->confusion()->total()) > 0.9);
    QCOMPARE(std::size_t(m_insight->gallery()->mistakes()), m_insight->confusion()->total() - m_insight->confusion()->correct());
    QVERIFY(m_insight->gallery()->grid()->model()->rowCount() > 0);
}

void TestInsight::confusionCellShowsItsImages()
{
    // A click on a cell: the image grid shows exactly that cell's test images.
    ConfusionMatrixView* cm = m_insight->confusion();
    m_insight->evaluationDock()->raise();
    QTRY_VERIFY(cm->isVisible());
    int t = -1, p = -1;
    for (int i = 0; i < cm->classes() && t < 0; ++i)
        for (int j = 0; j < cm->classes(); ++j)
            if (i != j && cm->count(i, j) > 0) {
                t = i;
                p = j;
                break;
            }
    QVERIFY2(t >= 0, "no mistakes to click on");
    QTest::mouseClick(cm, Qt::LeftButton, Qt::NoModifier, cm->cellRect(t, p).center());
    ImageBrowser* browser = m_window->imageBrowser();
    QVERIFY(browser->showsTest());
    QCOMPARE(std::size_t(browser->shownCount()), cm->count(t, p));
    QTest::mouseClick(cm, Qt::LeftButton, Qt::NoModifier, cm->cellRect(p, p).center());
    QCOMPARE(std::size_t(browser->shownCount()), cm->count(p, p));
}

void TestInsight::galleryPinsAnImage()
{
    m_insight->evaluationDock()->raise();
    ThumbnailGrid* grid = m_insight->gallery()->grid();
    QTRY_VERIFY(grid->isVisible());
    const int index = m_insight->gallery()->shown().front();
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, Qt::NoModifier, grid->visualRect(grid->model()->index(0, 0)).center());
    QVERIFY(!m_insight->lens()->drawingPinned());
    QTRY_COMPARE(m_window->lastSnapshot().pinnedIndex, index);
    QTRY_VERIFY(m_window->lastSnapshot().pinnedTest);
    QVERIFY(m_window->networkView()->findChild<QLabel*>(QStringLiteral("networkCaption"))->text().contains(QString::number(index)));
}

void TestInsight::resetThenRestoreTheShippedModel()
{
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_VERIFY(m_insight->drawing()->modelCaption().contains(QStringLiteral("step 0")));
    drawOne();
    const float fresh = m_insight->drawing()->probabilities()[1];
    action("restoreShippedModelAction")->trigger();
    QTRY_COMPARE(m_window->step(), m_shippedStep);
    QTRY_VERIFY(m_insight->showsShippedModel());
    QVERIFY(m_insight->drawing()->modelCaption().contains(QStringLiteral("shipped")));
    QCOMPARE(m_insight->drawing()->predicted(), 1);
    QVERIFY(m_insight->drawing()->probabilities()[1] > fresh);
}

QTEST_MAIN(TestInsight)
#include "tst_insight.moc"
