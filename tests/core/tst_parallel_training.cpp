// Training with several threads: the mini-batch is cut into shards that run
// on the trainer's threads, and their gradients are added in shard order
// (trainer.hpp). Checked here:
//   - WorkerTeam runs every part once, from any number of threads, and
//     passes a part's exception on; resting, it runs them all on the
//     caller, and its helpers take parts again once woken;
//   - one step's gradient equals the gradient of the whole batch computed in
//     one piece (double: to 1e-12), dropout included, for batches that cut
//     evenly and unevenly;
//   - the same seed gives bit-identical runs with 1, 2 and 3 threads, and
//     with the helpers resting now and then (as the window has them);
//   - a warm step allocates nothing;
//   - Trainer::evaluate on the trainer's threads gives cs::evaluate's numbers;
//   - a thread made nicer (as the window's training thread is) starts a
//     team whose threads are as nice, and leaves other threads alone.
#include "architecture.hpp"
#include "lenet5.hpp"
#include "thread_priority.hpp"
#include "trainer.hpp"
#include "worker_team.hpp"
#include "test_util.hpp"

#include <QTest>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <new>
#include <stdexcept>

using namespace cs;

// Every allocation of the process is counted, so that a test can check that
// a warm training step makes none.
namespace {
std::atomic<long> allocations{0};
}
void* operator new(std::size_t size)
{
    ++allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

std::vector<std::uint8_t> cyclic_labels(std::size_t n)
{
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = std::uint8_t((i * 7) % 10);
    return y;
}

// A small network with dropout, so that the masks of a split batch are checked.
template <typename T>
std::unique_ptr<Sequential<T>> net_with_dropout(std::uint64_t seed)
{
    using namespace layers;
    return make_model<T>({12, 12, 1},
                         {conv2d(4, {3, 3}, {1, 1}, Padding::same, Activation::relu), max_pooling2d(), dropout(0.4),
                          flatten(), dense(16, Activation::relu), dropout(0.3), dense(10)},
                         seed);
}

bool same_bits(const arma::fvec& a, const arma::fvec& b)
{
    return a.n_elem == b.n_elem && std::memcmp(a.memptr(), b.memptr(), a.n_elem * sizeof(float)) == 0;
}

} // namespace

class TestParallelTraining : public QObject {
    Q_OBJECT

private slots:
    void teamRunsEveryPartOnce()
    {
        for (std::size_t threads : {1, 2, 3, 8}) {
            WorkerTeam team(threads);
            QCOMPARE(team.threads(), threads);
            // Many jobs in a row: no part lost or run twice between them.
            for (std::size_t parts : {1, 2, 5, 64, 0, 3}) {
                std::vector<std::atomic<int>> runs(parts);
                for (int job = 0; job < 50; ++job)
                    team.run(parts, [&](std::size_t i, std::size_t thread) {
                        ++runs[i];
                        if (thread >= threads) ++runs[i]; // a thread index out of range: counted twice
                    });
                for (std::size_t i = 0; i < parts; ++i) QCOMPARE(runs[i].load(), 50);
            }
        }
        QCOMPARE(WorkerTeam(0).threads(), std::size_t(1));
        QVERIFY(hardware_threads() >= 1);
    }

