// The backward view: SampleLens over a NetworkView. In gradient mode every
// column shows dL/dA of its layer on a diverging scale, the input column the
// saliency; the column of a convolution followed by max pooling is zero
// outside the pool's winners; the drawing can replace the pinned sample.
#include "colorscale.h"
#include "gradientcontrols.h"
#include "gradientnormchart.h"
#include "mapgridwidget.h"
#include "networkview.h"
#include "pinned_snapshot.h"
#include "samplelens.h"
#include "shippedmodel.h"

#include "dataset.hpp"
#include "pool2d_layer.hpp"
#include "saliency.hpp"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTest>
#include <QXYSeries>

#include <cmath>
#include <limits>
#include <memory>
#include <set>

class TestGradientView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void colourScalesMatchTheirSources();
    void activationsByDefault();
    void gradientColumnsMatchTheBackwardPass();
    void maxPoolGradientIsZeroOutsideWinners();
    void chosenClassChangesTheGradients();
    void drawingReplacesThePinnedSample();
    void controlsSwitchTheMode();
    void normChartOneLinePerLayer();
    void normChartDrawsWithTheSnapshot();

private:
    // A snapshot like the worker's: the sample's outputs through the model.
    TrainingSnapshot snapshotOf(int index);
    MapGridWidget* column(const QString& layer) const;

    std::shared_ptr<cs::Dataset> m_data;
    cs::ModelFile m_file;
    std::unique_ptr<NetworkView> m_view;
    std::unique_ptr<SampleLens> m_lens;
};

void TestGradientView::initTestCase()
{
    registerTrainingTypes();
    m_data = std::make_shared<cs::Dataset>(cs::load_digits());
    m_file = loadShippedModel();
    m_view = std::make_unique<NetworkView>();
    m_view->setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    m_view->resize(1200, 500);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_lens = std::make_unique<SampleLens>(m_view.get());
    m_lens->setNetwork(m_file.model->shared_network());
    QVERIFY(m_lens->network());
    QVERIFY(m_lens->setParameters(m_file.model->snapshot()));
    QVERIFY(!m_lens->setParameters(std::make_shared<const arma::fvec>(3)));
    QVERIFY(!m_lens->setParameters(nullptr));
}

TrainingSnapshot TestGradientView::snapshotOf(int index)
{
    return pinnedSnapshot(m_file.model->network(), m_file.model->parameters(), *m_data, index);
}

MapGridWidget* TestGradientView::column(const QString& layer) const
{
    for (MapGridWidget* c : m_view->columns())
        if (c->key() == layer) return c;
    return nullptr;
}

void TestGradientView::activationsByDefault()
{
    m_lens->show(snapshotOf(0));
    QCOMPARE(m_lens->mode(), SampleLens::Mode::Activations);
    QVERIFY(column(QStringLiteral("conv2d")));
    QCOMPARE(column(QStringLiteral("conv2d"))->subtitle(), QStringLiteral("28x28x6"));
    QCOMPARE(column(QStringLiteral("conv2d"))->scale().kind(), ColorScaleKind::Sequential);
    QCOMPARE(m_view->inputGrid()->scale().kind(), ColorScaleKind::Grey);
}

void TestGradientView::gradientColumnsMatchTheBackwardPass()
{
    m_lens->setMode(SampleLens::Mode::Gradients);
    QVERIFY(m_lens->hasGradients());
    const int label = m_data->test_labels[0];
    QCOMPARE(m_lens->gradientTarget(), label); // the true label by default
    // The expected numbers, from the core directly.
    cs::Tensor<float> x = m_lens->shown().input;
    cs::Workspace<float> ws;
    const cs::SampleGradients<float> g =
        cs::sample_gradients(m_file.model->network(), m_file.model->parameters(), x, std::size_t(label), ws);
    const QStringList names{"conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1"};
    for (int i = 0; i < names.size(); ++i) {
        MapGridWidget* c = column(names[i]);
        QVERIFY(c);
        QCOMPARE(c->key(), names[i]);
        QCOMPARE(c->title(), (QStringList{"Conv 1", "Pool 1", "Conv 2", "Pool 2"}[i]));
        QCOMPARE(c->subtitle(), shapeText(g.output_gradients[std::size_t(i)].shape()));
        QCOMPARE(c->scale().kind(), ColorScaleKind::Diverging);
        const cs::Tensor<float>& dA = g.output_gradients[std::size_t(i)];
        const std::size_t h = dA.dim(0), w = dA.dim(1), ch = dA.dim(2);
        QCOMPARE(c->mapCount(), int(ch));
        for (std::size_t k = 0; k < ch; k += 3)
            for (std::size_t r = 0; r < h; r += 2)
                for (std::size_t q = 0; q < w; q += 3)
                    QCOMPARE(c->value(int(k), int(r), int(q)), dA.data()[(r * w + q) * ch + k]);
        // Symmetric about zero.
        QCOMPARE(c->scale().range().low, -c->scale().range().high);
    }
    QCOMPARE(m_view->inputGrid()->scale().kind(), ColorScaleKind::Diverging);
    QCOMPARE(m_view->inputGrid()->title(), QStringLiteral("saliency"));
    QCOMPARE(m_view->inputGrid()->value(0, 14, 14), g.input_gradient.data()[14 * 28 + 14]);
}

