// The learning history of examples: the model computes a column per kept
// step of a timeline (off the GUI thread, only the missing ones, dropping
// rewound steps), chooses at most maxColumns of them; the view orders its
// rows, says what a cell is, and a click on a cell names its image and step.
#include "examplehistorymodel.h"
#include "examplehistoryview.h"

#include "architecture.hpp"
#include "dataset.hpp"
#include "lenet5.hpp"
#include "trainer.hpp"

#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

#include <cmath>

namespace {

// input (1, 1, 3) -> flatten -> dense(3): z = x K + b (as in
// tst_example_history: an image's pixels are its logits for K = I, b = 0).
std::shared_ptr<const cs::Network<float>> logitNetwork()
{
    auto model = cs::make_model<float>(
        cs::Architecture{cs::Shape{1, 1, 3}, {{"", cs::layers::flatten()}, {"", cs::layers::dense(3)}}}, 0);
    return model->shared_network();
}

arma::Col<float> parameters(float scale, float bias2 = 0)
{
    arma::Col<float> p(12, arma::fill::zeros); // kernel (3, 3), bias (3,)
    for (std::size_t i = 0; i < 3; ++i) p[i * 3 + i] = scale;
    p[11] = bias2;
    return p;
}

// A (ln 2, 0, 0) a 0; B (0, ln 6, ln 3) a 2; C (0, 0, 0) a 1. Read:
//   K = I        A right (p 1/2), B as 1, C as 0
//   K = 2 I      A right (p 2/3), B as 1, C as 0
//   b2 = ln 4    A as 2, B right (p 12/19), C as 2
std::shared_ptr<const ProbeSet> probeSet()
{
    auto probe = std::make_shared<ProbeSet>();
    probe->images = cs::Tensor<float>(cs::Shape{3, 1, 1, 3});
    const float v[] = {std::log(2.0f), 0, 0, 0, std::log(6.0f), std::log(3.0f), 0, 0, 0};
    std::copy(std::begin(v), std::end(v), probe->images.data());
    probe->labels = {0, 2, 1};
    probe->imageIndices = {0, 1, 2};
    return probe;
}

// One string per example, a character per step: 'X' right (p_true 0.9),
// '.' wrong (read as `wrongAs`, p_true 0.12).
std::shared_ptr<const cs::ExampleHistory> written(const std::vector<std::uint64_t>& steps,
                                                  const std::vector<std::string>& rows,
                                                  const std::vector<std::uint8_t>& labels, std::uint8_t wrongAs)
{
    auto h = std::make_shared<cs::ExampleHistory>(cs::ExampleHistory::of(labels));
    for (std::size_t c = 0; c < steps.size(); ++c) {
        cs::ProbeColumn col;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const bool right = rows[i].at(c) == 'X';
            col.predicted.push_back(right ? labels[i] : wrongAs);
            col.p_true.push_back(right ? 0.9f : 0.12f);
            col.right.push_back(right ? 1 : 0);
        }
        h->insert(steps[c], std::move(col));
    }
    return h;
}

} // namespace

class TestExampleHistory : public QObject {
    Q_OBJECT

private slots:
    void chooseSteps();
    void modelComputesEachKeptStep();
    void modelComputesOnlyWhatIsMissing();
    void modelRestsBetweenTasks();
    void modelDropsRewoundSteps();
    void modelKeepsAtMostMaxColumns();
    void modelCancels();
    void firstTestImagesThroughLeNet();
    void viewOrdersRows();
    void clickChoosesExampleAndStep();
    void cellTextAndSummary();
    void currentStepIsMarked();
    void everyRowFitsTheProjector();
    void viewFollowsModel();

private:
    struct Fixture {
        std::shared_ptr<cs::ParameterTimeline> timeline = std::make_shared<cs::ParameterTimeline>(12);
        ExampleHistoryModel model;
        Fixture()
        {
            model.setNetwork(logitNetwork());
            model.setTimeline(timeline);
            model.setProbe(probeSet());
        }
        // No task running and none waiting for the rest after one.
        bool settle()
        {
            return QTest::qWaitFor([this] { return !model.isComputing() && !model.isResting(); }, 10000);
        }
    };
    // The three runs of the probe set, their 'right' per example.
    static std::vector<bool> rightAt(const cs::ExampleHistory& h, std::size_t column)
    {
        std::vector<bool> r;
        for (std::size_t i = 0; i < h.examples; ++i) r.push_back(h.right(i, column));
        return r;
    }

