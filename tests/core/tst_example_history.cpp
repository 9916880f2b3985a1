// ExampleHistory: learned_at, forgotten and the orders on histories written
// out by hand, and probe_step on a network whose outputs are worked out by
// hand (the logits are the pixels, scaled by the kernel and shifted by the
// bias).
#include "architecture.hpp"
#include "example_history.hpp"

#include <QTest>

#include <cmath>
#include <string>

using namespace cs;

namespace {

// A history from one string per example, a character per column:
// 'X' right, '.' wrong (predicted 0 for a label 1, p_true 0.2 or 0.9).
ExampleHistory written(const std::vector<std::uint64_t>& steps, const std::vector<std::string>& rows)
{
    ExampleHistory h = ExampleHistory::of(std::vector<std::uint8_t>(rows.size(), 1));
    for (std::size_t c = 0; c < steps.size(); ++c) {
        ProbeColumn col;
        for (const std::string& row : rows) {
            const bool right = row.at(c) == 'X';
            col.predicted.push_back(right ? 1 : 0);
            col.p_true.push_back(right ? 0.9f : 0.2f);
            col.right.push_back(right ? 1 : 0);
        }
        h.insert(steps[c], std::move(col));
    }
    return h;
}

// input (1, 1, 3) -> flatten -> dense(3): z = x K + b, so an image's pixels
// are its logits when K = I and b = 0.
std::unique_ptr<Sequential<float>> logit_network()
{
    return make_model<float>(Architecture{Shape{1, 1, 3}, {{"", layers::flatten()}, {"", layers::dense(3)}}}, 0);
}

arma::Col<float> parameters(float scale, std::array<float, 3> bias)
{
    // kernel (3, 3) C order, then bias (3,)
    arma::Col<float> p(12, arma::fill::zeros);
    for (std::size_t i = 0; i < 3; ++i) p[i * 3 + i] = scale;
    for (std::size_t j = 0; j < 3; ++j) p[9 + j] = bias[j];
    return p;
}

// Three images (their pixels the logits at K = I, b = 0) and their labels.
//   A (ln 2, 0, 0)     label 0: p = (2, 1, 1) / 4
//   B (0, ln 6, ln 3)  label 2: p = (1, 6, 3) / 10
//   C (0, 0, 0)        label 1: p = 1/3 each, the first maximum is class 0
Tensor<float> probe_images()
{
    Tensor<float> t(Shape{3, 1, 1, 3});
    const float v[] = {std::log(2.0f), 0, 0, 0, std::log(6.0f), std::log(3.0f), 0, 0, 0};
    std::copy(std::begin(v), std::end(v), t.data());
    return t;
}
const std::vector<std::uint8_t> probe_labels{0, 2, 1};

} // namespace

class TestExampleHistory : public QObject {
    Q_OBJECT

    const std::vector<std::uint64_t> steps{0, 100, 250, 1000};
    // 0 right throughout; 1 learned at 250; 2 learned, forgotten at 250;
    // 3 forgotten twice (100, 1000); 4 forgotten at 100, learned again at
    // 1000; 5 never right.
    const std::vector<std::string> rows{"XXXX", "..XX", "XX..", "X.X.", "X..X", "...."};

private slots:
    void learnedAt()
    {
        const ExampleHistory h = written(steps, rows);
        QCOMPARE(h.learned_at(0), std::optional<std::uint64_t>(0));
        QCOMPARE(h.learned_at(1), std::optional<std::uint64_t>(250));
        QCOMPARE(h.learned_at(2), std::nullopt);
        QCOMPARE(h.learned_at(3), std::nullopt);
        QCOMPARE(h.learned_at(4), std::optional<std::uint64_t>(1000));
        QCOMPARE(h.learned_at(5), std::nullopt);
        QCOMPARE(h.learned_column(1), std::optional<std::size_t>(2));
        QCOMPARE(h.learned_count(), std::size_t(3));
        // No columns: nothing is learned.
        const ExampleHistory none = ExampleHistory::of({1, 2});
        QCOMPARE(none.learned_at(0), std::nullopt);
        QCOMPARE(none.learned_count(), std::size_t(0));
    }