void TestGradientView::maxPoolGradientIsZeroOutsideWinners()
{
    // The lens has just run this sample: its workspace holds the pools' winners.
    for (const auto& [conv, pool] : {std::pair{QStringLiteral("conv2d"), std::size_t(1)},
                                     std::pair{QStringLiteral("conv2d_1"), std::size_t(3)}}) {
        QVERIFY(dynamic_cast<const cs::Pool2D<float>*>(&m_lens->network()->layer(pool)));
        const std::vector<std::uint32_t>& kept = m_lens->workspace().scratch(pool).winners;
        const std::set<std::uint32_t> winners(kept.begin(), kept.end());
        MapGridWidget* c = column(conv);
        const int h = c->mapHeight(), w = c->mapWidth(), ch = c->mapCount();
        int nonzeroWinners = 0;
        for (int k = 0; k < ch; ++k)
            for (int r = 0; r < h; ++r)
                for (int q = 0; q < w; ++q) {
                    const auto flat = std::uint32_t((r * w + q) * ch + k);
                    const float v = c->value(k, r, q);
                    if (!winners.count(flat)) QCOMPARE(v, 0.0f);
                    else nonzeroWinners += v != 0;
                }
        QVERIFY(nonzeroWinners > 0);
    }
}

void TestGradientView::chosenClassChangesTheGradients()
{
    const float before = column(QStringLiteral("max_pooling2d_1"))->value(0, 2, 2);
    const int other = (m_data->test_labels[0] + 1) % 10;
    m_lens->setTarget(other);
    QCOMPARE(m_lens->gradientTarget(), other);
    QVERIFY(column(QStringLiteral("max_pooling2d_1"))->value(0, 2, 2) != before ||
            column(QStringLiteral("max_pooling2d_1"))->value(1, 1, 1) != 0);
    m_lens->setTarget(SampleLens::predictedClass);
    QCOMPARE(m_lens->gradientTarget(), m_lens->shown().predicted);
    m_lens->setTarget(SampleLens::trueLabel);
}

void TestGradientView::drawingReplacesThePinnedSample()
{
    // A vertical bar: a one.
    cs::Tensor<float> one(cs::Shape{28, 28, 1});
    for (int r = 4; r < 24; ++r)
        for (int c = 13; c < 16; ++c) one.data()[r * 28 + c] = 1;
    m_lens->setMode(SampleLens::Mode::Activations);
    m_lens->pinDrawing(one);
    QVERIFY(m_lens->drawingPinned());
    QCOMPARE(m_lens->shown().pinnedIndex, -1);
    QCOMPARE(m_lens->shown().predicted, 1);
    QCOMPARE(m_view->inputGrid()->value(0, 10, 14), 1.0f);
    QCOMPARE(m_view->inputGrid()->value(0, 10, 5), 0.0f);
    // A new snapshot (training went on): still the drawing.
    m_lens->show(snapshotOf(5));
    QCOMPARE(m_view->inputGrid()->value(0, 10, 14), 1.0f);
    // Gradients of a drawing: for the class it is read as.
    m_lens->setMode(SampleLens::Mode::Gradients);
    QCOMPARE(m_lens->gradientTarget(), 1);
    m_lens->unpinDrawing();
    QCOMPARE(m_lens->shown().pinnedIndex, 5);
    m_lens->setMode(SampleLens::Mode::Activations);
}

void TestGradientView::controlsSwitchTheMode()
{
    GradientControls controls;
    controls.setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    connect(&controls, &GradientControls::modeChanged, m_lens.get(), [this](bool on) {
        m_lens->setMode(on ? SampleLens::Mode::Gradients : SampleLens::Mode::Activations);
    });
    connect(&controls, &GradientControls::targetChanged, m_lens.get(), &SampleLens::setTarget);
    controls.show();
    auto* gradients = controls.findChild<QRadioButton*>(QStringLiteral("gradientsButton"));
    auto* combo = controls.findChild<QComboBox*>(QStringLiteral("gradientTargetCombo"));
    QVERIFY(gradients && combo);
    QVERIFY(!combo->isEnabled());
    QTest::mouseClick(gradients, Qt::LeftButton);
    QCOMPARE(m_lens->mode(), SampleLens::Mode::Gradients);
    QVERIFY(combo->isEnabled());
    combo->setCurrentIndex(combo->findData(4));
    QCOMPARE(m_lens->target(), 4);
    QCOMPARE(m_lens->gradientTarget(), 4);
    controls.setExplanation(4, false, 1.5);
    QVERIFY(controls.findChild<QLabel*>(QStringLiteral("gradientExplanation"))->text().contains(QStringLiteral("p(<b>4</b>)")));
    controls.setGradients(false);
    QCOMPARE(m_lens->mode(), SampleLens::Mode::Activations);
    QCOMPARE(column(QStringLiteral("conv2d_1"))->subtitle(), QStringLiteral("10x10x16"));
    QCOMPARE(m_view->inputGrid()->subtitle(), QStringLiteral("28x28x1"));
    m_lens->setTarget(SampleLens::trueLabel);
}