    // 0 always right, 1 learned at 250, 2 forgotten at 250, 3 forgotten at
    // 100 and 1000, 4 forgotten at 100 and learned again at 1000, 5 never.
    const std::vector<std::uint64_t> m_steps{0, 100, 250, 1000};
    const std::vector<std::string> m_rows{"XXXX", "..XX", "XX..", "X.X.", "X..X", "...."};
    const std::vector<std::uint8_t> m_labels{7, 7, 3, 7, 2, 9};
};

void TestExampleHistory::chooseSteps()
{
    std::vector<std::uint64_t> kept;
    for (std::uint64_t s = 0; s <= 1000; s += 10) kept.push_back(s); // 101 steps
    // Few enough: all of them.
    QCOMPARE(ExampleHistoryModel::chooseSteps(kept, {}, 200), kept);
    // Evenly spaced targets 0, 250, ..., 1000.
    QCOMPARE(ExampleHistoryModel::chooseSteps(kept, {}, 5), (std::vector<std::uint64_t>{0, 250, 500, 750, 1000}));
    // A computed step within half a spacing of a target is taken instead.
    QCOMPARE(ExampleHistoryModel::chooseSteps(kept, {370, 480}, 5),
             (std::vector<std::uint64_t>{0, 370, 480, 750, 1000}));
    // Sparse old steps, dense new ones (as the timeline keeps them): the
    // columns follow the steps, not the kept list's positions.
    std::vector<std::uint64_t> thinned{0, 100, 200, 300, 400, 500};
    for (std::uint64_t s = 501; s <= 600; ++s) thinned.push_back(s);
    const auto chosen = ExampleHistoryModel::chooseSteps(thinned, {}, 7);
    QCOMPARE(chosen, (std::vector<std::uint64_t>{0, 100, 200, 300, 400, 500, 600}));
}

void TestExampleHistory::modelComputesEachKeptStep()
{
    Fixture f;
    f.timeline->record(0, parameters(1));
    f.timeline->record(10, parameters(2));
    f.timeline->record(20, parameters(1, std::log(4.0f)));
    QSignalSpy progress(&f.model, &ExampleHistoryModel::progress);
    f.model.update();
    QVERIFY(f.model.isComputing()); // update() returned before the columns
    QVERIFY(f.settle());
    const auto h = f.model.history();
    QCOMPARE(h->steps, (std::vector<std::uint64_t>{0, 10, 20}));
    QCOMPARE(rightAt(*h, 0), (std::vector<bool>{true, false, false}));
    QCOMPARE(rightAt(*h, 1), (std::vector<bool>{true, false, false}));
    QCOMPARE(rightAt(*h, 2), (std::vector<bool>{false, true, false}));
    QVERIFY(std::abs(h->columns[1].p_true[0] - 2 / 3.0f) < 1e-6f);
    QVERIFY(std::abs(h->columns[2].p_true[1] - 12 / 19.0f) < 1e-6f);
    QCOMPARE(h->columns[0].predicted, (std::vector<std::uint8_t>{0, 1, 0}));
    QCOMPARE(h->learned_at(1), std::optional<std::uint64_t>(20));
    QCOMPARE(h->forgotten(0).last_step, std::optional<std::uint64_t>(20));
    QCOMPARE(progress.constLast().at(0).toInt(), 3);
    QCOMPARE(progress.constLast().at(1).toInt(), 3);
    QVERIFY(f.model.error().isEmpty());
}

