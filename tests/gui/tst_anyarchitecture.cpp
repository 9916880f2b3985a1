// Every view takes any architecture: a network unlike LeNet-5 (RGB 32x32x3
// input, 64 and 128 filters, a stride-2 convolution, an overlapping 3x3/2
// pool, a 1x1 kernel, a 1x1 map, a dense layer of 1000 units and one of 3)
// through the network view, the kernel view, the map inspector and the
// gradient view, fed the snapshot the worker would send.
//
// CONVSCOPE_SHOTS=DIR writes what the views look like to DIR as PNGs (to be
// looked at; nothing is compared with them).
#include "gradientcompute.h"
#include "kernelview.h"
#include "layernames.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "networkview.h"
#include "samplelens.h"

#include "loss.hpp"
#include "saliency.hpp"
#include "sequential.hpp"

#include <QCheckBox>
#include <QScrollArea>
#include <QDir>
#include <QScrollBar>
#include <QTest>
#include <QWheelEvent>

#include <cmath>
#include <memory>

namespace {

cs::LayerSpec conv(std::size_t filters, std::size_t k, std::size_t stride, cs::Padding padding)
{
    return {"conv2d", filters, {k, k}, {stride, stride}, padding, cs::Activation::relu};
}

cs::LayerSpec pool(const char* kind, std::size_t k, std::size_t stride)
{
    return {kind, 0, {k, k}, {stride, stride}, cs::Padding::valid, cs::Activation::linear};
}

cs::LayerSpec dense(std::size_t units, cs::Activation activation)
{
    return {"dense", units, {0, 0}, {1, 1}, cs::Padding::valid, activation};
}

// As the worker drops it: (1, h, w, c) -> (h, w, c), (1, n) -> (n,).
cs::Tensor<float> dropBatchAxis(const cs::Tensor<float>& t)
{
    cs::Tensor<float> out = t;
    if (t.rank() == 4) out.reshape({t.dim(1), t.dim(2), t.dim(3)});
    else if (t.rank() == 2) out.reshape({t.dim(1)});
    return out;
}

void shoot(QWidget& w, const QString& name)
{
    const QString dir = qEnvironmentVariable("CONVSCOPE_SHOTS");
    if (dir.isEmpty()) return;
    QDir().mkpath(dir);
    w.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestAnyArchitecture : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void networkViewListsEveryLayerWithItsShape();
    void manyMapsStayLegibleAndScroll();
    void longDenseStripWrapsAndScrolls();
    void kernelsOnColourInputAreColourPatches();
    void kernelsOfAnySizeAndDepth();
    void inspectorTakesStripsAndTinyMaps();
    void gradientsOfEveryLayer();
    void otherLayerKindsAreNamed();
    void deepStackScrollsSideways();

private:
    MapGridWidget* column(const QString& key) const { return m_view->column(key); }

    std::unique_ptr<cs::Sequential<float>> m_model;
    TrainingSnapshot m_snapshot;
    std::unique_ptr<NetworkView> m_view;
};

void TestAnyArchitecture::initTestCase()
{
    registerTrainingTypes();
    using P = cs::Padding;
    m_model = cs::make_model<float>({32, 32, 3},
                                    {conv(64, 3, 1, P::same),               // 32x32x64
                                     pool("max_pooling2d", 3, 2),           // 15x15x64, overlapping windows
                                     conv(128, 3, 2, P::valid),             // 7x7x128
                                     conv(16, 1, 1, P::valid),              // 7x7x16, a 1x1 kernel
                                     pool("average_pooling2d", 7, 1),       // 1x1x16
                                     {"flatten"},                           // 16
                                     dense(1000, cs::Activation::relu),     // 1000
                                     dense(3, cs::Activation::tanh),        // 3
                                     dense(10, cs::Activation::linear)},    // 10 logits
                                    7);
    // A colourful input: red left, green at the top, blue noise.
    cs::Tensor<float> x(cs::Shape{1, 32, 32, 3});
    for (std::size_t r = 0; r < 32; ++r)
        for (std::size_t c = 0; c < 32; ++c) {
            float* p = x.data() + (r * 32 + c) * 3;
            p[0] = c < 16 ? 0.9f : 0.1f;
            p[1] = r < 16 ? 0.8f : 0.2f;
            p[2] = float((r * 7 + c * 13) % 10) / 10;
        }
    // What the worker sends (trainingworker.cpp, emitSnapshot).
    cs::Workspace<float> ws;
    const cs::Tensor<float>& logits = m_model->forward(x, ws);
    TrainingSnapshot& s = m_snapshot;
    s.pinnedTest = true;
    s.pinnedLabel = 2;
    s.input = dropBatchAxis(x);
    for (std::size_t i = 0; i < m_model->layer_count(); ++i)
        s.layers.push_back({QString::fromStdString(m_model->layer(i).name()), QString::fromStdString(m_model->layer(i).kind()),
                            dropBatchAxis(ws.output(i))});
    cs::Tensor<float> probs;
    cs::softmax(logits, probs);
    s.probabilities.assign(probs.data(), probs.data() + probs.size());
    s.predicted = int(std::max_element(s.probabilities.begin(), s.probabilities.end()) - s.probabilities.begin());
    s.network = m_model->shared_network();
    s.parameters = m_model->snapshot();
    for (std::size_t i = 0; i < m_model->layer_count(); ++i)
        for (const cs::ParameterShape& p : s.network->layer_parameter_shapes(i))
            if (p.name == "kernel" && m_model->layer(i).kind() == "conv2d")
                s.kernels.push_back({QString::fromStdString(m_model->layer(i).name()), QStringLiteral("kernel"),
                                     cs::Tensor<float>(p.shape, s.parameters->subvec(p.offset, p.offset + p.shape.elements() - 1))});
    QCOMPARE(s.kernels.size(), std::size_t(3));

    m_view = std::make_unique<NetworkView>();
    m_view->setClassNames({"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
    m_view->resize(1400, 420);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    m_view->showSnapshot(s);
    QCoreApplication::processEvents();
    shoot(*m_view, QStringLiteral("networkview"));
}

void TestAnyArchitecture::networkViewListsEveryLayerWithItsShape()
{
    // Names for every layer; a column for each but flatten and the output.
    QCOMPARE(m_view->layerNames().size(), m_snapshot.layers.size());
    QCOMPARE(m_view->columns().size(), std::size_t(1 + m_snapshot.layers.size() - 2));
    QVERIFY(m_view->inputGrid()->isRgb());
    QCOMPARE(m_view->inputGrid()->mapCount(), 1);
    QCOMPARE(m_view->inputGrid()->value(0, 3, 2, 0), 0.9f); // red on the left
    const QStringList expected{"32x32x64", "15x15x64", "7x7x128", "7x7x16", "1x1x16", "16", "1000", "3", "10"};
    for (std::size_t i = 0; i < m_snapshot.layers.size(); ++i) {
        const LayerOutput& l = m_snapshot.layers[i];
        QCOMPARE(shapeText(l.values.shape()), expected[int(i)]);
        QVERIFY(!m_view->layerNames()[i].title.isEmpty());
        if (l.kind == QLatin1String("flatten") || i + 1 == m_snapshot.layers.size()) {
            QVERIFY(!column(l.name));
            continue;
        }
        MapGridWidget* c = column(l.name);
        QVERIFY2(c, qPrintable(l.name));
        QCOMPARE(c->subtitle(), expected[int(i)]);
        QCOMPARE(c->title(), m_view->layerNames()[i].title);
        QVERIFY2(c->width() > 0 && c->isVisible(), qPrintable(l.name));
    }
    QCOMPARE(m_view->layerNames()[2].detail, QStringLiteral("128 filters 3\u00d73 \u00b7 valid \u00b7 stride 2 \u00b7 ReLU"));
    QCOMPARE(m_view->layerNames()[1].detail, QStringLiteral("max 3\u00d73 / 2"));
    QCOMPARE(m_view->layerNames()[8].title, QStringLiteral("Output"));
    // A 1x1 spatial output: 16 maps of one value each.
    QCOMPARE(column(QStringLiteral("average_pooling2d"))->mapCount(), 16);
    QVERIFY(column(QStringLiteral("average_pooling2d"))->mapRect(0).width() >= MapGridWidget::legibleMapPixels);
}

void TestAnyArchitecture::manyMapsStayLegibleAndScroll()
{
    for (const QString& key : {QStringLiteral("conv2d"), QStringLiteral("conv2d_1")}) {
        MapGridWidget* c = column(key);
        QVERIFY(c);
        const int n = key == QLatin1String("conv2d") ? 64 : 128;
        QCOMPARE(c->mapCount(), n);
        QVERIFY2(c->shapeLine().contains(QStringLiteral("%1 maps").arg(n)), qPrintable(c->shapeLine()));
        for (int i = 0; i < n; ++i) QVERIFY(c->mapRect(i).width() >= MapGridWidget::legibleMapPixels);
        // Every map is in view or the grid scrolls to it.
        bool allShown = true;
        for (int i = 0; i < n; ++i) allShown = allShown && c->gridArea().contains(c->mapRect(i));
        QVERIFY2(allShown || c->scrolls(), qPrintable(key));
    }
    // 128 maps in a 420-pixel view cannot all be shown legibly: it scrolls.
    MapGridWidget* wide = column(QStringLiteral("conv2d_1"));
    QVERIFY(wide->scrolls());
    const QRect first = wide->mapRect(0), last = wide->mapRect(127);
    QVERIFY(!wide->gridArea().contains(last));
    QWheelEvent wheel(QPointF(first.center()), wide->mapToGlobal(QPointF(first.center())), QPoint(), QPoint(0, -120 * 40),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(wide, &wheel);
    QVERIFY(wide->scrollOffset() > 0);
    QVERIFY(wide->mapRect(0).y() < first.y());
    QVERIFY2(wide->gridArea().contains(wide->mapRect(127)), "the wheel brings the last map into view");
    wide->scrollTo(0);
    QCOMPARE(wide->mapRect(0), first);

    // Alone in a small rectangle, 64 maps of 32x32 wrap and scroll too.
    MapGridWidget grid;
    grid.resize(160, 200);
    grid.setMaps(QStringLiteral("Conv 1"), m_snapshot.layers[0].values, ColorScaleKind::Sequential);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QVERIFY(grid.scrolls());
    QVERIFY(grid.mapRect(0).width() >= MapGridWidget::legibleMapPixels);
    QVERIFY(grid.mapRect(1).x() > grid.mapRect(0).right()); // wrapped into columns, not one thin column
    QCOMPARE(grid.mapRect(1).y(), grid.mapRect(0).y());
    // A click on a scrolled-in map reports that map.
    grid.scrollTo(grid.findChild<QScrollBar*>(QStringLiteral("mapScrollBar"))->maximum());
    int clicked = -1;
    connect(&grid, &MapGridWidget::mapClicked, this, [&](int i) { clicked = i; });
    QTest::mouseClick(&grid, Qt::LeftButton, {}, grid.mapRect(63).center());
    QCOMPARE(clicked, 63);
}

void TestAnyArchitecture::longDenseStripWrapsAndScrolls()
{
    MapGridWidget* strip = column(QStringLiteral("dense"));
    QVERIFY(strip);
    QVERIFY(strip->isStrip());
    QCOMPARE(strip->unitCount(), 1000);
    // Every unit at least minimumUnitPixels high: wrapped into columns of
    // units (and scrolled beyond), never a pixel or less each.
    int columns = 0, drawn = 0;
    for (int j = 0; strip->mapRect(j).isValid(); ++j) {
        ++columns;
        drawn += strip->mapRect(j).height();
    }
    QVERIFY(columns > 1);
    QVERIFY2(drawn >= 1000 * MapGridWidget::minimumUnitPixels, qPrintable(QString::number(drawn)));
    QCOMPARE(strip->unitAt(strip->mapRect(0).topLeft() + QPoint(1, 0)), 0);
    QCOMPARE(strip->unitAt(strip->mapRect(0).topLeft() + QPoint(1, MapGridWidget::minimumUnitPixels)) >= 1, true);
    const int lastColumn = columns - 1;
    strip->scrollTo(1 << 20);
    const QRect r = strip->mapRect(lastColumn);
    QCOMPARE(strip->unitAt(QPoint(r.center().x(), r.bottom())), 999);
    QCOMPARE(strip->value(0, 999, 0), m_snapshot.layers[6].values.data()[999]);
    strip->scrollTo(0);
    // A dense layer of 3: three tall units in one column.
    MapGridWidget* three = column(QStringLiteral("dense_1"));
    QVERIFY(three && three->isStrip());
    QCOMPARE(three->unitCount(), 3);
    QVERIFY(!three->scrolls());
    QCOMPARE(three->unitAt(three->mapRect(0).center()), 1);
}

void TestAnyArchitecture::kernelsOnColourInputAreColourPatches()
{
    KernelView view;
    view.resize(700, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showKernels(1, m_snapshot.kernels);
    QCoreApplication::processEvents();
    shoot(view, QStringLiteral("kernels"));
    QCOMPARE(view.grids().size(), std::size_t(3));
    MapGridWidget* first = view.grids()[0];
    QVERIFY(first->isRgb());
    QCOMPARE(first->mapCount(), 64); // one colour patch per filter
    QVERIFY(first->property("rgbKernels").toBool());
    QVERIFY(view.colourSwitch()->isVisibleTo(&view));
    // Filter f's patch holds W[:, :, c, f] in channel c.
    const cs::Tensor<float>& W = m_snapshot.kernels[0].values; // (3, 3, 3, 64)
    for (int f : {0, 17, 63})
        for (int c = 0; c < 3; ++c)
            QCOMPARE(first->value(f, 1, 2, c), W.data()[((1 * 3 + 2) * 3 + c) * 64 + f]);
    // Weights on one scale symmetric about 0: a zero weight is mid grey.
    QCOMPARE(first->scale().range().low, -first->scale().range().high);
    // Per channel: the grid of the other layers, a row per input channel.
    view.colourSwitch()->setChecked(false);
    QVERIFY(!first->isRgb());
    QCOMPARE(first->mapCount(), 3 * 64);
    QCOMPARE(first->value(64 + 17, 1, 2), W.data()[((1 * 3 + 2) * 3 + 1) * 64 + 17]);
    view.colourSwitch()->setChecked(true);
    QVERIFY(first->isRgb());
}

void TestAnyArchitecture::kernelsOfAnySizeAndDepth()
{
    KernelView view;
    view.resize(600, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showKernels(1, m_snapshot.kernels);
    QCoreApplication::processEvents();
    // 3x3 on 64 channels, 128 filters: a row per input channel, a column per filter.
    MapGridWidget* deep = view.grids()[1];
    QCOMPARE(deep->mapCount(), 64 * 128);
    QVERIFY(!deep->isRgb());
    QCOMPARE(deep->property("filters").toInt(), 128);
    QVERIFY(deep->mapRect(0).width() >= 3 * 4);
    // A 1x1 kernel is drawn as a patch large enough to see.
    MapGridWidget* pointwise = view.grids()[2];
    QCOMPARE(pointwise->mapWidth(), 1);
    QCOMPARE(pointwise->mapCount(), 128 * 16);
    QVERIFY2(pointwise->mapRect(0).width() >= 10, qPrintable(QString::number(pointwise->mapRect(0).width())));
    QVERIFY(!view.colourSwitch()->isHidden());
    // Without a colour input, no colour switch.
    view.showKernels(2, {m_snapshot.kernels[1], m_snapshot.kernels[2]});
    QVERIFY(view.colourSwitch()->isHidden());
    QCOMPARE(view.grids()[0]->mapCount(), 64 * 128);
}

void TestAnyArchitecture::inspectorTakesStripsAndTinyMaps()
{
    MapInspector inspector;
    inspector.inspect(column(QStringLiteral("dense")), 0);
    QCOMPARE(inspector.stripRowLength(), 32); // 1000 units in rows of 32
    const QImage strip = inspector.renderedMap();
    QVERIFY(!strip.isNull());
    QCOMPARE(strip.width(), strip.height() * 32 / 32);
    inspector.inspect(column(QStringLiteral("average_pooling2d")), 5);
    QCOMPARE(inspector.stripRowLength(), 0);
    QCOMPARE(inspector.renderedMap().size(), QSize(448, 448)); // one value, enlarged
    inspector.inspect(m_view->inputGrid(), 0);
    QCOMPARE(inspector.renderedMap().size(), QSize(448, 448));
    QVERIFY(inspector.windowTitle().contains(QStringLiteral("32x32x3")));
    inspector.close();
}

void TestAnyArchitecture::gradientsOfEveryLayer()
{
    SampleLens lens(m_view.get());
    lens.setNetwork(m_model->shared_network());
    QVERIFY(lens.setParameters(m_model->snapshot()));
    lens.show(m_snapshot);
    lens.setMode(SampleLens::Mode::Gradients);
    QVERIFY(lens.hasGradients());
    cs::Tensor<float> x = m_snapshot.input;
    cs::Workspace<float> ws;
    const cs::SampleGradients<float> g = cs::sample_gradients(m_model->network(), m_model->parameters(), x,
                                                              std::size_t(m_snapshot.pinnedLabel), ws);
    for (std::size_t i : {0, 1, 2, 3, 4, 6, 7}) {
        MapGridWidget* c = column(m_snapshot.layers[i].name);
        QVERIFY(c);
        QCOMPARE(c->scale().kind(), ColorScaleKind::Diverging);
        const cs::Tensor<float>& dA = g.output_gradients[i];
        QCOMPARE(c->values().size(), dA.size());
        for (std::size_t j = 0; j < dA.size(); j += 97) QCOMPARE(c->values().data()[j], dA.data()[j]);
    }
    // The saliency of a colour input: (32, 32, 3).
    QCOMPARE(shapeText(m_view->inputGrid()->values().shape()), QStringLiteral("32x32x3"));
    QCoreApplication::processEvents();
    shoot(*m_view, QStringLiteral("gradients"));
    lens.setMode(SampleLens::Mode::Activations);
}

void TestAnyArchitecture::otherLayerKindsAreNamed()
{
    // Kinds the core is about to learn: named by kind, numbered, keyed by
    // their Keras names, never by where they stand.
    const std::vector<QString> keys{"zero_padding2d", "conv2d", "dropout", "relu", "dropout_1", "flatten", "dense"};
    const std::vector<QString> kinds{"zero_padding2d", "conv2d", "dropout", "relu", "dropout", "flatten", "dense"};
    const std::vector<cs::Shape> shapes{{30, 30, 1}, {28, 28, 4}, {28, 28, 4}, {28, 28, 4}, {28, 28, 4}, {3136}, {10}};
    const std::vector<LayerName> names = nameLayers({28, 28, 1}, {}, keys, kinds, shapes);
    QCOMPARE(names.size(), keys.size());
    QCOMPARE(names[0].title, QStringLiteral("Zero padding"));
    QCOMPARE(names[2].title, QStringLiteral("Dropout"));
    QCOMPARE(names[3].title, QStringLiteral("ReLU"));
    QCOMPARE(names[4].title, QStringLiteral("Dropout 2"));
    QCOMPARE(names[4].detail, QStringLiteral("dropout_1"));
    QVERIFY(names[2].tooltip.contains(QStringLiteral("28\u00d728\u00d74")));
    QCOMPARE(titleForKey(names, QStringLiteral("dropout_1")), QStringLiteral("Dropout 2"));
}

void TestAnyArchitecture::deepStackScrollsSideways()
{
    // Eight conv/pool layers, strides, 'same' and 'valid', an even kernel.
    using P = cs::Padding;
    const auto deep = cs::make_model<float>({64, 64, 1},
                                            {conv(8, 3, 1, P::same),            // 64x64x8
                                             conv(8, 3, 2, P::same),            // 32x32x8
                                             pool("max_pooling2d", 2, 2),       // 16x16x8
                                             conv(16, 5, 1, P::same),           // 16x16x16
                                             pool("max_pooling2d", 3, 2),       // 7x7x16
                                             conv(32, 3, 1, P::valid),          // 5x5x32
                                             conv(32, 2, 1, P::valid),          // 4x4x32
                                             pool("average_pooling2d", 2, 1),   // 3x3x32
                                             {"flatten"},                       // 288
                                             dense(10, cs::Activation::linear)},
                                            3);
    cs::Tensor<float> x(cs::Shape{1, 64, 64, 1});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i % 61) / 60;
    cs::Workspace<float> ws;
    deep->forward(x, ws);
    TrainingSnapshot s;
    s.input = dropBatchAxis(x);
    for (std::size_t i = 0; i < deep->layer_count(); ++i)
        s.layers.push_back({QString::fromStdString(deep->layer(i).name()), QString::fromStdString(deep->layer(i).kind()),
                            dropBatchAxis(ws.output(i))});
    s.probabilities.assign(10, 0.1f);
    s.predicted = 0;
    s.network = deep->shared_network();
    NetworkView view;
    view.resize(700, 380);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showSnapshot(s);
    QCoreApplication::processEvents();
    QCOMPARE(view.columns().size(), std::size_t(1 + 8));
    QCOMPARE(view.layerNames()[1].detail, QStringLiteral("8 filters 3\u00d73 \u00b7 same \u00b7 stride 2 \u00b7 ReLU"));
    QCOMPARE(view.layerNames()[6].title, QStringLiteral("Conv 5"));
    for (MapGridWidget* c : view.columns())
        for (int i = 0; i < c->mapCount(); ++i) QVERIFY2(c->mapRect(i).width() >= MapGridWidget::legibleMapPixels, qPrintable(c->key()));
    // Nine columns do not fit 700 pixels legibly: the row scrolls sideways
    // and asks the window for no more than a screen's width.
    auto* scroll = view.findChild<QScrollArea*>(QStringLiteral("networkScroll"));
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->minimumWidth() <= view.screen()->availableGeometry().width());
    shoot(view, QStringLiteral("deepstack"));
    // Twenty convolutions cannot sit side by side on the screen: the window
    // is asked for no more than the screen, and the row scrolls sideways.
    std::vector<cs::LayerSpec> twenty(20, conv(4, 3, 1, P::same));
    twenty.push_back({"flatten"});
    twenty.push_back(dense(10, cs::Activation::linear));
    const auto deeper = cs::make_model<float>({12, 12, 1}, twenty, 5);
    cs::Tensor<float> small(cs::Shape{1, 12, 12, 1});
    small.data()[40] = 1;
    deeper->forward(small, ws);
    s.input = dropBatchAxis(small);
    s.layers.clear();
    for (std::size_t i = 0; i < deeper->layer_count(); ++i)
        s.layers.push_back({QString::fromStdString(deeper->layer(i).name()), QString::fromStdString(deeper->layer(i).kind()),
                            dropBatchAxis(ws.output(i))});
    s.network = deeper->shared_network();
    view.showSnapshot(s);
    QCOMPARE(view.columns().size(), std::size_t(1 + 20));
    QCOMPARE(view.layerNames()[19].title, QStringLiteral("Conv 20"));
    const int screenWidth = view.screen()->availableGeometry().width();
    QTRY_VERIFY(scroll->minimumWidth() > 0);
    QVERIFY2(scroll->minimumWidth() <= screenWidth, qPrintable(QString::number(scroll->minimumWidth())));
    QTRY_VERIFY(scroll->horizontalScrollBar()->isVisible());
    QVERIFY(scroll->widget()->width() > scroll->viewport()->width());
    for (MapGridWidget* c : view.columns())
        for (int i = 0; i < c->mapCount(); ++i) QVERIFY2(c->mapRect(i).width() >= MapGridWidget::legibleMapPixels, qPrintable(c->key()));
    view.resize(1200, 380);
    QCoreApplication::processEvents();
    shoot(view, QStringLiteral("twentyconvs"));
    // Kernels of every size: 2x2 patches are drawn large enough to see.
    KernelView kernels;
    kernels.resize(500, 400);
    kernels.show();
    std::vector<LayerOutput> all;
    for (std::size_t i = 0; i < deep->layer_count(); ++i)
        for (const cs::ParameterShape& p : deep->network().layer_parameter_shapes(i))
            if (p.name == "kernel" && deep->layer(i).kind() == "conv2d")
                all.push_back({QString::fromStdString(deep->layer(i).name()), QStringLiteral("kernel"),
                               cs::Tensor<float>(p.shape, deep->parameters().subvec(p.offset, p.offset + p.shape.elements() - 1))});
    kernels.showKernels(1, all);
    QCoreApplication::processEvents();
    QCOMPARE(kernels.grids().size(), std::size_t(5));
    QVERIFY(kernels.colourSwitch()->isHidden());
    QCOMPARE(kernels.grids()[4]->mapWidth(), 2);
    QVERIFY(kernels.grids()[4]->mapRect(0).width() >= 10);
    QCOMPARE(kernels.grids()[4]->title(), QStringLiteral("Conv 5 \u00b7 weights"));
}

QTEST_MAIN(TestAnyArchitecture)
#include "tst_anyarchitecture.moc"
