// mnist_from_drawing: synthetic drawings of every size, place, thickness and
// polarity land as MNIST digits do (the ink's box fits 20x20 with its larger
// side 20, the centre of mass at (14, 14)); MNIST digits themselves come out
// (almost) unchanged.
#include "dataset.hpp"
#include "preprocess.hpp"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace cs;

namespace {

// A grayscale canvas (row-major) with anti-aliased thick strokes.
struct Canvas {
    std::size_t h, w;
    std::vector<float> px;
    Canvas(std::size_t height, std::size_t width, float ground = 0) : h(height), w(width), px(height * width, ground) {}

    // A segment (r0, c0)-(r1, c1) of the given width, round caps: each pixel's
    // ink is 1 within width/2 of the segment, fading over one pixel.
    void line(double r0, double c0, double r1, double c1, double width, float ink = 1)
    {
        for (std::size_t r = 0; r < h; ++r)
            for (std::size_t c = 0; c < w; ++c) {
                const double pr = double(r) + 0.5, pc = double(c) + 0.5;
                const double dr = r1 - r0, dc = c1 - c0, len2 = dr * dr + dc * dc;
                double t = len2 > 0 ? ((pr - r0) * dr + (pc - c0) * dc) / len2 : 0;
                t = std::clamp(t, 0.0, 1.0);
                const double d = std::hypot(pr - (r0 + t * dr), pc - (c0 + t * dc));
                const double a = std::clamp(width / 2 + 0.5 - d, 0.0, 1.0);
                float& p = px[r * w + c];
                const float ground = px[r * w + c];
                // Ink over whatever is there (works for both polarities).
                p = float(ground + (ink - ground) * a);
            }
    }
    // A ring (an ellipse outline) as many short segments.
    void ring(double cr, double cc, double rr, double rc, double width, float ink = 1)
    {
        const int n = 64;
        for (int i = 0; i < n; ++i) {
            const double a0 = 2 * M_PI * i / n, a1 = 2 * M_PI * (i + 1) / n;
            line(cr + rr * std::sin(a0), cc + rc * std::cos(a0), cr + rr * std::sin(a1), cc + rc * std::cos(a1), width,
                 ink);
        }
    }
};

struct Box {
    std::size_t top = 28, left = 28, bottom = 0, right = 0;
    std::size_t height() const { return bottom > top ? bottom - top : 0; }
    std::size_t width() const { return right > left ? right - left : 0; }
};

Box ink_box(const Tensor<float>& image)
{
    Box b;
    for (std::size_t r = 0; r < 28; ++r)
        for (std::size_t c = 0; c < 28; ++c)
            if (image(0, r, c, 0) > 0) {
                b.top = std::min(b.top, r);
                b.left = std::min(b.left, c);
                b.bottom = std::max(b.bottom, r + 1);
                b.right = std::max(b.right, c + 1);
            }
    return b;
}

// Everything an MNIST-style digit must satisfy.
void verify_mnist_like(const DigitImage& d)
{
    QVERIFY(!d.empty);
    QCOMPARE(d.image.shape(), (Shape{1, 28, 28, 1}));
    QVERIFY(d.image.flat().min() >= 0.0f);
    QVERIFY(d.image.flat().max() <= 1.0f);
    QVERIFY(d.image.flat().max() > 0.5f);
    const Box b = ink_box(d.image);
    QVERIFY2(b.height() <= 20 && b.width() <= 20,
             qPrintable(QStringLiteral("box %1x%2").arg(b.height()).arg(b.width())));
    const std::size_t larger = std::max(b.height(), b.width());
    QVERIFY2(larger >= 19 && larger <= 20, qPrintable(QStringLiteral("larger side %1").arg(larger)));
    const CentreOfMass com = centre_of_mass(d.image.data(), 28, 28);
    QVERIFY2(com.row >= 13.5 - 1e-9 && com.row < 14.5 && com.column >= 13.5 - 1e-9 && com.column < 14.5,
             qPrintable(QStringLiteral("centre of mass (%1, %2)").arg(com.row).arg(com.column)));
}

} // namespace