void TestGradientView::normChartOneLinePerLayer()
{
    GradientNormChart chart;
    chart.append(1, {{"conv2d", 0.5}, {"conv2d_1", 0.2}, {"dense", 0.1}});
    chart.append(2, {{"conv2d", 0.4}, {"conv2d_1", 0.0}, {"dense", 0.05}}); // 0: not on a log scale
    chart.append(2, {{"conv2d", 9.0}});                                    // the same step again: ignored
    QCOMPARE(chart.lineCount(), 3);
    QCOMPARE(chart.pointCount(0), 2);
    QCOMPARE(chart.pointCount(1), 1);
    for (int s = 3; s < GradientNormChart::maxPoints + 10; ++s) chart.append(quint64(s), {{"conv2d", 1.0 / s}});
    QVERIFY(chart.pointCount(0) <= GradientNormChart::maxPoints);
    // A full line: each two neighbours become their geometric mean, at their
    // mean step. Norms 4 at even steps and 1 at odd ones become 2s.
    chart.clear();
    for (int s = 1; s <= GradientNormChart::maxPoints; ++s) chart.append(quint64(s), {{"dense", s % 2 ? 1.0 : 4.0}});
    QCOMPARE(chart.pointCount(0), GradientNormChart::maxPoints);
    chart.append(quint64(GradientNormChart::maxPoints + 1), {{"dense", 8.0}});
    const QList<QPointF> halved = chart.points(0);
    QCOMPARE(halved.size(), GradientNormChart::maxPoints / 2 + 1);
    QCOMPARE(halved[0], QPointF(1.5, 2.0));
    QCOMPARE(halved[GradientNormChart::maxPoints / 2 - 1], QPointF(GradientNormChart::maxPoints - 0.5, 2.0));
    QCOMPARE(halved.back(), QPointF(GradientNormChart::maxPoints + 1, 8.0));
    chart.append(1, {{"conv2d", 0.3}}); // back in time: a new run
    QCOMPARE(chart.lineCount(), 1);
    QCOMPARE(chart.pointCount(0), 1);
}

void TestGradientView::normChartDrawsWithTheSnapshot()
{
    // Shown, the chart draws new points at once when its last redraw is
    // 250 ms old (with the picture that brought them), else a little later.
    GradientNormChart chart;
    chart.resize(400, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QTest::qWait(300);
    const auto drawn = [&chart] {
        const QList<QAbstractSeries*> series = chart.view()->chart()->series();
        return series.isEmpty() ? qsizetype(0) : static_cast<QXYSeries*>(series.first())->count();
    };
    chart.append(1, {{"conv2d", 0.5}});
    QCOMPARE(drawn(), 1);
    chart.append(2, {{"conv2d", 0.4}});
    QCOMPARE(drawn(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(drawn(), 2, 1000);
}

QTEST_MAIN(TestGradientView)
void TestGradientView::colourScalesMatchTheirSources()
{
    // The ends and middles of matplotlib's viridis and ColorBrewer's RdBu
    // (blue low, red high), as published; beyond the range clamped; NaN
    // magenta, never a colour of the scale.
    const ColorScale viridis(ColorScaleKind::Sequential, {0, 1});
    QCOMPARE(viridis.color(0), qRgb(68, 1, 84));
    QCOMPARE(viridis.color(0.5f), qRgb(33, 145, 140));
    QCOMPARE(viridis.color(1), qRgb(253, 231, 37));
    QCOMPARE(viridis.color(-5), qRgb(68, 1, 84));
    QCOMPARE(viridis.color(7), qRgb(253, 231, 37));
    const ColorScale rdbu(ColorScaleKind::Diverging, {-2, 2});
    QCOMPARE(rdbu.color(-2), qRgb(33, 102, 172));
    QCOMPARE(rdbu.color(0), qRgb(247, 247, 247));
    QCOMPARE(rdbu.color(2), qRgb(178, 24, 43));
    QCOMPARE(rdbu.color(std::numeric_limits<float>::quiet_NaN()), qRgb(255, 0, 255));
    // Between stops: within one unit of the linear blend (RdBu 0.25 lies
    // halfway between its 0.167 and 0.333 stops).
    const QRgb quarter = rdbu.color(-1);
    QVERIFY(std::abs(qRed(quarter) - (103 + 209) / 2) <= 2);
    QVERIFY(std::abs(qGreen(quarter) - (169 + 229) / 2) <= 2);
    QVERIFY(std::abs(qBlue(quarter) - (207 + 240) / 2) <= 2);
    const ColorScale grey(ColorScaleKind::Grey, {0, 1});
    QCOMPARE(grey.color(0.5f), qRgb(128, 128, 128));
}

#include "tst_gradientview.moc"
