// The drawing pad and its classifier panel driven with the mouse: strokes
// drawn with QTest::mousePress/mouseMove/mouseRelease become MNIST-style
// digits that the shipped model reads; Clear, Undo, Escape, Ctrl+Z; the
// conversion is coalesced, not run per mouse event.
#include "digitclassifierpanel.h"
#include "drawingpad.h"
#include "probabilitybars.h"
#include "shippedmodel.h"

#include <QFile>
#include <QLabel>
#include <QAbstractButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>

#include <cmath>
#include <memory>

class TestDrawingPad : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void shippedModelIsCompiledIn();
    void drawnOneIsReadAsOne();
    void drawnZeroIsReadAsZero();
    void drawnSevenIsReadAsSeven();
    void clearEmptiesCanvasAndPrediction();
    void undoTakesBackTheLastStroke();
    void escapeAndCtrlZ();
    void conversionIsCoalesced();
    void strokeWidthSlider();
    void resizeKeepsTheDrawing();
    void modelWithOtherInputIsRefusedPolitely();

private:
    // A stroke through points given in pad fractions (0..1), with mouse
    // moves every few pixels in between, as a hand would make them.
    void stroke(const std::vector<QPointF>& points);
    void clearPad();

    std::unique_ptr<DigitClassifierPanel> m_panel;
    DrawingPad* m_pad = nullptr;
};

void TestDrawingPad::initTestCase()
{
    m_panel = std::make_unique<DigitClassifierPanel>();
    m_panel->resize(720, 440);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    m_pad = m_panel->findChild<DrawingPad*>(QStringLiteral("drawingPad"));
    QVERIFY(m_pad);
    QVERIFY(m_pad->width() >= 200 && m_pad->height() >= 200);
    QVERIFY(m_panel->loadShippedModel());
    QVERIFY(m_panel->network());
    QCOMPARE(m_panel->predicted(), -1);
}

void TestDrawingPad::shippedModelIsCompiledIn()
{
    QCOMPARE(shippedModelPath(), QStringLiteral("shipped"));
    const cs::ModelFile file = loadShippedModel();
    QCOMPARE(file.model->parameter_count(), std::size_t(61706));
}

void TestDrawingPad::stroke(const std::vector<QPointF>& points)
{
    const QRect r = m_pad->rect();
    const int side = std::min(r.width(), r.height());
    const QPoint origin((r.width() - side) / 2, (r.height() - side) / 2);
    const auto at = [&](const QPointF& f) { return origin + QPoint(int(f.x() * side), int(f.y() * side)); };
    QTest::mousePress(m_pad, Qt::LeftButton, Qt::NoModifier, at(points.front()));
    for (std::size_t i = 1; i < points.size(); ++i) {
        const QPointF a = points[i - 1], b = points[i];
        const int n = std::max(1, int(std::hypot(b.x() - a.x(), b.y() - a.y()) * side / 6));
        for (int k = 1; k <= n; ++k) QTest::mouseMove(m_pad, at(a + (b - a) * (double(k) / n)));
    }
    QTest::mouseRelease(m_pad, Qt::LeftButton, Qt::NoModifier, at(points.back()));
}

void TestDrawingPad::clearPad()
{
    QTest::mouseClick(m_panel->findChild<QAbstractButton*>(QStringLiteral("clearButton")), Qt::LeftButton);
    QVERIFY(m_pad->isEmpty());
}

