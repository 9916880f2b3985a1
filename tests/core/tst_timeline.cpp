// The parameter timeline: which steps it keeps, within what memory, and that
// what it keeps is what the training had (issue 16).
#include "lenet5.hpp"
#include "model_file.hpp"
#include "parameter_timeline.hpp"
#include "trainer.hpp"
#include "errors.hpp"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <random>
#include <set>
#include <stdexcept>

using namespace cs;

namespace {

arma::Col<float> filled(std::size_t n, float value) { return arma::Col<float>(n, arma::fill::value(value)); }

// The rule written out plainly (parameter_timeline.hpp): every step younger
// than R, multiples of 10 younger than 10R, of 100 younger than 100R...
std::set<std::uint64_t> expected_steps(std::uint64_t first, std::uint64_t now, std::uint64_t dense)
{
    std::set<std::uint64_t> keep{first, now};
    for (std::uint64_t s = first; s <= now; ++s) {
        const std::uint64_t age = now - s;
        std::uint64_t spacing = 1, bound = dense;
        while (age >= bound) {
            spacing *= 10;
            bound *= 10;
        }
        if (s % spacing == 0) keep.insert(s);
    }
    return keep;
}

// A training set of noise with random labels: enough to move the weights.
void noise_set(std::size_t n, Tensor<float>& x, std::vector<std::uint8_t>& y)
{
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0, 1);
    x.resize({n, 28, 28, 1});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = u(rng);
    y.resize(n);
    for (auto& label : y) label = std::uint8_t(rng() % 10);
}

} // namespace

