// The Explain panel over the network view: a click on a value explains it
// (the panel's value is the map's), the view is marked where the sum reads,
// gradients are explained in gradient mode (through a flatten too), a
// double-click still enlarges the map, and the explanation follows the view.
#include "explanationpanel.h"
#include "kernelview.h"
#include "mapgridwidget.h"
#include "networkview.h"
#include "pinned_snapshot.h"
#include "samplelens.h"
#include "shippedmodel.h"

#include "dataset.hpp"
#include "saliency.hpp"

#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <memory>

class TestExplainPanel : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void clickOnAMapExplainsThatCell();
    void clickOnADenseUnit();
    void gradientsAreExplainedInGradientMode();
    void inputIsNotComputed();
    void kernelWeightsExplainTheirGradient();
    void doubleClickStillEnlarges();
    void followsTheSampleAndClears();

private:
    TrainingSnapshot snapshotOf(int index);
    MapGridWidget* column(const QString& layer) const { return m_view->column(layer); }
    void click(MapGridWidget* grid, int map, int row, int col)
    {
        QTest::mouseClick(grid, Qt::LeftButton, {}, grid->cellRect(map, row, col).center());
    }

    std::shared_ptr<cs::Dataset> m_data;
    cs::ModelFile m_file;
    std::unique_ptr<NetworkView> m_view;
    std::unique_ptr<SampleLens> m_lens;
    std::unique_ptr<ExplanationPanel> m_panel;
};

void TestExplainPanel::initTestCase()
{
    registerTrainingTypes();
    m_data = std::make_shared<cs::Dataset>(cs::load_digits());
    m_file = loadShippedModel();
    m_view = std::make_unique<NetworkView>();
    m_view->resize(1200, 560);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_lens = std::make_unique<SampleLens>(m_view.get());
    m_lens->setNetwork(m_file.model->shared_network());
    QVERIFY(m_lens->setParameters(m_file.model->snapshot()));
    m_panel = std::make_unique<ExplanationPanel>(m_lens.get(), m_view.get());
    connect(m_view.get(), &NetworkView::cellClicked, m_panel.get(), &ExplanationPanel::explainCell);
    m_panel->resize(360, 600);
    m_panel->show();
    m_lens->show(snapshotOf(3));
    QTest::qWait(50); // the columns laid out
    QVERIFY(!column(QStringLiteral("conv2d_1"))->cellRect(2, 5, 6).isEmpty());
    QVERIFY(!m_panel->hasExplanation());
}

TrainingSnapshot TestExplainPanel::snapshotOf(int index)
{
    return pinnedSnapshot(m_file.model->network(), m_file.model->parameters(), *m_data, index);
}

void TestExplainPanel::clickOnAMapExplainsThatCell()
{
    MapGridWidget* conv = column(QStringLiteral("conv2d_1"));
    QVERIFY(conv);
    QSignalSpy picked(m_panel.get(), &ExplanationPanel::cellPicked);
    click(conv, 2, 5, 6);
    QCOMPARE(picked.count(), 1);
    QVERIFY(m_panel->hasExplanation());
    const cs::Explanation& e = m_panel->explanation();
    QCOMPARE(e.layer, std::string("conv2d_1"));
    QCOMPARE(e.kind, std::string("conv"));
    QCOMPARE(e.cell, (cs::Cell{5, 6, 2}));
    // The panel's number is the map's, and its sum gives it.
    const double shown = conv->value(2, 5, 6);
    QVERIFY(std::abs(e.value - shown) <= 1e-6 * (1 + std::abs(shown)));
    QVERIFY(std::abs(e.activated - shown) <= 1e-5 * (1 + std::abs(shown)));
    QCOMPARE(e.terms.size(), std::size_t(5 * 5 * 6));
    QVERIFY(m_panel->html().contains(QStringLiteral("the same number")));

    // Marked: the cell, the 5x5 window on every map of pool 1, the
    // receptive field on the input (14x14 rows 5..9 -> conv 1 rows 10..19
    // -> input rows 8..21 with conv 1's 'same' padding of 2).
    QCOMPARE(conv->marks().size(), std::size_t(1));
    QCOMPARE(conv->marks()[0].map, 2);
    QCOMPARE(conv->marks()[0].cells, QRect(6, 5, 1, 1));
    const auto& window = column(QStringLiteral("max_pooling2d"))->marks();
    QCOMPARE(window.size(), std::size_t(1));
    QCOMPARE(window[0].map, -1);
    QCOMPARE(window[0].cells, QRect(6, 5, 5, 5));
    const auto& field = m_view->inputGrid()->marks();
    QCOMPARE(field.size(), std::size_t(1));
    QCOMPARE(field[0].cells, QRect(QPoint(10, 8), QPoint(23, 21)));

    // A pooling cell: its window and the winner.
    MapGridWidget* pool = column(QStringLiteral("max_pooling2d_1"));
    click(pool, 7, 2, 3);
    const cs::Explanation& p = m_panel->explanation();
    QCOMPARE(p.kind, std::string("pool"));
    QVERIFY(p.winner);
    QCOMPARE(p.value, double(pool->value(7, 2, 3)));
}