    void teamPassesAPartsExceptionOn()
    {
        WorkerTeam team(2);
        std::atomic<int> done{0};
        const auto failing = [&](std::size_t i, std::size_t) {
            if (i == 3) throw std::runtime_error("part 3 failed");
            ++done;
        };
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, team.run(8, failing));
        QVERIFY(done.load() < 8);
        // And the team still works afterwards.
        std::atomic<int> later{0};
        team.run(6, [&](std::size_t, std::size_t) { ++later; });
        QCOMPARE(later.load(), 6);
    }

    void restingTeamRunsEveryPartOnTheCaller()
    {
        using namespace std::chrono_literals;
        WorkerTeam team(3);
        team.run(4, [](std::size_t, std::size_t) {}); // the helpers awake, spinning
        team.rest();
        QVERIFY(team.resting());
        const std::thread::id caller = std::this_thread::get_id();
        for (int job = 0; job < 20; ++job) {
            std::vector<std::atomic<int>> runs(16);
            std::atomic<bool> elsewhere{false};
            team.run(16, [&](std::size_t i, std::size_t thread) {
                ++runs[i];
                if (thread != 0 || std::this_thread::get_id() != caller) elsewhere = true;
            });
            QVERIFY(!elsewhere);
            for (const std::atomic<int>& r : runs) QCOMPARE(r.load(), 1);
        }
        // Woken: part 0, on the caller, waits (10 s at most) for part 1 to be
        // taken by a helper.
        team.end_rest();
        QVERIFY(!team.resting());
        std::atomic<bool> helped{false};
        team.run(2, [&](std::size_t, std::size_t thread) {
            if (thread != 0) {
                helped = true;
                return;
            }
            for (int i = 0; i < 10000 && !helped; ++i) std::this_thread::sleep_for(1ms);
        });
        QVERIFY(helped);
    }

    // The window ends a rest from its own thread while a job runs on the
    // caller alone: the helpers wake and take the parts that are left.
    // Part 0 ends the rest, then waits (10 s at most) for another part to
    // run elsewhere; without the wake-up, the caller would run them all after
    // part 0 and the wait would time out.
    void restEndedMidJobGivesTheJobItsHelpers()
    {
        using namespace std::chrono_literals;
        WorkerTeam team(2);
        team.run(2, [](std::size_t, std::size_t) {});
        team.rest();
        std::atomic<bool> helped{false};
        std::atomic<int> runs{0};
        team.run(8, [&](std::size_t i, std::size_t thread) {
            ++runs;
            if (thread != 0) helped = true;
            if (i != 0) return;
            std::thread window([&] { team.end_rest(); });
            window.join();
            for (int k = 0; k < 10000 && !helped; ++k) std::this_thread::sleep_for(1ms);
        });
        QVERIFY(helped);
        QCOMPARE(runs.load(), 8);
        QVERIFY(!team.resting());
        team.end_rest(); // twice is harmless
        QVERIFY(!team.resting());
    }

    void teamThreadsInheritTheirStartersNiceness()
    {
#if defined(__linux__)
        const int before = current_thread_niceness();
        std::vector<int> seen(3, -100);
        int starter = -100;
        bool lowered = false, again = false;
        std::thread training([&] {
            lowered = lower_current_thread_priority(background_niceness);
            again = lower_current_thread_priority(background_niceness - 5); // never raises it again
            starter = current_thread_niceness();
            WorkerTeam team(3);
            // Enough parts, each slow enough, that every thread takes one.
            std::atomic<int> started{0};
            team.run(3, [&](std::size_t i, std::size_t) {
                ++started;
                while (started.load() < 3) std::this_thread::yield();
                seen[i] = current_thread_niceness();
            });
        });
        training.join();
        QVERIFY(lowered && again);
        QCOMPARE(starter, std::max(before, background_niceness));
        for (int nice : seen) QCOMPARE(nice, starter);
        QCOMPARE(current_thread_niceness(), before); // this thread untouched
#else
        QSKIP("per-thread niceness is Linux's");
#endif
    }

    void stepGradientIsTheWholeBatchsGradient_data()
    {
        QTest::addColumn<std::size_t>("batch");
        QTest::addColumn<std::size_t>("threads");
        QTest::addColumn<std::size_t>("shards");
        QTest::newRow("7: one shard") << std::size_t(7) << std::size_t(2) << std::size_t(1);
        QTest::newRow("32: two of 16") << std::size_t(32) << std::size_t(2) << std::size_t(2);
        QTest::newRow("37: 13, 12, 12") << std::size_t(37) << std::size_t(3) << std::size_t(3);
        QTest::newRow("50: four, one thread") << std::size_t(50) << std::size_t(1) << std::size_t(4);
    }

    void stepGradientIsTheWholeBatchsGradient()
    {
        QFETCH(std::size_t, batch);
        QFETCH(std::size_t, threads);
        QFETCH(std::size_t, shards);
        const Tensor<double> x = test::random_tensor<double>({64, 12, 12, 1}, 5, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(64);
        auto model = net_with_dropout<double>(9);
        const arma::vec start = model->parameters();
        SGD<double> sgd(0.1);
        Trainer<double> trainer(*model, sgd, x, y, {batch, 4, false, threads});
        const StepResult r = trainer.step();
        QCOMPARE(trainer.shard_count(), shards);
        std::size_t total = 0;
        for (std::size_t s = 0; s < shards; ++s) {
            const std::size_t size = trainer.shard_size(s);
            QVERIFY(size == batch / shards || size == batch / shards + 1);
            total += size;
        }
        QCOMPARE(total, batch);

        // The same step in one piece: unshuffled, the batch is samples
        // [0, batch); the seed is the trainer's for step 0 (trainer.cpp).
        auto whole = net_with_dropout<double>(9);
        QVERIFY(arma::approx_equal(whole->parameters(), start, "absdiff", 0.0));
        Tensor<double> chunk, probs, d_logits;
        slice_samples(x, 0, batch, chunk);
        Workspace<double> ws;
        const PassMode training{true, 4 * 0xD1B54A32D192ED03ull + 1};
        const LossResult expected = softmax_cross_entropy(whole->forward(chunk, ws, training), y.data(), probs, d_logits);
        whole->backward(d_logits, ws);
        QVERIFY(std::abs(r.loss - expected.loss) < 1e-12);
        QCOMPARE(r.accuracy, double(expected.correct) / double(batch));
        QVERIFY(arma::any(ws.gradients() != 0.0));
        QVERIFY(arma::approx_equal(trainer.gradients(), ws.gradients(), "absdiff", 1e-12));
    }

    void sameSeedSameRunWhateverTheThreads_data()
    {
        QTest::addColumn<std::size_t>("batch");
        QTest::newRow("32") << std::size_t(32);
        QTest::newRow("45") << std::size_t(45);
        QTest::newRow("128") << std::size_t(128);
    }

    void sameSeedSameRunWhateverTheThreads()
    {
        QFETCH(std::size_t, batch);
        const Tensor<float> x = test::random_tensor<float>({300, 28, 28, 1}, 11, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(300);
        const auto run = [&](std::size_t threads) {
            auto model = lenet5<float>({28, 28, 1}, 3);
            Adam<float> adam;
            Trainer<float> trainer(*model, adam, x, y, {batch, 8, true, threads});
            std::vector<double> losses;
            for (int s = 0; s < 6; ++s) losses.push_back(trainer.step().loss);
            return std::make_pair(losses, arma::fvec(model->parameters()));
        };
        const auto one = run(1), two = run(2), three = run(3);
        QCOMPARE(two.first, one.first);
        QCOMPARE(three.first, one.first);
        QVERIFY(same_bits(two.second, one.second));
        QVERIFY(same_bits(three.second, one.second));
    }

    void warmStepsAllocateNothing_data()
    {
        QTest::addColumn<std::size_t>("threads");
        QTest::addColumn<std::size_t>("batch");
        // Shards of unequal sizes (37: 13, 12, 12). Which thread runs which
        // shard varies, and on a busy machine a thread may run none in the
        // first steps: the trainer warms every lane before its first step
        // (a CI run once counted 6 allocations here when it did not).
        QTest::newRow("1 thread, 37") << std::size_t(1) << std::size_t(37);
        QTest::newRow("2 threads, 32") << std::size_t(2) << std::size_t(32);
        QTest::newRow("2 threads, 37") << std::size_t(2) << std::size_t(37);
        QTest::newRow("2 threads, 48") << std::size_t(2) << std::size_t(48);
        QTest::newRow("3 threads, 48") << std::size_t(3) << std::size_t(48);
    }

    void warmStepsAllocateNothing()
    {
        // LeNet-5 (its convolutions go the direct way); the last of the
        // counted steps ends the epoch (a reshuffle).
        QFETCH(std::size_t, threads);
        QFETCH(std::size_t, batch);
        const Tensor<float> x = test::random_tensor<float>({batch * 5, 28, 28, 1}, 17, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(batch * 5);
        auto model = lenet5<float>({28, 28, 1}, 5);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {batch, 6, true, threads});
        trainer.step(); // warm after one step
        const long before = allocations.load();
        for (int s = 0; s < 4; ++s) trainer.step();
        QCOMPARE(allocations.load() - before, 0L);
        QCOMPARE(trainer.epoch(), std::size_t(1));
    }

    void evaluateOnTheTrainersThreadsIsEvaluate()
    {
        // 37 samples in chunks of 10 (the last of 7), on 1, 2 and 3 threads:
        // the same numbers as cs::evaluate, bit for bit; the training lanes
        // keep the last step's buffers.
        const Tensor<float> x = test::random_tensor<float>({64, 12, 12, 1}, 21, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(64);
        const Tensor<float> test_x = test::random_tensor<float>({37, 12, 12, 1}, 22, 0, 1);
        const std::vector<std::uint8_t> test_y = cyclic_labels(37);
        auto model = net_with_dropout<float>(4);
        Adam<float> adam;
        Trainer<float> trainer(*model, adam, x, y, {32, 1, true, 1});
        trainer.step();
        const Evaluation want = evaluate(*model, test_x, test_y, 10);
        for (std::size_t threads : {1, 2, 3}) {
            trainer.set_threads(threads);
            trainer.step();
            const Evaluation want_now = evaluate(*model, test_x, test_y, 10);
            const float* kept = trainer.workspace(0).output(0).data();
            const Evaluation got = trainer.evaluate(test_x, test_y, 10);
            QCOMPARE(got.loss, want_now.loss);
            QCOMPARE(got.accuracy, want_now.accuracy);
            QCOMPARE(got.predictions, want_now.predictions);
            QCOMPARE(got.confidence, want_now.confidence);
            QCOMPARE(got.confusion, want_now.confusion);
            QCOMPARE(got.classes, std::size_t(10));
            QCOMPARE(trainer.workspace(0).batch_size(), std::size_t(16));
            QCOMPARE(trainer.workspace(0).output(0).data(), kept);
        }
        QVERIFY(want.loss > 0);
        std::size_t counted = 0;
        for (std::size_t c : want.confusion) counted += c;
        QCOMPARE(counted, std::size_t(37));
        QVERIFY_THROWS_EXCEPTION(ShapeError, trainer.evaluate(test_x, test_y, 0));
        QVERIFY_THROWS_EXCEPTION(ShapeError, trainer.evaluate(test_x, cyclic_labels(36), 10));
    }

    void threadsCanChangeBetweenSteps()
    {
        const Tensor<float> x = test::random_tensor<float>({96, 12, 12, 1}, 13, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(96);
        auto a = net_with_dropout<float>(2), b = net_with_dropout<float>(2);
        Adam<float> adam_a, adam_b;
        Trainer<float> ta(*a, adam_a, x, y, {32, 1, true, 1}), tb(*b, adam_b, x, y, {32, 1, true, 2});
        for (std::size_t threads : {2, 1, 3, 2}) {
            ta.set_threads(threads);
            QCOMPARE(ta.threads(), threads);
            QCOMPARE(ta.step().loss, tb.step().loss);
        }
        QVERIFY(same_bits(a->parameters(), b->parameters()));
        ta.set_threads(0);
        QCOMPARE(ta.threads(), std::size_t(1));
    }

    void restingHelpersChangeNothing()
    {
        const Tensor<float> x = test::random_tensor<float>({96, 12, 12, 1}, 17, 0, 1);
        const std::vector<std::uint8_t> y = cyclic_labels(96);
        auto a = net_with_dropout<float>(3), b = net_with_dropout<float>(3);
        Adam<float> adam_a, adam_b;
        Trainer<float> ta(*a, adam_a, x, y, {32, 1, true, 2}), tb(*b, adam_b, x, y, {32, 1, true, 2});
        for (int s = 0; s < 8; ++s) {
            if (s % 3 != 0) ta.rest_helpers();
            else ta.end_helpers_rest();
            QCOMPARE(ta.helpers_resting(), s % 3 != 0);
            QCOMPARE(ta.step().loss, tb.step().loss);
        }
        QVERIFY(same_bits(a->parameters(), b->parameters()));
    }
};

QTEST_APPLESS_MAIN(TestParallelTraining)
#include "tst_parallel_training.moc"