class TestPreprocess : public QObject {
    Q_OBJECT

private slots:
    void drawings_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("one, off-centre, top left") << 0;
        QTest::newRow("zero, off-centre, bottom right") << 1;
        QTest::newRow("small (enlarged)") << 2;
        QTest::newRow("large (shrunk 25x)") << 3;
        QTest::newRow("thick strokes") << 4;
        QTest::newRow("thin strokes") << 5;
        QTest::newRow("seven, black on white") << 6;
        QTest::newRow("non-square canvas") << 7;
    }

    void drawings()
    {
        QFETCH(int, kind);
        std::size_t h = 280, w = 280;
        if (kind == 3) h = w = 600;
        if (kind == 7) h = 150, w = 400;
        Canvas cv(h, w, kind == 6 ? 1.0f : 0.0f);
        switch (kind) {
        case 0: cv.line(20, 60, 130, 50, 14); break;
        case 1: cv.ring(200, 200, 50, 35, 12); break;
        case 2: cv.line(100, 100, 108, 104, 2); cv.line(108, 104, 100, 109, 2); break;
        case 3: cv.ring(300, 300, 280, 200, 40); break;
        case 4: cv.ring(140, 140, 90, 60, 50); break;
        case 5: cv.line(40, 140, 240, 130, 1.5); cv.line(40, 140, 80, 110, 1.5); break;
        case 6:
            cv.line(60, 60, 60, 200, 16, 0.0f);
            cv.line(60, 200, 230, 110, 16, 0.0f);
            break;
        case 7: cv.line(20, 300, 130, 330, 10); cv.line(20, 300, 40, 280, 10); break;
        }
        const DigitImage d = mnist_from_drawing(cv.px.data(), h, w);
        verify_mnist_like(d);
        QCOMPARE(d.inverted, kind == 6);
    }

    void blackOnWhiteMatchesWhiteOnBlack()
    {
        Canvas white(200, 200, 0.0f), black(200, 200, 1.0f);
        white.ring(90, 110, 60, 40, 12, 1.0f);
        black.ring(90, 110, 60, 40, 12, 0.0f);
        const DigitImage a = mnist_from_drawing(white.px.data(), 200, 200);
        const DigitImage b = mnist_from_drawing(black.px.data(), 200, 200);
        QVERIFY(!a.inverted);
        QVERIFY(b.inverted);
        QVERIFY(arma::approx_equal(a.image.flat(), b.image.flat(), "absdiff", 1e-5f));
        // Forcing the polarity gives the same as detecting it.
        const DigitImage c = mnist_from_drawing(black.px.data(), 200, 200, Ink::dark);
        QVERIFY(arma::approx_equal(b.image.flat(), c.image.flat(), "absdiff", 1e-5f));
    }

    void greyGroundAndFaintInk()
    {
        // A photo-like page: light grey ground, dark grey ink.
        Canvas cv(120, 90, 0.8f);
        cv.line(20, 45, 100, 40, 8, 0.35f);
        const DigitImage d = mnist_from_drawing(cv.px.data(), 120, 90);
        verify_mnist_like(d);
        QVERIFY(d.inverted);
        QCOMPARE(d.image.flat().max(), 1.0f); // the ink is stretched to full white
    }

    void translationDoesNotMatter()
    {
        Canvas a(300, 300), b(300, 300);
        a.ring(80, 80, 50, 30, 10);
        b.ring(210, 190, 50, 30, 10);
        const DigitImage da = mnist_from_drawing(a.px.data(), 300, 300);
        const DigitImage db = mnist_from_drawing(b.px.data(), 300, 300);
        QVERIFY(arma::approx_equal(da.image.flat(), db.image.flat(), "absdiff", 1e-4f));
    }

    void reportsTheBox()
    {
        Canvas cv(280, 280);
        cv.line(50, 100, 150, 100, 10); // rows 45..155, columns 95..105 (round caps)
        const DigitImage d = mnist_from_drawing(cv.px.data(), 280, 280);
        QVERIFY(!d.empty);
        QVERIFY(d.top >= 43 && d.top <= 45);
        QVERIFY(d.height >= 109 && d.height <= 113);
        QVERIFY(d.width >= 10 && d.width <= 12);
        QCOMPARE(d.rows, std::size_t(20));
        QVERIFY(d.columns == 2); // 11 * 20 / 111, aspect kept
        QCOMPARE(d.scale, 20.0 / double(d.height));
    }

    void empty()
    {
        std::vector<float> blank(280 * 280, 0.0f), white(100 * 50, 1.0f), grey(64 * 64, 0.5f);
        for (const auto* v : {&blank, &white, &grey}) {
            const std::size_t side = v == &blank ? 280 : v == &white ? 100 : 64;
            const DigitImage d = mnist_from_drawing(v->data(), side, v->size() / side);
            QVERIFY(d.empty);
            QCOMPARE(d.image.shape(), (Shape{1, 28, 28, 1}));
            QCOMPARE(d.image.flat().max(), 0.0f);
        }
        // A speck of barely-there ink is no ink.
        Canvas faint(100, 100);
        faint.line(50, 50, 60, 50, 4, 0.05f);
        QVERIFY(mnist_from_drawing(faint.px.data(), 100, 100).empty);
        // No pixels at all is an error, not an empty drawing.
        QVERIFY_THROWS_EXCEPTION(ShapeError, mnist_from_drawing(blank.data(), 0, 10));
    }

    void onePixel()
    {
        // A 1x1 image is all border: automatically, it is ground, so empty.
        const float one = 1.0f, zero = 0.0f;
        QVERIFY(mnist_from_drawing(&one, 1, 1).empty);
        QVERIFY(mnist_from_drawing(&zero, 1, 1).empty);
        // Told that the ink is light, the pixel is a dot blown up to 20x20.
        const DigitImage d = mnist_from_drawing(&one, 1, 1, Ink::light);
        QVERIFY(!d.empty);
        const Box b = ink_box(d.image);
        QCOMPARE(b.height(), std::size_t(20));
        QCOMPARE(b.width(), std::size_t(20));
        // Its centre of mass at 13.5 (MNIST's digits have theirs in [13.5, 14.5)).
        QCOMPARE(b.top, std::size_t(4));
        QCOMPARE(b.left, std::size_t(4));
        // One lit pixel in a larger image: the same square.
        Canvas dot(50, 50);
        dot.px[10 * 50 + 40] = 1;
        const DigitImage e = mnist_from_drawing(dot.px.data(), 50, 50);
        QVERIFY(arma::approx_equal(d.image.flat(), e.image.flat(), "absdiff", 1e-6f));
    }

    void veryWideStroke()
    {
        // 380 wide, 8 tall: aspect kept, so it stays a thin bar (not a square).
        Canvas cv(200, 400);
        cv.line(100, 14, 100, 386, 7);
        const DigitImage d = mnist_from_drawing(cv.px.data(), 200, 400);
        QVERIFY(!d.empty);
        const Box b = ink_box(d.image);
        QCOMPARE(b.width(), std::size_t(20));
        QVERIFY(b.height() <= 1);
        QCOMPARE(d.columns, std::size_t(20));
        QCOMPARE(d.rows, std::size_t(1)); // round(8 * 20 / 380) = 0, at least 1
        const CentreOfMass com = centre_of_mass(d.image.data(), 28, 28);
        QVERIFY(std::abs(com.row - 14) <= 0.5 && std::abs(com.column - 14) <= 0.5);
        // Area averaging keeps the ink: the 8 rows fold into one row of full ink.
        const double mass = arma::accu(d.image.flat());
        QVERIFY2(mass > 15 && mass <= 20, qPrintable(QString::number(mass)));
    }

    void shrinkingKeepsThinStrokes()
    {
        // A 1-px line in a 1000-px drawing: point sampling would miss it, a
        // box filter keeps its ink, faint.
        Canvas cv(1000, 1000);
        for (std::size_t r = 100; r < 900; ++r) cv.px[r * 1000 + 500] = 1;
        for (std::size_t c = 300; c < 700; ++c) cv.px[100 * 1000 + c] = 1;
        const DigitImage d = mnist_from_drawing(cv.px.data(), 1000, 1000);
        verify_mnist_like(d);
        // The vertical stroke survives as a continuous column.
        const Box b = ink_box(d.image);
        for (std::size_t r = b.top; r < b.bottom; ++r) {
            float row_max = 0;
            for (std::size_t c = 0; c < 28; ++c) row_max = std::max(row_max, d.image(0, r, c, 0));
            QVERIFY(row_max > 0.02f);
        }
    }

    void mnistDigitsStayMnistDigits()
    {
        // MNIST images are already what we make: putting them through again
        // changes almost nothing (a few digits land one pixel off: MNIST computed
        // its centring at another resolution).
        const Dataset digits = load_digits();
        const std::size_t n = 200;
        std::size_t same = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const float* img = digits.test_images.data() + i * 28 * 28;
            const DigitImage d = mnist_from_drawing(img, 28, 28);
            QVERIFY(!d.empty);
            QVERIFY(!d.inverted);
            const Box b = ink_box(d.image);
            QVERIFY(b.height() <= 20 && b.width() <= 20);
            QVERIFY(std::max(b.height(), b.width()) >= 19);
            double diff = 0;
            for (std::size_t k = 0; k < 28 * 28; ++k) diff += std::abs(d.image.data()[k] - img[k]);
            if (diff < 5) ++same; // a few faint edge pixels dropped or stretched
        }
        QVERIFY2(same >= n * 9 / 10, qPrintable(QStringLiteral("%1 of %2 unchanged").arg(same).arg(n)));
    }
};

QTEST_APPLESS_MAIN(TestPreprocess)
#include "tst_preprocess.moc"
