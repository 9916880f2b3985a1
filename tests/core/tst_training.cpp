// LeNet-5 learns a small synthetic but non-trivial task: ten kinds of stroke
// figures (bars, diagonals, squares, crosses, rings...) drawn at random
// positions, sizes and thicknesses with noise. A few hundred steps must take
// the loss well down and the held-out accuracy far above chance (10%).
#include "lenet5.hpp"
#include "trainer.hpp"

#include <QTest>

#include <cmath>
#include <random>

using namespace cs;

namespace {

// Draws figure `cls` into a 28x28 image.
void draw(int cls, float* img, std::mt19937_64& rng)
{
    std::uniform_int_distribution<int> centre(10, 17), half(5, 8), thick(1, 2);
    std::normal_distribution<float> noise(0.f, 0.3f);
    // A short random stroke in every image: clutter the net must learn to ignore.
    std::uniform_int_distribution<int> any(2, 25);
    const int sy = any(rng), sx = any(rng), len = 5;
    const bool vertical_clutter = rng() % 2;
    const int cy = centre(rng), cx = centre(rng), r = half(rng), t = thick(rng);
    const auto on = [&](int y, int x) -> bool {
        const int dy = y - cy, dx = x - cx;
        const bool inside = std::abs(dy) <= r && std::abs(dx) <= r;
        switch (cls) {
        case 0: return std::abs(dy) < t && std::abs(dx) <= r;                        // horizontal bar
        case 1: return std::abs(dx) < t && std::abs(dy) <= r;                        // vertical bar
        case 2: return inside && std::abs(dy - dx) < t;                              // diagonal
        case 3: return inside && std::abs(dy + dx) < t;                              // anti-diagonal
        case 4: return inside && (std::abs(dy) > r - t || std::abs(dx) > r - t);     // hollow square
        case 5: return std::abs(dy) <= r / 2 && std::abs(dx) <= r / 2;               // small filled square
        case 6: return inside && (std::abs(dy) < t || std::abs(dx) < t);             // plus
        case 7: return inside && (std::abs(dy - dx) < t || std::abs(dy + dx) < t);   // X
        case 8: return std::abs(std::sqrt(float(dy * dy + dx * dx)) - float(r)) < t; // ring
        default: return std::abs(dx) <= r && (std::abs(dy - r / 2) < t || std::abs(dy + r / 2) < t); // two bars
        }
    };
    for (int y = 0; y < 28; ++y)
        for (int x = 0; x < 28; ++x) {
            const bool clutter = vertical_clutter ? (x == sx && y >= sy && y < sy + len) : (y == sy && x >= sx && x < sx + len);
            img[y * 28 + x] = std::clamp((on(y, x) || clutter ? 1.f : 0.f) + noise(rng), 0.f, 1.f);
        }
}

void make_set(std::size_t n, std::uint64_t seed, Tensor<float>& x, std::vector<std::uint8_t>& y)
{
    std::mt19937_64 rng(seed);
    x.resize({n, 28, 28, 1});
    y.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        y[i] = std::uint8_t(rng() % 10);
        draw(y[i], x.data() + i * 784, rng);
    }
}

} // namespace

class TestTraining : public QObject {
    Q_OBJECT

private slots:
    void lenet5LearnsStrokeFigures()
    {
        Tensor<float> x, xt;
        std::vector<std::uint8_t> y, yt;
        make_set(3000, 1, x, y);
        make_set(500, 2, xt, yt);
        auto model = lenet5<float>({28, 28, 1}, 7);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {32, 7, true});
        const Evaluation before = evaluate(*model, xt, yt);
        double first = 0, last = 0;
        const int steps = 300;
        for (int i = 0; i < steps; ++i) {
            const double loss = trainer.step().loss;
            if (i < 20) first += loss / 20;
            if (i >= steps - 20) last += loss / 20;
        }
        const Evaluation after = evaluate(*model, xt, yt);
        qInfo("synthetic strokes, %d steps of 32: training loss %.3f -> %.3f (mean of 20 steps); "
              "held-out accuracy %.1f%% -> %.1f%%, loss %.3f -> %.3f",
              steps, first, last, 100 * before.accuracy, 100 * after.accuracy, before.loss, after.loss);
        QVERIFY(last < 0.5 * first);
        QVERIFY(after.accuracy > 0.8);
        QVERIFY(after.loss < before.loss);
    }
};

QTEST_APPLESS_MAIN(TestTraining)
#include "tst_training.moc"