class TestTimeline : public QObject {
    Q_OBJECT

private slots:
    void keepsEveryRecentStepAndThinsOlderOnesByPowersOfTen()
    {
        ParameterTimeline timeline(10, std::size_t(1) << 30, 100);
        for (std::uint64_t s = 0; s <= 12'345; ++s) timeline.record(s, filled(10, float(s)));
        const auto steps = timeline.steps();
        const auto expected = expected_steps(0, 12'345, 100);
        QCOMPARE(std::set<std::uint64_t>(steps.begin(), steps.end()), expected);
        QVERIFY(std::is_sorted(steps.begin(), steps.end()));
        // 100 dense, 90 at 10, 90 at 100, the rest at 1000, and step 0.
        QCOMPARE(timeline.size(), expected.size());
        QCOMPARE(timeline.dense_steps(), std::uint64_t(100));
        for (const auto s : steps) QCOMPARE((*timeline.at(s))[3], float(s));
        QVERIFY(!timeline.at(12'341 - 100 - 5));
        QCOMPARE(*timeline.kept_at_or_before(12'345 - 105), std::uint64_t(12'240));
    }

    void staysWithinItsBudget()
    {
        // 1,000 parameters: 4,000 bytes a step; 25 steps fit in 100 kB.
        ParameterTimeline timeline(1000, 100'000, 500);
        QCOMPARE(timeline.capacity(), std::size_t(25));
        for (std::uint64_t s = 0; s <= 20'000; ++s) {
            timeline.record(s, filled(1000, float(s)));
            QVERIFY2(timeline.size() <= 25, qPrintable(QString("%1 steps kept at step %2").arg(timeline.size()).arg(s)));
        }
        QVERIFY(timeline.bytes() <= 100'000);
        QCOMPARE(*timeline.first_step(), std::uint64_t(0));
        QCOMPARE(*timeline.last_step(), std::uint64_t(20'000));
        QVERIFY(timeline.dense_steps() < 500); // halved to fit
        // What is kept still follows the rule for the R it came down to.
        const auto steps = timeline.steps();
        for (const auto s : steps)
            QVERIFY(s == 0 || s == 20'000 || ParameterTimeline::keeps(s, 20'000 - s, timeline.dense_steps()));
        // A smaller budget thins at once.
        timeline.set_budget_bytes(40'000);
        QVERIFY(timeline.size() <= 10);
        QVERIFY_THROWS_EXCEPTION(ShapeError, timeline.set_budget_bytes(7'999));
        QVERIFY_THROWS_EXCEPTION(ShapeError, ParameterTimeline(1000, 4000));
        QVERIFY_THROWS_EXCEPTION(ShapeError, ParameterTimeline(0));
    }

    void aSnapshotHandedOutIsNeverWrittenAgain()
    {
        ParameterTimeline timeline(100, 20 * 400, 5);
        timeline.record(0, filled(100, 0));
        timeline.record(1, filled(100, 1));
        const auto held = timeline.at(1);
        for (std::uint64_t s = 2; s < 500; ++s) timeline.record(s, filled(100, float(s)));
        QVERIFY(!timeline.at(1)); // dropped from the timeline...
        QCOMPARE((*held)[0], 1.f);  // ...but the reader's copy is intact
        QCOMPARE((*held)[99], 1.f);
    }

    void recordingAnEarlierStepStartsAgainFromThere()
    {
        ParameterTimeline timeline(4);
        for (std::uint64_t s = 0; s < 10; ++s) timeline.record(s, filled(4, float(s)));
        timeline.record(6, filled(4, 60));
        QCOMPARE(timeline.steps(), (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6}));
        QCOMPARE((*timeline.at(6))[0], 60.f);
        QVERIFY_THROWS_EXCEPTION(ShapeError, timeline.record(7, filled(5, 0)));
        const auto before = timeline.revision();
        timeline.clear();
        QVERIFY(timeline.empty());
        QVERIFY(timeline.revision() > before);
    }

    void recordingInTwoHalvesKeepsWhatWasWritten()
    {
        ParameterTimeline timeline(4, 20 * 16, 5);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, timeline.keep_next(1)); // nothing written
        float* next = timeline.next_buffer();
        QCOMPARE(timeline.next_buffer(), next); // the same until kept
        std::fill(next, next + 4, 7.f);
        QVERIFY(timeline.empty());             // not a step before it is kept
        timeline.keep_next(1);
        QCOMPARE(timeline.steps(), (std::vector<std::uint64_t>{1}));
        QCOMPARE((*timeline.at(1))[3], 7.f);
        // The next buffer is another: writing it leaves step 1 as it was.
        float* after = timeline.next_buffer();
        QVERIFY(after != next);
        std::fill(after, after + 4, 8.f);
        QCOMPARE((*timeline.at(1))[0], 7.f);
        timeline.keep_next(2);
        QCOMPARE((*timeline.at(2))[0], 8.f);
        // And once warm, kept buffers that are dropped are written again.
        for (std::uint64_t s = 3; s < 200; ++s) {
            std::fill_n(timeline.next_buffer(), 4, float(s));
            timeline.keep_next(s);
        }
        QCOMPARE((*timeline.at(199))[2], 199.f);
        QVERIFY(timeline.size() <= 20);
    }

    // The test: train N steps recording the timeline, save it, then
    // train again from the same seed and compare the parameters at every kept step.
    void keptStepsHoldWhatTheTrainingHadThen()
    {
        Tensor<float> x;
        std::vector<std::uint8_t> y;
        noise_set(256, x, y);
        const std::uint64_t steps = 150;
        QTemporaryDir dir;
        const std::string path = dir.filePath("timeline.npz").toStdString();
        {
            auto model = lenet5<float>({28, 28, 1}, 11);
            Adam<float> adam;
            Trainer<float> trainer(*model, adam, x, y, {16, 11, true, 2});
            ParameterTimeline timeline(model->parameter_count(), 40 * model->parameter_count() * 4, 10);
            timeline.record(0, model->parameters());
            // Both ways of recording: the window's (the update writes the
            // parameters into the timeline's buffer), and record().
            for (std::uint64_t s = 1; s <= steps; ++s) {
                if (s % 2) {
                    trainer.step(timeline.next_buffer());
                    timeline.keep_next(trainer.step_count());
                } else {
                    trainer.step();
                    timeline.record(trainer.step_count(), model->parameters());
                }
            }
            QVERIFY(timeline.size() < steps / 2); // thinned
            save_model(path, *model, {}, {}, nullptr, &timeline);
        }
        const ModelFile f = load_model(path);
        QVERIFY(f.timeline);
        const auto kept = f.timeline->steps();
        QCOMPARE(kept.front(), std::uint64_t(0));
        QCOMPARE(kept.back(), steps);
        QCOMPARE(f.timeline->dense_steps(), std::uint64_t(10));

        auto model = lenet5<float>({28, 28, 1}, 11);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {16, 11, true});
        std::size_t compared = 0;
        for (std::uint64_t s = 0; s <= steps; ++s) {
            if (s > 0) trainer.step();
            if (const auto p = f.timeline->at(s)) {
                QVERIFY2(arma::approx_equal(*p, model->parameters(), "absdiff", 0.f),
                         qPrintable(QString("step %1").arg(s)));
                ++compared;
            }
        }
        QCOMPARE(compared, kept.size());
        // And the final weights are the last kept step's.
        QVERIFY(arma::approx_equal(*f.timeline->at(steps), f.model->parameters(), "absdiff", 0.f));
    }

    void aFileWithoutATimelineHasNone()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("plain.npz").toStdString();
        auto model = lenet5<float>({28, 28, 1}, 1);
        save_model(path, *model);
        QVERIFY(!load_model(path).timeline);
    }

    void aDamagedTimelineIsRefusedByName()
    {
        QTemporaryDir dir;
        auto model = lenet5<float>({28, 28, 1}, 1);
        ParameterTimeline timeline(model->parameter_count());
        timeline.record(0, model->parameters());
        timeline.record(1, model->parameters());
        const std::string good = dir.filePath("good.npz").toStdString();
        save_model(good, *model, {}, {}, nullptr, &timeline);
        auto members = read_npz(good);

        const auto refused = [&](const char* name, auto change, const char* words) {
            auto copy = members;
            change(copy);
            std::vector<std::pair<std::string, NpyArray>> out(copy.begin(), copy.end());
            const std::string bad = dir.filePath(name).toStdString();
            write_npz(bad, out);
            try {
                load_model(bad);
                QFAIL(qPrintable(QString("%1 was read").arg(name)));
            } catch (const FormatError& e) {
                QVERIFY2(QString(e.what()).contains(words), e.what());
                QVERIFY2(QString(e.what()).contains(name), e.what());
            }
        };
        refused("descending.npz", [](auto& m) {
            const std::vector<std::int64_t> steps{5, 3};
            m["timeline/steps"] = to_npy(std::span<const std::int64_t>(steps));
        }, "ascending");
        refused("short.npz", [](auto& m) {
            const std::vector<std::int64_t> steps{0, 1, 2};
            m["timeline/steps"] = to_npy(std::span<const std::int64_t>(steps));
        }, "timeline/parameters");
        refused("nan.npz", [](auto& m) {
            auto& p = m["timeline/parameters"];
            const float nan = std::numeric_limits<float>::quiet_NaN();
            std::memcpy(p.data.data() + p.data.size() - 4, &nan, 4);
        }, "not all finite");
        refused("settings.npz", [](auto& m) {
            const std::vector<std::int64_t> settings{0, 500};
            m["timeline/settings"] = to_npy(std::span<const std::int64_t>(settings));
        }, "timeline/settings");
    }

    void savingAModelOfAnotherSizeIsRefused()
    {
        auto model = lenet5<float>({28, 28, 1}, 1);
        ParameterTimeline timeline(10);
        timeline.record(0, filled(10, 0));
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(ShapeError, save_model(dir.filePath("x.npz").toStdString(), *model, {}, {}, nullptr,
                                                        &timeline));
    }
};

QTEST_APPLESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