void TestExampleHistory::modelComputesOnlyWhatIsMissing()
{
    Fixture f;
    f.timeline->record(0, parameters(1));
    f.timeline->record(10, parameters(2));
    f.model.update();
    QVERIFY(f.settle());
    QCOMPARE(f.model.history()->size(), std::size_t(2));
    // The same revision: nothing to do.
    f.model.update();
    QVERIFY(!f.model.isComputing());
    f.timeline->record(20, parameters(1, std::log(4.0f)));
    QSignalSpy progress(&f.model, &ExampleHistoryModel::progress);
    f.model.update();
    QVERIFY(f.settle());
    QCOMPARE(progress.first().at(1).toInt(), 1); // one column to compute
    QCOMPARE(f.model.history()->steps, (std::vector<std::uint64_t>{0, 10, 20}));
    // An update while a task runs is done when it ends.
    f.timeline->record(30, parameters(2));
    f.model.update();
    f.timeline->record(40, parameters(1));
    f.model.update();
    QVERIFY(f.settle());
    QTRY_COMPARE(f.model.history()->steps, (std::vector<std::uint64_t>{0, 10, 20, 30, 40}));
}

void TestExampleHistory::modelRestsBetweenTasks()
{
    // After a task the thread rests (19 times as long as the task ran):
    // an update meanwhile waits for the rest, then computes what is new.
    Fixture f;
    f.timeline->record(0, parameters(1));
    f.model.update();
    QVERIFY(f.model.isComputing());
    QVERIFY(QTest::qWaitFor([&f] { return !f.model.isComputing(); }, 10000));
    QVERIFY(f.model.isResting());
    f.timeline->record(10, parameters(2));
    f.model.update();
    QVERIFY(!f.model.isComputing());
    QVERIFY(f.settle());
    QCOMPARE(f.model.history()->steps, (std::vector<std::uint64_t>{0, 10}));
    // A new network does not wait for the rest.
    f.timeline->record(20, parameters(1));
    f.model.update();
    QVERIFY(QTest::qWaitFor([&f] { return !f.model.isComputing(); }, 10000));
    QVERIFY(f.model.isResting());
    f.model.setNetwork(logitNetwork());
    QVERIFY(!f.model.isResting());
    f.model.update();
    QVERIFY(f.model.isComputing());
    QVERIFY(f.settle());
    QCOMPARE(f.model.history()->steps, (std::vector<std::uint64_t>{0, 10, 20}));
}

void TestExampleHistory::modelDropsRewoundSteps()
{
    Fixture f;
    f.timeline->record(0, parameters(1));
    f.timeline->record(10, parameters(2));
    f.timeline->record(20, parameters(1, std::log(4.0f)));
    f.model.update();
    QVERIFY(f.settle());
    QCOMPARE(rightAt(*f.model.history(), 2), (std::vector<bool>{false, true, false}));
    // The run starts again from step 10: its step 20 has other parameters.
    f.timeline->record(20, parameters(1));
    f.model.update();
    QVERIFY(f.settle());
    const auto h = f.model.history();
    QCOMPARE(h->steps, (std::vector<std::uint64_t>{0, 10, 20}));
    QCOMPARE(rightAt(*h, 2), (std::vector<bool>{true, false, false}));
    // A cleared timeline: no columns.
    f.timeline->clear();
    f.model.update();
    QVERIFY(f.model.history()->empty());
}