    void forgotten()
    {
        const ExampleHistory h = written(steps, rows);
        const std::vector<std::pair<std::size_t, std::optional<std::uint64_t>>> expected{
            {0, std::nullopt}, {0, std::nullopt}, {1, 250}, {2, 1000}, {1, 100}, {0, std::nullopt}};
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const Forgetting f = h.forgotten(i);
            QCOMPARE(f.count, expected[i].first);
            QCOMPARE(f.last_step, expected[i].second);
        }
        QCOMPARE(h.forgotten_count(), std::size_t(3));
        // One column: nothing to forget.
        const ExampleHistory one = written({7}, {"X", "."});
        QCOMPARE(one.forgotten(0).count, std::size_t(0));
        QCOMPARE(one.learned_at(0), std::optional<std::uint64_t>(7));
    }

    void orders()
    {
        const ExampleHistory h = written(steps, rows);
        QCOMPARE(h.order(ExampleOrder::by_index), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
        // Learned at 0, 250, 1000, then the never-learned by index.
        QCOMPARE(h.order(ExampleOrder::by_learned), (std::vector<std::size_t>{0, 1, 4, 2, 3, 5}));
        // Twice forgotten; once, the latest first (250, then 100); then
        // the others as by_learned.
        QCOMPARE(h.order(ExampleOrder::forgotten_first), (std::vector<std::size_t>{3, 2, 4, 0, 1, 5}));
    }

    void insertKeepsStepOrder()
    {
        // The columns arrive in any order (the window computes coarse ones
        // first); the history keeps them by step: X . . X at 0, 100, 250, 1000.
        ExampleHistory h = written({1000, 0, 250, 100}, {"XX.."});
        QCOMPARE(h.steps, steps);
        QCOMPARE(h.learned_at(0), std::optional<std::uint64_t>(1000));
        QCOMPARE(h.forgotten(0).last_step, std::optional<std::uint64_t>(100));
        QCOMPARE(h.column_of(250), std::ptrdiff_t(2));
        QCOMPARE(h.column_of(251), std::ptrdiff_t(-1));
        // The same step again replaces its column.
        h.insert(100, ProbeColumn{{1}, {0.8f}, {1}});
        QCOMPARE(h.size(), std::size_t(4));
        QCOMPARE(h.forgotten(0).last_step, std::optional<std::uint64_t>(250));
        QVERIFY_THROWS_EXCEPTION(ShapeError, h.insert(5, ProbeColumn{{1, 1}, {0.5f, 0.5f}, {1, 1}}));
        h.keep_only({0, 250, 999});
        QCOMPARE(h.steps, (std::vector<std::uint64_t>{0, 250}));
        QCOMPARE(h.columns.size(), std::size_t(2));
        QVERIFY(h.right(0, 0));
        QVERIFY(!h.right(0, 1));
    }

    void probeStepReadsEachExample_data()
    {
        QTest::addColumn<float>("scale");
        QTest::addColumn<float>("bias2");
        QTest::addColumn<std::vector<std::uint8_t>>("predicted");
        QTest::addColumn<std::vector<float>>("pTrue");
        QTest::addColumn<int>("batch");
        // p as in probe_images(): A right (1/2), B read as 1 (3/10), C read as 0 (1/3).
        QTest::newRow("K = I") << 1.0f << 0.0f << std::vector<std::uint8_t>{0, 1, 0}
                               << std::vector<float>{0.5f, 0.3f, 1 / 3.0f} << 256;
        QTest::newRow("K = I, batches of 2") << 1.0f << 0.0f << std::vector<std::uint8_t>{0, 1, 0}
                                             << std::vector<float>{0.5f, 0.3f, 1 / 3.0f} << 2;
        // z doubled: A p = (4, 1, 1) / 6; B p = (1, 36, 9) / 46; C unchanged.
        QTest::newRow("K = 2 I") << 2.0f << 0.0f << std::vector<std::uint8_t>{0, 1, 0}
                                 << std::vector<float>{4 / 6.0f, 9 / 46.0f, 1 / 3.0f} << 256;
        // b = (0, 0, ln 4): A p = (2, 1, 4) / 7; B p = (1, 6, 12) / 19, now
        // right; C p = (1, 1, 4) / 6.
        QTest::newRow("b2 = ln 4") << 1.0f << std::log(4.0f) << std::vector<std::uint8_t>{2, 2, 2}
                                   << std::vector<float>{2 / 7.0f, 12 / 19.0f, 1 / 6.0f} << 1;
    }

    void probeStepReadsEachExample()
    {
        QFETCH(float, scale);
        QFETCH(float, bias2);
        QFETCH(std::vector<std::uint8_t>, predicted);
        QFETCH(std::vector<float>, pTrue);
        QFETCH(int, batch);
        auto model = logit_network();
        Workspace<float> ws;
        const ProbeColumn c = probe_step(model->network(), parameters(scale, {0, 0, bias2}), probe_images(),
                                         probe_labels, ws, std::size_t(batch));
        QCOMPARE(c.size(), std::size_t(3));
        QCOMPARE(c.predicted, predicted);
        std::size_t right = 0;
        for (std::size_t i = 0; i < 3; ++i) {
            QVERIFY2(std::abs(c.p_true[i] - pTrue[i]) < 1e-6f, qPrintable(QString::number(i)));
            QCOMPARE(c.right[i], std::uint8_t(predicted[i] == probe_labels[i]));
            right += predicted[i] == probe_labels[i];
        }
        QCOMPARE(c.right_count(), right);
    }

    void probeStepRefusesWhatDoesNotFit()
    {
        auto model = logit_network();
        Workspace<float> ws;
        const arma::Col<float> p = parameters(1, {0, 0, 0});
        QVERIFY_THROWS_EXCEPTION(ShapeError, probe_step(model->network(), p, probe_images(), {0, 1}, ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError, probe_step(model->network(), p, probe_images(), {0, 1, 3}, ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError,
                                 probe_step(model->network(), p, Tensor<float>(Shape{3, 1, 3, 1}), probe_labels, ws));
        QVERIFY_THROWS_EXCEPTION(ShapeError, probe_step(model->network(), p, probe_images(), probe_labels, ws, 0));
        const ProbeColumn none = probe_step(model->network(), p, Tensor<float>(Shape{0, 1, 1, 3}), {}, ws);
        QCOMPARE(none.size(), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestExampleHistory)
#include "tst_example_history.moc"
