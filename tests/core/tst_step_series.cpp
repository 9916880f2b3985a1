// StepSeries (step_series.hpp): every step while the series is short, then
// means of 2, 4, ... steps, checked against means worked out by hand, and a
// long run against the exact mean of every point's steps.
#include "step_series.hpp"

#include <QTest>

#include <cmath>
#include <numeric>
#include <stdexcept>

using namespace cs;

namespace {

std::vector<float> floats(std::initializer_list<float> values)
{
    return values;
}

} // namespace

class TestStepSeries : public QObject {
    Q_OBJECT

private slots:
    void shortSeriesKeepsEveryStep()
    {
        StepSeries s{2.5f, 2.0f, 1.5f};
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s.steps(), std::uint64_t(3));
        QCOMPARE(s.steps_per_point(), std::uint64_t(1));
        QCOMPARE(s.point_of_step(2), std::size_t(2));
        QCOMPARE(s.point_of_step(3), std::size_t(3)); // past the end
        s.push_back(1.0f);
        QCOMPARE(s.points(), floats({2.5f, 2.0f, 1.5f, 1.0f}));
        QVERIFY(StepSeries().empty());
        QCOMPARE(StepSeries().steps(), std::uint64_t(0));
    }

    void fullSeriesHalvesItsResolution()
    {
        // 8 points at most, steps valued 1..21: by hand, means of 4 steps
        // (1-4: 2.5, 5-8: 6.5, ...) and step 21 alone.
        StepSeries s;
        s.set_max_points(8);
        for (int step = 1; step <= 8; ++step) s.push_back(float(step));
        QCOMPARE(s.steps_per_point(), std::uint64_t(1));
        s.push_back(9);
        QCOMPARE(s.points(), floats({1.5f, 3.5f, 5.5f, 7.5f, 9.0f}));
        QCOMPARE(s.steps_per_point(), std::uint64_t(2));
        QCOMPARE(s.last_point_steps(), std::uint64_t(1));
        for (int step = 10; step <= 21; ++step) s.push_back(float(step));
        QCOMPARE(s.points(), floats({2.5f, 6.5f, 10.5f, 14.5f, 18.5f, 21.0f}));
        QCOMPARE(s.steps(), std::uint64_t(21));
        QCOMPARE(s.steps_per_point(), std::uint64_t(4));
        QCOMPARE(s.last_point_steps(), std::uint64_t(1));
        QCOMPARE(s.point_of_step(19), std::size_t(4));
        QCOMPARE(s.point_of_step(20), std::size_t(5));
        QCOMPARE(s.first_step(5), std::uint64_t(20));
        QCOMPARE(s.steps_in(4), std::uint64_t(4));
        QCOMPARE(s.steps_in(5), std::uint64_t(1));
    }

    void partFilledPointsWeighByTheirSteps()
    {
        // 7 steps at 2 a point, the last holding one step (10): halved, the
        // second point is (3 * 2 + 10 * 1) / 3 = 16/3 over 3 steps.
        StepSeries s({1, 2, 3, 10}, 2, 7);
        QCOMPARE(s.last_point_steps(), std::uint64_t(1));
        s.halve();
        QCOMPARE(s.points(), floats({1.5f, 16.0f / 3}));
        QCOMPARE(s.steps_per_point(), std::uint64_t(4));
        QCOMPARE(s.last_point_steps(), std::uint64_t(3));
        QCOMPARE(s.steps(), std::uint64_t(7));
        // Step 8 completes the last point: (16/3 * 3 + 6) / 4 = 5.5.
        s.push_back(6);
        QCOMPARE(s.points(), floats({1.5f, 5.5f}));
        QCOMPARE(s.last_point_steps(), std::uint64_t(4));

        // An odd number of points: the last stands alone, part-filled, and
        // the next steps fill it before a new point starts.
        StepSeries odd;
        odd.set_max_points(4);
        for (int step = 1; step <= 5; ++step) odd.push_back(float(step));
        QCOMPARE(odd.points(), floats({1.5f, 3.5f, 5.0f}));
        odd.set_max_points(2);
        QCOMPARE(odd.points(), floats({2.5f, 5.0f}));
        QCOMPARE(odd.steps_per_point(), std::uint64_t(4));
        QCOMPARE(odd.last_point_steps(), std::uint64_t(1));
        for (int step = 6; step <= 8; ++step) odd.push_back(float(step));
        QCOMPARE(odd.points(), floats({2.5f, 6.5f}));
        odd.push_back(9); // full: halve to one point of 8 steps, then a new one
        QCOMPARE(odd.points(), floats({4.5f, 9.0f}));
        QCOMPARE(odd.steps_per_point(), std::uint64_t(8));
        QCOMPARE(odd.steps(), std::uint64_t(9));
    }

    void aStepWithoutValueMakesItsPointAGap()
    {
        StepSeries s;
        s.set_max_points(2);
        for (float v : {1.0f, NAN, 3.0f, 4.0f}) s.push_back(v);
        QCOMPARE(s.size(), std::size_t(2));
        QVERIFY(std::isnan(s[0]));
        QCOMPARE(s[1], 3.5f);
    }

    void longRunKeepsExactMeansInBoundedMemory()
    {
        // 100,003 steps of value i into 1,024 points: each point the mean of
        // its steps, within float rounding; the memory that of 1,024 points.
        const std::uint64_t steps = 100003;
        StepSeries s;
        s.set_max_points(1024);
        for (std::uint64_t i = 0; i < steps; ++i) s.push_back(float(i));
        QCOMPARE(s.steps(), steps);
        QVERIFY(s.size() <= 1024 && s.size() > 512);
        QCOMPARE(s.steps_per_point(), std::uint64_t(128)); // 100,003 / 1,024 rounded up to a power of two
        QVERIFY(s.points().capacity() <= 1024);
        for (std::size_t p = 0; p < s.size(); ++p) {
            const double first = double(s.first_step(p)), count = double(s.steps_in(p));
            const double exact = first + (count - 1) / 2; // the mean of first .. first + count - 1
            QVERIFY2(std::abs(double(s[p]) - exact) <= 1e-6 * exact + 1e-6, // float's rounding, a few times
                     qPrintable(QStringLiteral("point %1: %2, not %3").arg(p).arg(double(s[p])).arg(exact)));
        }
        QCOMPARE(StepSeries::default_max_points, std::size_t(1) << 18);
    }

    void pointsReadBackMustFitTheirSteps()
    {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({1, 2}, 3, 6));           // not a power of two
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({1, 2}, 0, 0));           // no steps a point
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({1, 2}, 4, 9));           // 9 steps are 3 points
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({1}, std::uint64_t(1) << 41, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({}, 2, 1));
        QCOMPARE(StepSeries({1, 2}, 4, 8).last_point_steps(), std::uint64_t(4));
        QCOMPARE(StepSeries({}, 4, 0).steps(), std::uint64_t(0));
        // 2^64 - 1 steps at 2^40 a point would be 2^24 points: refused, not wrapped.
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, StepSeries({1}, std::uint64_t(1) << 40, ~std::uint64_t(0)));
        StepSeries s;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.set_max_points(3));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, s.set_max_points(1));
    }
};

QTEST_APPLESS_MAIN(TestStepSeries)
#include "tst_step_series.moc"