void TestExampleHistory::modelKeepsAtMostMaxColumns()
{
    Fixture f;
    f.model.setMaxColumns(6);
    for (std::uint64_t s = 0; s <= 100; ++s) f.timeline->record(s, parameters(s % 2 ? 1.0f : 2.0f));
    f.model.update();
    QVERIFY(f.settle());
    const auto h = f.model.history();
    QCOMPARE(h->steps, (std::vector<std::uint64_t>{0, 20, 40, 60, 80, 100}));
    // More steps: the columns move with the run, reusing what is computed.
    for (std::uint64_t s = 101; s <= 110; ++s) f.timeline->record(s, parameters(1));
    QSignalSpy progress(&f.model, &ExampleHistoryModel::progress);
    f.model.update();
    QVERIFY(f.settle());
    QCOMPARE(f.model.history()->size(), std::size_t(6));
    QCOMPARE(f.model.history()->steps.front(), std::uint64_t(0));
    QCOMPARE(f.model.history()->steps.back(), std::uint64_t(110));
    QVERIFY(progress.first().at(1).toInt() < 6);
}

void TestExampleHistory::modelCancels()
{
    // A probe set large enough that the task is still running when the
    // inputs change or the model goes.
    auto probe = std::make_shared<ProbeSet>();
    const std::size_t n = 20000;
    probe->images = cs::Tensor<float>(cs::Shape{n, 1, 1, 3});
    probe->labels.assign(n, 1);
    probe->imageIndices.assign(n, 0);
    auto timeline = std::make_shared<cs::ParameterTimeline>(12);
    for (std::uint64_t s = 0; s < 200; ++s) timeline->record(s, parameters(float(s)));
    {
        auto model = std::make_unique<ExampleHistoryModel>();
        model->setNetwork(logitNetwork());
        model->setTimeline(timeline);
        model->setProbe(probe);
        model->update();
        QVERIFY(model->isComputing());
        QElapsedTimer clock;
        clock.start();
        model->setNetwork(logitNetwork()); // cancels, does not wait
        QVERIFY(!model->isComputing());
        QVERIFY(model->history()->empty());
        model->update();
        QVERIFY(model->isComputing());
        model.reset(); // destroyed while computing: does not wait either
        QVERIFY(clock.elapsed() < 1000);
    }
    // The cancelled tasks end on their own.
    QVERIFY(QTest::qWaitFor([] { return QThreadPool::globalInstance()->activeThreadCount() == 0; }, 20000));
}

void TestExampleHistory::firstTestImagesThroughLeNet()
{
    // The default probe set: the first 200 test images, read by LeNet-5 at
    // two steps (two initialisations standing for them).
    const cs::Dataset digits = cs::load_digits();
    const auto probe = ProbeSet::first(digits);
    QCOMPARE(probe->size(), ProbeSet::defaultSize);
    QCOMPARE(probe->images.shape(), (cs::Shape{200, 28, 28, 1}));
    QCOMPARE(probe->imageIndices[199], 199);
    QVERIFY(std::equal(probe->labels.begin(), probe->labels.end(), digits.test_labels.begin()));
    QVERIFY(std::equal(probe->images.data(), probe->images.data() + probe->images.size(), digits.test_images.data()));
    QCOMPARE(probe->classNames.size(), 10);
    QCOMPARE(ProbeSet::first(digits, DataSplit::Training, 5)->size(), 5);

    auto model = cs::lenet5<float>({28, 28, 1}, 1);
    auto timeline = std::make_shared<cs::ParameterTimeline>(model->parameter_count());
    timeline->record(0, model->parameters());
    model->initialize(2);
    timeline->record(1, model->parameters());
    ExampleHistoryModel history;
    history.setNetwork(model->shared_network());
    history.setTimeline(timeline);
    history.setProbe(probe);
    history.update();
    QVERIFY(QTest::qWaitFor([&history] { return !history.isComputing() && !history.isResting(); }, 20000));
    QCOMPARE(history.history()->size(), std::size_t(2));
    // The same numbers as the trainer's evaluate() on those parameters.
    const cs::Evaluation e = cs::evaluate(*model, probe->images, probe->labels);
    QCOMPARE(history.history()->columns[1].predicted, e.predictions);
    // Another network's timeline is refused, not computed.
    QSignalSpy failed(&history, &ExampleHistoryModel::failed);
    history.setNetwork(logitNetwork());
    history.update();
    QCOMPARE(failed.count(), 1);
    QVERIFY(!history.isComputing());
    QVERIFY(!history.error().isEmpty());
}