void TestDrawingPad::drawnOneIsReadAsOne()
{
    clearPad();
    QSignalSpy classified(m_panel.get(), &DigitClassifierPanel::classified);
    // A slightly slanted one, off-centre and small: the preprocessing centres it.
    stroke({{0.36, 0.18}, {0.30, 0.62}});
    QVERIFY(classified.count() >= 1);
    QVERIFY(m_panel->hasDigit());
    QCOMPARE(m_panel->predicted(), 1);
    QCOMPARE(m_panel->findChild<QLabel*>(QStringLiteral("predictionLabel"))->text(), QStringLiteral("1"));
    QCOMPARE(m_panel->bars()->predicted(), 1);
    // The network's input is MNIST-like: ink white on black, the box 20 high.
    const cs::Tensor<float> x = m_panel->networkInput();
    QCOMPARE(x.shape(), (cs::Shape{28, 28, 1}));
    int top = 28, bottom = -1;
    for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c)
            if (x.data()[r * 28 + c] > 0) top = std::min(top, r), bottom = std::max(bottom, r);
    QCOMPARE(bottom - top + 1, 20);
    QCOMPARE(x.data()[0], 0.0f); // the corner is black
}

void TestDrawingPad::drawnZeroIsReadAsZero()
{
    clearPad();
    std::vector<QPointF> ring;
    for (int k = 0; k <= 40; ++k) {
        const double a = -M_PI / 2 + 2 * M_PI * k / 40.0;
        ring.emplace_back(0.55 + 0.22 * std::cos(a), 0.5 + 0.32 * std::sin(a));
    }
    stroke(ring);
    QCOMPARE(m_panel->predicted(), 0);
    QVERIFY(m_panel->probabilities()[0] > 0.5f);
}

void TestDrawingPad::drawnSevenIsReadAsSeven()
{
    clearPad();
    stroke({{0.25, 0.2}, {0.72, 0.2}, {0.45, 0.85}});
    QCOMPARE(m_panel->predicted(), 7);
}

void TestDrawingPad::clearEmptiesCanvasAndPrediction()
{
    clearPad();
    stroke({{0.5, 0.2}, {0.5, 0.8}});
    QVERIFY(m_panel->predicted() >= 0);
    QSignalSpy classified(m_panel.get(), &DigitClassifierPanel::classified);
    clearPad();
    QCOMPARE(classified.count(), 1);
    QCOMPARE(classified.last().at(2).toInt(), -1);
    QCOMPARE(m_pad->strokeCount(), 0);
    QVERIFY(!m_panel->hasDigit());
    QCOMPARE(m_panel->predicted(), -1);
    QVERIFY(m_panel->probabilities().empty());
    QVERIFY(m_panel->bars()->probabilities().empty());
    QCOMPARE(arma::accu(m_panel->networkInput().flat()), 0.0f);
    // The sheet is white again.
    const QImage img = m_pad->image().convertToFormat(QImage::Format_Grayscale8);
    for (int y = 0; y < img.height(); y += 7)
        for (int x = 0; x < img.width(); x += 7) QCOMPARE(qGray(img.pixel(x, y)), 255);
    QVERIFY(!m_panel->findChild<QAbstractButton*>(QStringLiteral("clearButton"))->isEnabled());
}

void TestDrawingPad::undoTakesBackTheLastStroke()
{
    clearPad();
    stroke({{0.3, 0.2}, {0.3, 0.8}});
    const cs::Tensor<float> one = m_panel->networkInput();
    stroke({{0.6, 0.2}, {0.6, 0.8}});
    QCOMPARE(m_pad->strokeCount(), 2);
    QTest::mouseClick(m_panel->findChild<QAbstractButton*>(QStringLiteral("undoButton")), Qt::LeftButton);
    QCOMPARE(m_pad->strokeCount(), 1);
    // Redrawn from the strokes that remain: the same digit as before.
    QVERIFY(arma::approx_equal(m_panel->networkInput().flat(), one.flat(), "absdiff", 1e-6f));
    QTest::mouseClick(m_panel->findChild<QAbstractButton*>(QStringLiteral("undoButton")), Qt::LeftButton);
    QVERIFY(m_pad->isEmpty());
    QCOMPARE(m_panel->predicted(), -1);
}