void TestExplainPanel::clickOnADenseUnit()
{
    MapGridWidget* dense = column(QStringLiteral("dense_1"));
    QVERIFY(dense && dense->isStrip());
    click(dense, 0, 17, 0);
    const cs::Explanation& e = m_panel->explanation();
    QCOMPARE(e.kind, std::string("dense"));
    QCOMPARE(e.cell, (cs::Cell{17}));
    QCOMPARE(e.terms.size(), std::size_t(120));
    QVERIFY(std::abs(e.value - dense->value(0, 17, 0)) <= 1e-6 * (1 + std::abs(e.value)));
    QCOMPARE(dense->marks().size(), std::size_t(1));
    QCOMPARE(dense->marks()[0].cells, QRect(0, 17, 1, 1));
}

void TestExplainPanel::gradientsAreExplainedInGradientMode()
{
    m_lens->setTarget(5);
    m_lens->setMode(SampleLens::Mode::Gradients);
    QVERIFY(m_lens->hasGradients());
    // pool 1's dA was written by conv2d_1's backward.
    MapGridWidget* pool = column(QStringLiteral("max_pooling2d"));
    click(pool, 4, 6, 7);
    const cs::Explanation& e = m_panel->explanation();
    QCOMPARE(e.quantity, std::string("dA"));
    QCOMPARE(e.layer, std::string("conv2d_1"));
    QCOMPARE(e.cell, (cs::Cell{6, 7, 4}));
    const double shown = pool->value(4, 6, 7); // the column shows dL/dA now
    QVERIFY(std::abs(e.value - shown) <= 1e-6 * (1e-6 + std::abs(shown)));
    QVERIFY(std::abs(e.sum - shown) <= 1e-4 * (1e-6 + std::abs(shown)));
    // The outputs that sent it back are marked on conv 2's maps.
    QCOMPARE(column(QStringLiteral("conv2d_1"))->marks().size(), std::size_t(1));
    // Where a max pooling's gradient goes: to its window's winner only.
    QVERIFY(m_panel->html().contains(QStringLiteral("Where it goes")));
    const auto& winner = column(QStringLiteral("conv2d"))->marks();
    QCOMPARE(winner.size(), std::size_t(1));
    QCOMPARE(winner[0].map, 4);
    QVERIFY(QRect(14, 12, 2, 2).contains(winner[0].cells)); // inside the 2x2 window of (6, 7)
    QCOMPARE(winner[0].cells.size(), QSize(1, 1));

    // pool 2 is followed by a flatten: the dense layer's backward is shown.
    MapGridWidget* pool2 = column(QStringLiteral("max_pooling2d_1"));
    click(pool2, 3, 1, 2);
    const cs::Explanation& d = m_panel->explanation();
    QCOMPARE(d.layer, std::string("dense"));
    QCOMPARE(d.cell, (cs::Cell{(1 * 5 + 2) * 16 + 3}));
    QVERIFY(std::abs(d.value - pool2->value(3, 1, 2)) <= 1e-6 * (1e-6 + std::abs(d.value)));

    // The saliency: layer 0's backward onto the input.
    click(m_view->inputGrid(), 0, 14, 14);
    QCOMPARE(m_panel->explanation().layer, std::string("conv2d"));
    QCOMPARE(m_panel->explanation().value, double(m_view->inputGrid()->value(0, 14, 14)));
    m_lens->setMode(SampleLens::Mode::Activations);
    // The same cell, asked forward again: the input has no sum.
    QVERIFY(!m_panel->hasExplanation());
    QVERIFY(m_panel->message().contains(QStringLiteral("This is the input")));
}

void TestExplainPanel::inputIsNotComputed()
{
    click(m_view->inputGrid(), 0, 3, 4);
    QVERIFY(!m_panel->hasExplanation());
    QVERIFY(m_panel->message().contains(QStringLiteral("pixel (3, 4)")));
    QCOMPARE(m_view->inputGrid()->marks().size(), std::size_t(1));
}