void TestExampleHistory::viewOrdersRows()
{
    ExampleHistoryView view;
    view.setHistory(written(m_steps, m_rows, m_labels, 1), nullptr);
    const auto rows = [&view] {
        std::vector<int> r;
        for (int i = 0; i < view.rowCount(); ++i) r.push_back(view.exampleAt(i));
        return r;
    };
    QCOMPARE(rows(), (std::vector<int>{0, 1, 2, 3, 4, 5}));
    view.setOrder(cs::ExampleOrder::by_learned);
    QCOMPARE(rows(), (std::vector<int>{0, 1, 4, 2, 3, 5}));
    // The combo sets the order too.
    auto* box = view.findChild<QComboBox*>(QStringLiteral("exampleOrder"));
    QVERIFY(box);
    QCOMPARE(box->currentData().toInt(), int(cs::ExampleOrder::by_learned));
    box->setCurrentIndex(box->findData(int(cs::ExampleOrder::forgotten_first)));
    QCOMPARE(view.order(), cs::ExampleOrder::forgotten_first);
    QCOMPARE(rows(), (std::vector<int>{3, 2, 4, 0, 1, 5}));
    QCOMPARE(view.columnCount(), 4);
}

void TestExampleHistory::clickChoosesExampleAndStep()
{
    auto probe = std::make_shared<ProbeSet>();
    probe->labels = m_labels;
    probe->imageIndices = {100, 101, 102, 103, 104, 105}; // example i is test image 100 + i
    ExampleHistoryView view;
    view.resize(800, 500);
    view.setHistory(written(m_steps, m_rows, m_labels, 1), probe);
    view.setOrder(cs::ExampleOrder::by_learned);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy chosen(&view, &ExampleHistoryView::exampleChosen);
    // Row 2 by when learned is example 4; column 3 is step 1000.
    const QRect cell = view.cellRect(2, 3);
    QVERIFY(cell.width() > 4 && cell.height() > 4);
    QTest::mouseClick(&view, Qt::LeftButton, {}, cell.center());
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.first().at(0).toInt(), 104);
    QCOMPARE(chosen.first().at(1).toULongLong(), quint64(1000));
    QCOMPARE(view.selectedExample(), 4);
    // Its corners are in it too, and outside the grid nothing is chosen.
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(0, 0).topLeft());
    QCOMPARE(chosen.last().at(0).toInt(), 100);
    QCOMPARE(chosen.last().at(1).toULongLong(), quint64(0));
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(5, 3).bottomRight());
    QCOMPARE(chosen.last().at(0).toInt(), 105);
    QCOMPARE(chosen.last().at(1).toULongLong(), quint64(1000));
    QTest::mouseClick(&view, Qt::LeftButton, {}, QPoint(2, view.height() - 2));
    QCOMPARE(chosen.count(), 3);
}

