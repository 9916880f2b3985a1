// Frames drawn without Qt (core/render): the palette's ramps, the bitmap
// font, and each view of network_frames.hpp on a network small enough that
// every pixel is known by hand.
#include <QtTest>

#include "architecture.hpp"
#include "bitmap_font.hpp"
#include "errors.hpp"
#include "frame_palette.hpp"
#include "lenet5.hpp"
#include "network_frames.hpp"
#include "sequential.hpp"

#include <algorithm>

using namespace cs;

namespace {

// input (3, 3, 1) -> conv 1 @ 2x2 valid linear (2, 2, 1) -> flatten (4) -> dense 2 softmax
// Parameters: conv kernel (2, 2, 1, 1), bias (1), dense kernel (4, 2), bias (2): 15.
std::unique_ptr<Sequential<float>> tiny()
{
    Architecture a{{3, 3, 1},
                   {{"conv", layers::conv2d(1, {2, 2})},
                    {"flat", layers::flatten()},
                    {"out", layers::dense(2, Activation::softmax)}}};
    return make_model<float>(a, 1);
}

// Kernel [[1, -1], [0.5, 0]], everything else 0.
arma::Col<float> tinyParameters(float times = 1)
{
    arma::Col<float> p(15, arma::fill::zeros);
    p(0) = 1 * times;
    p(1) = -1 * times;
    p(2) = 0.5f * times;
    return p;
}

// The sample [[1, 2, 3], [4, 5, 6], [7, 8, 9]].
Tensor<float> tinySample()
{
    Tensor<float> x({3, 3, 1});
    for (std::size_t i = 0; i < 9; ++i) x.data()[i] = float(i + 1);
    return x;
}

// The colour of cell (i, j) of a tile.
std::uint8_t cell(const IndexedImage& image, const FrameTile& t, std::size_t i, std::size_t j)
{
    // Every pixel of the cell has it: check the corners agree.
    const std::uint8_t c = image.at(t.x + j * t.cell, t.y + i * t.cell);
    if (image.at(t.x + j * t.cell + t.cell - 1, t.y + i * t.cell + t.cell - 1) != c) return 0xEE;
    return c;
}

std::size_t count(const IndexedImage& image, std::uint8_t colour)
{
    return std::size_t(std::count(image.pixels.begin(), image.pixels.end(), colour));
}

} // namespace

class TestRender : public QObject {
    Q_OBJECT

private slots:
    void rampsRoundToTheNearestLevel()
    {
        QCOMPARE(int(ramp_index(1, 1, 3)), 0);
        QCOMPARE(int(ramp_index(3, 1, 3)), 127);
        QCOMPARE(int(ramp_index(1.5f, 1, 3)), 32); // 0.25 * 127 = 31.75
        QCOMPARE(int(ramp_index(9, 1, 3)), 127);
        QCOMPARE(int(ramp_index(-9, 1, 3)), 0);
        QCOMPARE(int(ramp_index(2, 2, 2)), 0); // no range
        QCOMPARE(int(diverging_index(0, 1)), 189);
        QCOMPARE(int(diverging_index(1, 1)), 250);
        QCOMPARE(int(diverging_index(-1, 1)), 128);
        QCOMPARE(int(diverging_index(0.5f, 1)), 220); // 189 + round(30.5)
        QCOMPARE(int(diverging_index(-7, 1)), 128);
        QCOMPARE(int(diverging_index(5, 0)), 189);
        QCOMPARE(int(diverging_index(std::nanf(""), 1)), 189);

        const std::vector<Rgb> p = frame_palette();
        QCOMPARE(p.size(), std::size_t(256));
        QCOMPARE(p[0], (Rgb{0, 0, 0}));
        QCOMPARE(p[127], (Rgb{255, 255, 255}));
        QCOMPARE(p[189], (Rgb{255, 255, 255}));
        QVERIFY(p[128].b > p[128].r); // blue below 0
        QVERIFY(p[250].r > p[250].b); // red above
        QVERIFY(!(p[colour_background] == p[127]));
    }