void TestExplainPanel::kernelWeightsExplainTheirGradient()
{
    KernelView kernels;
    kernels.resize(600, 500);
    kernels.show();
    std::vector<LayerOutput> ks;
    for (std::size_t i = 0; i < m_file.model->layer_count(); ++i)
        if (m_file.model->layer(i).kind() == "conv2d")
            ks.push_back({QString::fromStdString(m_file.model->layer(i).name()), QStringLiteral("conv2d"),
                          m_file.model->layer_parameters(i).front().tensor});
    kernels.showKernels(0, ks);
    QTest::qWait(50);
    connect(&kernels, &KernelView::weightClicked, m_panel.get(), &ExplanationPanel::explainWeight);
    MapGridWidget* grid = kernels.grids()[1]; // conv2d_1 (5, 5, 6, 16): map c_in * 16 + c_out
    QCOMPARE(grid->key(), QStringLiteral("conv2d_1"));
    click(grid, 3 * 16 + 7, 2, 1);
    QVERIFY(m_panel->question() && m_panel->question()->weight);
    QCOMPARE(m_panel->question()->cell, (cs::Cell{2, 1, 3, 7}));
    // A weight is not computed from the sample: its value, and how to see its gradient.
    QVERIFY(!m_panel->hasExplanation());
    QVERIFY2(m_panel->message().contains(QStringLiteral("learned")), qPrintable(m_panel->message()));
    QVERIFY(m_panel->message().contains(QString::number(double(grid->value(3 * 16 + 7, 2, 1)), 'g', 4)
                                            .replace(QLatin1Char('-'), QChar(0x2212))));

    m_lens->setMode(SampleLens::Mode::Gradients);
    QVERIFY(m_panel->hasExplanation());
    const cs::Explanation& e = m_panel->explanation();
    QCOMPARE(e.quantity, std::string("dW"));
    QCOMPARE(e.layer, std::string("conv2d_1"));
    QCOMPARE(e.terms.size(), std::size_t(10 * 10));
    // The core's dW for this sample and class, from a backward pass of the test's own.
    cs::Workspace<float> ws;
    cs::sample_gradients(m_file.model->network(), m_file.model->parameters(), m_lens->shown().input,
                         std::size_t(m_lens->gradientTarget()), ws);
    const std::size_t at = m_file.model->network().layer_parameter_shapes(2).front().offset + ((2 * 5 + 1) * 6 + 3) * 16 + 7;
    QCOMPARE(e.value, double(ws.gradients()[at]));
    QVERIFY(std::abs(e.sum - e.value) <= 1e-5 * (1e-6 + std::abs(e.value)));
    // Marked: the filter's output map and the input channel's map, whole.
    QCOMPARE(column(QStringLiteral("conv2d_1"))->marks().front().map, 7);
    QCOMPARE(column(QStringLiteral("max_pooling2d"))->marks().front().map, 3);
    m_lens->setMode(SampleLens::Mode::Activations);
}

void TestExplainPanel::doubleClickStillEnlarges()
{
    MapGridWidget* conv = column(QStringLiteral("conv2d"));
    QSignalSpy maps(m_view.get(), &NetworkView::mapClicked);
    QTest::mouseDClick(conv, Qt::LeftButton, {}, conv->cellRect(4, 10, 10).center());
    QCOMPARE(maps.count(), 1);
    QCOMPARE(maps.first().at(1).toInt(), 4);
}

void TestExplainPanel::followsTheSampleAndClears()
{
    MapGridWidget* conv = column(QStringLiteral("conv2d"));
    click(conv, 1, 12, 13);
    const double before = m_panel->explanation().value;
    m_lens->show(snapshotOf(11));
    QVERIFY(m_panel->hasExplanation());
    QCOMPARE(m_panel->explanation().cell, (cs::Cell{12, 13, 1}));
    QVERIFY(std::abs(m_panel->explanation().value - conv->value(1, 12, 13)) <= 1e-6);
    QVERIFY(m_panel->explanation().value != before || conv->value(1, 12, 13) == before);
    // A change view shows A - A_ref: the panel says that it explains A.
    m_lens->setChange(SampleLens::Change::SinceReset);
    click(conv, 1, 12, 13);
    QVERIFY(m_panel->html().contains(QStringLiteral("how it changed")));
    m_lens->setChange(SampleLens::Change::None);
    QVERIFY(m_panel->html().contains(QStringLiteral("the same number")));
    m_panel->clearCell();
    QVERIFY(!m_panel->hasExplanation());
    for (MapGridWidget* c : m_view->columns()) QVERIFY(c->marks().empty());
}

QTEST_MAIN(TestExplainPanel)
#include "tst_explainpanel.moc"