void TestExampleHistory::cellTextAndSummary()
{
    auto probe = std::make_shared<ProbeSet>();
    probe->labels = m_labels;
    probe->imageIndices = {17, 18, 19, 20, 21, 22};
    ExampleHistoryView view;
    view.setLocale(QLocale(QLocale::English, QLocale::UnitedStates));
    view.setHistory(written({0, 100, 250, 1200}, m_rows, m_labels, 1), probe);
    // Example 0 (a 7) right at 1,200; example 4 (a 2) forgotten at 100,
    // learned again at 1,200; example 3 (a 7) read as 1 at 1,200.
    QCOMPARE(view.cellText(0, 3), QStringLiteral("test image 17 (a 7) at step 1,200: read right, p(7) = 0.90\n"
                                                 "learned at step 0"));
    QCOMPARE(view.cellText(3, 3), QStringLiteral("test image 20 (a 7) at step 1,200: read as 1, p(7) = 0.12\n"
                                                 "not learned by step 1,200; forgotten 2 times, last at step 1,200"));
    QCOMPARE(view.cellText(4, 1), QStringLiteral("test image 21 (a 2) at step 100: read as 1, p(2) = 0.12\n"
                                                 "learned at step 1,200; forgotten once, at step 100"));
    QCOMPARE(view.summary(), QStringLiteral("3 of 6 learned; 3 learned and then forgotten"));
    auto* summary = view.findChild<QLabel*>(QStringLiteral("exampleHistorySummary"));
    QVERIFY(summary);
    QCOMPARE(summary->text(), view.summary());
    // Class names from the dataset when it has them.
    auto named = std::make_shared<ProbeSet>(*probe);
    named->classNames = {"T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                         "Ankle boot"};
    view.setHistory(view.history(), named);
    QVERIFY(view.cellText(3, 3).startsWith(
        QStringLiteral("test image 20 (a Sneaker) at step 1,200: read as Trouser, p(Sneaker) = 0.12")));
}

void TestExampleHistory::currentStepIsMarked()
{
    ExampleHistoryView view;
    view.resize(800, 500);
    view.setHistory(written(m_steps, m_rows, m_labels, 1), nullptr);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    // Step 400 is shown as the last column at or before it, step 250's.
    view.setCurrentStep(400);
    const QImage shot = view.grab().toImage();
    const QRect cell = view.cellRect(1, 2);
    QCOMPARE(QColor(shot.pixel(cell.center())), QColor(20, 60, 160));
    // Column 1 (step 100) is not marked.
    QVERIFY(QColor(shot.pixel(view.cellRect(1, 1).center())) != QColor(20, 60, 160));
    view.clearCurrentStep();
    QVERIFY(QColor(view.grab().toImage().pixel(cell.center())) != QColor(20, 60, 160));
}

void TestExampleHistory::everyRowFitsTheProjector()
{
    // 200 images over 200 steps in a view of a third of a 1280x720
    // projector's width and most of its height: every cell has a pixel,
    // and the cells tile the grid without gaps or overlaps.
    std::vector<std::uint64_t> steps;
    for (std::uint64_t s = 0; s < 200; ++s) steps.push_back(s * 50);
    std::vector<std::string> rows(200, std::string(200, '.'));
    for (std::size_t i = 0; i < 200; ++i)
        for (std::size_t c = i; c < 200; ++c) rows[i][c] = 'X';
    ExampleHistoryView view;
    view.resize(440, 500);
    view.setHistory(written(steps, rows, std::vector<std::uint8_t>(200, 3), 1), nullptr);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    for (int r = 0; r < 200; ++r) {
        QVERIFY2(!view.cellRect(r, 0).isEmpty(), qPrintable(QString::number(r)));
        if (r > 0) QCOMPARE(view.cellRect(r, 0).top(), view.cellRect(r - 1, 0).bottom() + 1);
    }
    for (int c = 1; c < 200; ++c) QCOMPARE(view.cellRect(0, c).left(), view.cellRect(0, c - 1).right() + 1);
    // Sorted by when learned, example i (learned at column i) is row i.
    view.setOrder(cs::ExampleOrder::by_learned);
    QCOMPARE(view.exampleAt(0), 0);
    QCOMPARE(view.exampleAt(199), 199);
}

void TestExampleHistory::viewFollowsModel()
{
    Fixture f;
    ExampleHistoryView view;
    view.setModel(&f.model);
    f.timeline->record(0, parameters(1));
    f.timeline->record(10, parameters(1, std::log(4.0f)));
    f.model.update();
    QVERIFY(f.settle());
    QCOMPARE(view.columnCount(), 2);
    QCOMPARE(view.rowCount(), 3);
    QCOMPARE(view.summary(), QStringLiteral("1 of 3 learned; 1 learned and then forgotten"));
    view.setModel(nullptr);
    QCOMPARE(view.rowCount(), 0);
}

QTEST_MAIN(TestExampleHistory)
#include "tst_examplehistory.moc"