    void fontDrawsItsGlyphs()
    {
        QCOMPARE(text_width("step 1,234", 2), std::size_t((10 * 6 - 1) * 2));
        QCOMPARE(text_width(""), std::size_t(0));
        IndexedImage image(12, 7, 0);
        draw_text(image, 0, 0, "1L", 9); // a capital is drawn as the small letter
        const char* one[] = {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."};
        const char* ell[] = {".##..", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."};
        for (std::size_t y = 0; y < 7; ++y)
            for (std::size_t x = 0; x < 5; ++x) {
                QCOMPARE(image.at(x, y) == 9, one[y][x] == '#');
                QCOMPARE(image.at(6 + x, y) == 9, ell[y][x] == '#');
            }
        // Clipped at the edges, not written past them.
        IndexedImage small(4, 4, 0);
        draw_text(small, 0, 0, "888", 1, 2);
        QVERIFY(count(small, 1) > 0);
        QCOMPARE(grouped_digits(0), std::string("0"));
        QCOMPARE(grouped_digits(999), std::string("999"));
        QCOMPARE(grouped_digits(1234), std::string("1,234"));
        QCOMPARE(grouped_digits(1234567), std::string("1,234,567"));
    }

    // The kernel [[1, -1], [0.5, 0]] on its own scale (1): red, blue, half
    // red, white.
    void kernelsOnADivergingScale()
    {
        const auto model = tiny();
        FrameRenderer r(model->network(), {FrameViewKind::kernels});
        QCOMPARE(r.tiles().size(), std::size_t(1));
        const FrameTile t = r.tiles()[0];
        QCOMPARE(t.layer, std::string("conv"));
        QCOMPARE(t.rows, std::size_t(2));
        QCOMPARE(t.cols, std::size_t(2));
        const IndexedImage image = r.render(tinyParameters(), 1234);
        QCOMPARE(image.width, r.width());
        QCOMPARE(image.height, r.height());
        QCOMPARE(int(cell(image, t, 0, 0)), 250);
        QCOMPARE(int(cell(image, t, 0, 1)), 128);
        QCOMPARE(int(cell(image, t, 1, 0)), 220);
        QCOMPARE(int(cell(image, t, 1, 1)), 189);
        QCOMPARE(int(image.at(t.x - 1, t.y - 1)), int(colour_border));
        QCOMPARE(int(image.at(0, 0)), int(colour_background));
        QVERIFY(count(image, colour_text) > 0); // the caption and the title
    }

    // LeNet-5's frames are of a useful size: 400 to 800 pixels wide.
    void lenetFramesAreAUsefulSize()
    {
        const auto model = lenet5<float>({28, 28, 1}, 1);
        Tensor<float> digit({28, 28, 1});
        const std::vector<FrameView> views{{FrameViewKind::kernels},
                                           {FrameViewKind::maps, 0},
                                           {FrameViewKind::maps, 3},
                                           {FrameViewKind::maps, 5},
                                           {FrameViewKind::network}};
        for (const FrameView& v : views) {
            FrameRenderer r(model->network(), v, digit);
            QVERIFY2(r.width() >= 400 && r.width() <= 800, qPrintable(QString::number(r.width())));
            QVERIFY2(r.height() >= 60 && r.height() <= 800, qPrintable(QString::number(r.height())));
            const IndexedImage image = r.render(model->parameters(), 61706);
            QCOMPARE(image.pixels.size(), r.width() * r.height());
        }
        // Kernels: 6 + 6 x 16 tiles; network: the input and four layers of maps (6 + 6 + 16 + 16 tiles).
        QCOMPARE(FrameRenderer(model->network(), {FrameViewKind::kernels}).tiles().size(), std::size_t(6 + 96));
        QCOMPARE(FrameRenderer(model->network(), {FrameViewKind::network}, digit).tiles().size(),
                 std::size_t(1 + 6 + 6 + 16 + 16));
    }

    // Frames share the layer's scale: the largest |w| of all of them (2
    // here), so the first frame's 1 is half red.
    void scalesSpanEveryFrame()
    {
        const auto model = tiny();
        FrameRenderer r(model->network(), {FrameViewKind::kernels});
        const std::vector<std::pair<std::uint64_t, ParameterTimeline::Parameters>> steps{
            {0, std::make_shared<const arma::Col<float>>(tinyParameters(1))},
            {10, std::make_shared<const arma::Col<float>>(tinyParameters(2))}};
        const std::vector<IndexedImage> frames = render_frames(r, steps);
        QCOMPARE(frames.size(), std::size_t(2));
        const FrameTile t = r.tiles()[0];
        QCOMPARE(int(cell(frames[0], t, 0, 0)), 220);
        QCOMPARE(int(cell(frames[0], t, 0, 1)), 158); // 189 - round(30.5)
        QCOMPARE(int(cell(frames[1], t, 0, 0)), 250);
        QCOMPARE(int(cell(frames[1], t, 0, 1)), 128);
        QVERIFY(frames[0].pixels != frames[1].pixels); // the caption and the kernel differ
    }

    // The conv's output for the sample, by hand: z(i, j) = x(i, j) - x(i, j+1)
    // + 0.5 x(i+1, j) = [[1, 1.5], [2.5, 3]]; from 1 (black) to 3 (white).
    void mapsOnTheGreyRamp()
    {
        const auto model = tiny();
        FrameRenderer r(model->network(), {FrameViewKind::maps, 0}, tinySample());
        QCOMPARE(r.tiles().size(), std::size_t(1));
        const FrameTile t = r.tiles()[0];
        QVERIFY(t.cell > 1); // scaled up to a useful size
        const IndexedImage image = r.render(tinyParameters(), 7);
        QCOMPARE(int(cell(image, t, 0, 0)), 0);
        QCOMPARE(int(cell(image, t, 0, 1)), 32);  // 0.25 * 127
        QCOMPARE(int(cell(image, t, 1, 0)), 95);  // 0.75 * 127
        QCOMPARE(int(cell(image, t, 1, 1)), 127);
        // A flat layer's output is one tile 1 x n.
        FrameRenderer flat(model->network(), {FrameViewKind::maps, 1}, tinySample());
        QCOMPARE(flat.tiles()[0].rows, std::size_t(1));
        QCOMPARE(flat.tiles()[0].cols, std::size_t(4));
        const IndexedImage f = flat.render(tinyParameters(), 7);
        QCOMPARE(int(cell(f, flat.tiles()[0], 0, 3)), 127);
    }

    // The input and the conv as columns, then the bars: zero dense weights
    // give p = (0.5, 0.5), two bars of 50 pixels, the label's green.
    void networkShowsColumnsAndBars()
    {
        const auto model = tiny();
        FrameRenderer r(model->network(), {FrameViewKind::network}, tinySample(), {"cat", "dog"}, 1);
        QCOMPARE(r.tiles().size(), std::size_t(2));
        QCOMPARE(r.tiles()[0].layer, std::string("input"));
        QCOMPARE(r.tiles()[1].layer, std::string("conv"));
        const IndexedImage image = r.render(tinyParameters(), 3);
        const FrameTile in = r.tiles()[0];
        QCOMPARE(int(cell(image, in, 0, 0)), 0);   // 1 of 1..9
        QCOMPARE(int(cell(image, in, 2, 2)), 127); // 9
        QCOMPARE(int(cell(image, r.tiles()[1], 1, 1)), 127);
        QCOMPARE(count(image, colour_bar), std::size_t(50 * glyph_height));
        QCOMPARE(count(image, colour_label_bar), std::size_t(50 * glyph_height));
        QVERIFY(r.tiles()[1].x > in.x + in.cols * in.cell);
    }

    void impossibleFramesAreShapeErrors()
    {
        const auto model = tiny();
        QVERIFY_THROWS_EXCEPTION(ShapeError, FrameRenderer(model->network(), {FrameViewKind::maps, 0}));
        QVERIFY_THROWS_EXCEPTION(ShapeError,
                                 FrameRenderer(model->network(), {FrameViewKind::maps, 0}, Tensor<float>({4, 4, 1})));
        QVERIFY_THROWS_EXCEPTION(ShapeError, FrameRenderer(model->network(), {FrameViewKind::maps, 9}, tinySample()));
        FrameRenderer r(model->network(), {FrameViewKind::kernels});
        QVERIFY_THROWS_EXCEPTION(ShapeError, r.render(arma::Col<float>(14, arma::fill::zeros), 0));
        Architecture dense{{2, 2, 1}, {{"flat", layers::flatten()}, {"out", layers::dense(2, Activation::softmax)}}};
        const auto no_conv = make_model<float>(dense, 1);
        try {
            FrameRenderer(no_conv->network(), {FrameViewKind::kernels});
            QFAIL("no error");
        } catch (const ShapeError& e) {
            QVERIFY(std::string(e.what()).find("no conv2d layer") != std::string::npos);
        }
    }
};

QTEST_APPLESS_MAIN(TestRender)
#include "tst_render.moc"