void TestDrawingPad::escapeAndCtrlZ()
{
    clearPad();
    stroke({{0.3, 0.2}, {0.3, 0.8}});
    stroke({{0.2, 0.2}, {0.4, 0.2}});
    m_pad->setFocus();
    QTest::keyClick(m_pad, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(m_pad->strokeCount(), 1);
    QVERIFY(m_panel->hasDigit());
    QTest::keyClick(m_pad, Qt::Key_Escape);
    QVERIFY(m_pad->isEmpty());
    QVERIFY(!m_panel->hasDigit());
    QCOMPARE(m_panel->predicted(), -1);
}

void TestDrawingPad::conversionIsCoalesced()
{
    clearPad();
    QSignalSpy changed(m_pad, &DrawingPad::digitChanged);
    QSignalSpy images(m_pad, &DrawingPad::drawingChanged);
    const QPoint start = m_pad->rect().center() - QPoint(0, 80);
    QTest::mousePress(m_pad, Qt::LeftButton, Qt::NoModifier, start);
    for (int k = 1; k <= 60; ++k) QTest::mouseMove(m_pad, start + QPoint(k % 3, k * 3));
    // Sixty moves within one frame: nothing converted yet...
    QCOMPARE(changed.count(), 0);
    // ...then one conversion on the next tick,
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(images.count(), 1);
    // and one more when the stroke ends.
    QTest::mouseRelease(m_pad, Qt::LeftButton, Qt::NoModifier, start + QPoint(0, 180));
    QCOMPARE(changed.count(), 2);
    QVERIFY(!changed.last().at(0).value<cs::DigitImage>().empty);
}

void TestDrawingPad::strokeWidthSlider()
{
    auto* slider = m_panel->findChild<QSlider*>(QStringLiteral("strokeWidthSlider"));
    QVERIFY(slider);
    slider->setValue(40);
    QCOMPARE(m_pad->strokeWidth(), 40.0);
    clearPad();
    stroke({{0.5, 0.45}, {0.5, 0.55}});
    const double thick = arma::accu(m_panel->networkInput().flat());
    slider->setValue(10);
    clearPad();
    stroke({{0.5, 0.45}, {0.5, 0.55}});
    const double thin = arma::accu(m_panel->networkInput().flat());
    // The same short stroke, scaled to the same 20 px: the thin pen's is
    // a narrower bar, so less ink.
    QVERIFY2(thin < thick * 0.6, qPrintable(QStringLiteral("%1 vs %2").arg(thin).arg(thick)));
    slider->setValue(24);
}

void TestDrawingPad::resizeKeepsTheDrawing()
{
    clearPad();
    stroke({{0.36, 0.18}, {0.30, 0.62}});
    const int before = m_panel->predicted();
    const cs::Tensor<float> x = m_panel->networkInput();
    m_panel->resize(900, 560);
    QTRY_VERIFY(m_pad->image().width() > 300);
    m_pad->flush();
    QCOMPARE(m_pad->strokeCount(), 1);
    QCOMPARE(m_panel->predicted(), before);
    // Another resolution, nearly the same digit.
    QVERIFY(arma::accu(arma::abs(m_panel->networkInput().flat() - x.flat())) < 20);
    m_panel->resize(720, 440);
}

void TestDrawingPad::modelWithOtherInputIsRefusedPolitely()
{
    DigitClassifierPanel panel;
    const auto colour = cs::make_model<float>({32, 32, 3}, loadShippedModel().model->architecture(), 1);
    panel.setModel(colour->shared_network(), colour->snapshot(), QStringLiteral("a colour model"));
    panel.pad()->addStroke({{0.5, 0.2}, {0.5, 0.8}});
    panel.pad()->flush();
    QVERIFY(panel.hasDigit());
    QCOMPARE(panel.predicted(), -1);
    QVERIFY(panel.findChild<QLabel*>(QStringLiteral("modelCaption"))->text().contains(QStringLiteral("32x32x3")));
    QVERIFY(!panel.setParameters(std::make_shared<const arma::fvec>(5, arma::fill::zeros), QStringLiteral("wrong")));
    QVERIFY(!panel.setParameters(nullptr, QStringLiteral("none")));
}

QTEST_MAIN(TestDrawingPad)
#include "tst_drawingpad.moc"
