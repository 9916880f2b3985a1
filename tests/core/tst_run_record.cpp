// A session's runs (run_record.hpp): they come back as they were saved, a
// file without them still opens, and every kind of damage to them is a
// FormatError naming the file and the member.
#include "handmade_files.hpp"
#include "lenet5.hpp"
#include "model_file.hpp"
#include "npy.hpp"
#include "run_record.hpp"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <functional>

using namespace cs;

namespace {

using Members = std::vector<std::pair<std::string, NpyArray>>;

RunRecord run(const std::string& name, std::size_t steps, double test_accuracy)
{
    RunRecord r;
    r.name = name;
    r.started_at = "2026-11-27T17:00:54Z";
    r.seconds = 12.25;
    r.architecture = architecture_text(*lenet5<float>());
    r.optimizer = "sgd";
    r.learning_rate = 0.01;
    r.batch_size = 64;
    r.seed = (std::uint64_t(1) << 63) + 5; // beyond int64: kept exactly
    r.dataset = "digits";
    r.steps = steps;
    for (std::size_t i = 0; i < steps; ++i) {
        r.history.loss.push_back(2.3f / float(i + 1));
        r.history.accuracy.push_back(float(i) / float(steps));
    }
    if (std::isfinite(test_accuracy)) {
        r.history.evaluations.push_back({steps, 1, 0.5, 0.8, 0.6, test_accuracy});
        r.train_accuracy = 0.8;
        r.test_accuracy = test_accuracy;
    }
    return r;
}

SessionRuns two_runs()
{
    SessionRuns runs;
    runs.current_name = "avg pooling";
    runs.current_started_at = "2026-11-27T17:10:00Z";
    runs.current_seconds = 3.5;
    runs.earlier.push_back(run("max pooling \u2014 'same'", 300, 0.91));
    runs.earlier.push_back(run("Run 2", 7, NAN)); // no evaluation: accuracies unknown
    return runs;
}

std::string text_of(const NpyArray& a)
{
    return std::string(reinterpret_cast<const char*>(a.data.data()), a.data.size());
}

NpyArray text_array(const std::string& text)
{
    return to_npy(Shape{text.size()}, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

NpyArray int64s(const std::vector<std::int64_t>& values)
{
    return to_npy(std::span<const std::int64_t>(values));
}

std::string format_error(const std::function<void()>& f)
{
    try {
        f();
    } catch (const FormatError& e) {
        return e.what();
    }
    return {};
}

} // namespace

class TestRunRecord : public QObject {
    Q_OBJECT

    QTemporaryDir dir;
    std::string path(const char* name) { return dir.filePath(name).toStdString(); }

    // A session with two_runs() whose members, read back as arrays, `damage` changes.
    std::string damaged(const std::function<void(std::map<std::string, NpyArray>&)>& damage)
    {
        const auto model = lenet5<float>();
        const SessionRuns runs = two_runs();
        save_model(path("good.npz"), *model, {}, {}, &runs);
        std::map<std::string, NpyArray> members = read_npz(path("good.npz"));
        damage(members);
        Members out(members.begin(), members.end());
        write_npz(path("damaged.npz"), out, true);
        return path("damaged.npz");
    }

    // The same session written byte by byte, its member `key` replaced by
    // `npy` (a .npy image that may lie about its size).
    std::string damaged_by_hand(const std::string& key, const std::string& npy)
    {
        const auto model = lenet5<float>();
        const SessionRuns runs = two_runs();
        save_model(path("good.npz"), *model, {}, {}, &runs);
        std::vector<handmade::ZipMember> members;
        for (const auto& [name, array] : read_npz(path("good.npz"))) {
            const std::vector<std::byte> image = npy_bytes(array);
            const std::string bytes = name == key ? npy : std::string(reinterpret_cast<const char*>(image.data()), image.size());
            members.push_back({name + ".npy", bytes, 0, bytes.size(), handmade::crc32_of(bytes)});
        }
        handmade::write_file(path("damaged.npz"), handmade::zip_archive(members));
        return path("damaged.npz");
    }

    // Replaces runs/index by `edit` of its JSON text.
    std::string damaged_index(const std::function<std::string(std::string)>& edit)
    {
        return damaged([&](std::map<std::string, NpyArray>& m) {
            m["runs/index"] = text_array(edit(text_of(m.at("runs/index"))));
        });
    }

private slots:
    void roundTrip()
    {
        const auto model = lenet5<float>();
        TrainingHistory history;
        history.loss = {2.3f, 2.1f};
        history.accuracy = {0.1f, 0.2f};
        const SessionRuns runs = two_runs();
        save_model(path("s.npz"), *model, {}, history, &runs);

        const ModelFile f = load_model(path("s.npz"));
        QVERIFY(f.runs.has_value());
        QCOMPARE(f.history.loss, history.loss); // the session's own history is untouched
        QCOMPARE(f.runs->current_name, runs.current_name);
        QCOMPARE(f.runs->current_started_at, runs.current_started_at);
        QCOMPARE(f.runs->current_seconds, 3.5);
        QCOMPARE(f.runs->earlier.size(), std::size_t(2));
        for (std::size_t i = 0; i < 2; ++i) {
            const RunRecord &a = f.runs->earlier[i], &b = runs.earlier[i];
            QCOMPARE(a.name, b.name);
            QCOMPARE(a.started_at, b.started_at);
            QCOMPARE(a.seconds, b.seconds);
            QCOMPARE(a.architecture, b.architecture);
            QCOMPARE(a.optimizer, b.optimizer);
            QCOMPARE(a.learning_rate, b.learning_rate);
            QCOMPARE(a.batch_size, b.batch_size);
            QCOMPARE(a.seed, b.seed);
            QCOMPARE(a.dataset, b.dataset);
            QCOMPARE(a.steps, b.steps);
            QCOMPARE(a.history.loss, b.history.loss);
            QCOMPARE(a.history.accuracy, b.history.accuracy);
            QCOMPARE(a.history.evaluations.size(), b.history.evaluations.size());
        }
        QCOMPARE(f.runs->earlier[0].test_accuracy, 0.91);
        QCOMPARE(f.runs->earlier[0].history.evaluations[0].step, std::uint64_t(300));
        QVERIFY(std::isnan(f.runs->earlier[1].train_accuracy));
        QVERIFY(std::isnan(f.runs->earlier[1].test_accuracy));
    }

    void longHistoriesKeepTheirResolution()
    {
        // 21 steps of values 1..21 kept in at most 8 points: means of 4
        // steps (2.5, 6.5, 10.5, 14.5, 18.5) and step 21 alone, both for the
        // model's own history and for an earlier run's.
        TrainingHistory history;
        history.loss.set_max_points(8);
        history.accuracy.set_max_points(8);
        for (int step = 1; step <= 21; ++step) history.add_step(float(step), float(step) / 100);
        SessionRuns runs = two_runs();
        runs.earlier[0].history = history;
        save_model(path("long.npz"), *lenet5<float>(), {}, history, &runs);

        const auto members = read_npz(path("long.npz"));
        for (const char* name : {"history/resolution", "runs/0/resolution"}) {
            const auto r = members.at(name).values<std::int64_t>();
            QCOMPARE(std::vector<std::int64_t>(r.begin(), r.end()), (std::vector<std::int64_t>{4, 21}));
        }
        QVERIFY(!members.count("runs/1/resolution")); // a short run's file is as before

        const ModelFile f = load_model(path("long.npz"));
        for (const TrainingHistory* h : {&f.history, &f.runs->earlier[0].history}) {
            QCOMPARE(h->loss.points(), (std::vector<float>{2.5f, 6.5f, 10.5f, 14.5f, 18.5f, 21.0f}));
            QCOMPARE(h->steps(), std::uint64_t(21));
            QCOMPARE(h->loss.steps_per_point(), std::uint64_t(4));
            QCOMPARE(h->accuracy.steps_per_point(), std::uint64_t(4));
            QCOMPARE(h->loss.last_point_steps(), std::uint64_t(1));
        }
        QCOMPARE(f.runs->earlier[1].history.loss.steps_per_point(), std::uint64_t(1));
    }

    void sessionWithoutEarlierRunsKeepsTheCurrentName()
    {
        SessionRuns runs;
        runs.current_name = "only one";
        save_model(path("one.npz"), *lenet5<float>(), {}, {}, &runs);
        const ModelFile f = load_model(path("one.npz"));
        QVERIFY(f.runs.has_value());
        QCOMPARE(f.runs->current_name, std::string("only one"));
        QVERIFY(f.runs->earlier.empty());
    }

    void fileWithoutRunsLoads()
    {
        save_model(path("plain.npz"), *lenet5<float>());
        const ModelFile f = load_model(path("plain.npz"));
        QVERIFY(!f.runs.has_value());
        QVERIFY(!read_npz(path("plain.npz")).count("runs/index"));
        // An older file (format 1, before runs existed) too.
        const ModelFile old = load_model(CONVSCOPE_TEST_DATA "/model-format-1.npz");
        QVERIFY(!old.runs.has_value());
    }

    void damagedRuns_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("expected"); // in the message, besides the file's name
        QTest::newRow("index not JSON") << 0 << "not valid JSON";
        QTest::newRow("index not text") << 1 << "runs/index' must be text";
        QTest::newRow("no list of runs") << 2 << "has no list 'runs'";
        QTest::newRow("a run without a name") << 3 << "run 0: has no 'name'";
        QTest::newRow("negative batch size") << 4 << "run 1: 'batch_size' must be a whole number";
        QTest::newRow("accuracy beyond 1") << 5 << "'test_accuracy' must be from 0 to 1";
        QTest::newRow("too many runs") << 6 << "a session may hold at most 1000";
        QTest::newRow("loss without accuracy") << 7 << "'runs/0/accuracy' is missing";
        QTest::newRow("loss and accuracy of other lengths") << 8 << "'runs/0/loss' has 300 points but 'runs/0/accuracy' has 2";
        QTest::newRow("evaluations of the wrong shape") << 9 << "'runs/0/evaluations' must be float64 (n, 6)";
        QTest::newRow("evaluation at step NaN") << 10 << "'runs/0/evaluations' row 0 has step nan";
        QTest::newRow("loss that is not float") << 11 << "'runs/1/loss' must be float32";
        QTest::newRow("truncated loss member") << 12 << "runs/0/loss";
        QTest::newRow("loss claiming 10^12 steps") << 16 << "runs/0/loss";
        QTest::newRow("index larger than allowed") << 13 << "a session's may have at most 16777216";
        QTest::newRow("a name too long") << 14 << "run 1: 'name' has 5000 bytes";
        QTest::newRow("seconds negative") << 15 << "'current': 'seconds' is out of range";
        // A history kept in means of several steps (step_series.hpp).
        QTest::newRow("resolution not int64") << 17 << "'runs/0/resolution' must be int64 (2,), not f8 (2,)";
        QTest::newRow("resolution of three numbers") << 18 << "'runs/0/resolution' must be int64 (2,)";
        QTest::newRow("a point of 3 steps") << 19 << "a power of two steps from 1 to 2^40, not 3";
        QTest::newRow("points that do not fit the steps") << 20 << "300 steps at 4 a point are 75 points, not 300";
        QTest::newRow("negative steps") << 21 << "cannot be below 1 and 0";
        QTest::newRow("a point of 2^62 steps") << 22 << "not 4611686018427387904";
    }

    void damagedRuns()
    {
        QFETCH(int, which);
        QFETCH(QString, expected);
        const auto replace = [](std::string s, const std::string& from, const std::string& to) {
            const auto at = s.find(from);
            if (at == std::string::npos) throw std::logic_error("test: no " + from + " in the index");
            return s.replace(at, from.size(), to);
        };
        std::string p;
        switch (which) {
        case 0: p = damaged_index([](std::string s) { return s.substr(0, s.size() / 2); }); break;
        case 1:
            p = damaged([](auto& m) { m["runs/index"] = to_npy(Tensor<float>(Shape{4})); });
            break;
        case 2: p = damaged_index([&](std::string s) { return replace(s, "\"runs\":[", "\"runz\":["); }); break;
        case 3: p = damaged_index([&](std::string s) { return replace(s, "\"name\":\"max", "\"nam\":\"max"); }); break;
        case 4: p = damaged_index([&](std::string s) { return replace(s, "\"batch_size\":64,\"seed\":9223372036854775813,\"dataset\":\"digits\",\"steps\":7", "\"batch_size\":-64,\"seed\":9223372036854775813,\"dataset\":\"digits\",\"steps\":7"); }); break;
        case 5: p = damaged_index([&](std::string s) { return replace(s, "\"test_accuracy\":0.91", "\"test_accuracy\":1.5"); }); break;
        case 6:
            p = damaged_index([](std::string) {
                std::string list;
                for (int i = 0; i < 1001; ++i) list += std::string(i ? "," : "") + "{}";
                return "{\"runs\":[" + list + "]}";
            });
            break;
        case 7: p = damaged([](auto& m) { m.erase("runs/0/accuracy"); }); break;
        case 8: p = damaged([](auto& m) { m["runs/0/accuracy"] = to_npy(Tensor<float>(Shape{2})); }); break;
        case 9: p = damaged([](auto& m) { m["runs/0/evaluations"] = to_npy(Tensor<double>(Shape{1, 5})); }); break;
        case 10:
            p = damaged([](auto& m) {
                Tensor<double> e(Shape{1, 6});
                e.data()[0] = NAN;
                m["runs/0/evaluations"] = to_npy(e);
            });
            break;
        case 11:
            p = damaged([](auto& m) {
                const std::vector<std::int64_t> steps(7, 1);
                m["runs/1/loss"] = to_npy(std::span<const std::int64_t>(steps));
            });
            break;
        case 12:
            // The header says 300 floats; 100 bytes follow.
            p = damaged_by_hand("runs/0/loss", handmade::npy_header("<f4", "(300,)") + std::string(100, '\0'));
            break;
        case 16:
            p = damaged_by_hand("runs/0/loss", handmade::npy_header("<f4", "(1000000000000,)"));
            break;
        case 13:
            p = damaged([](auto& m) { m["runs/index"] = text_array(std::string(runs_max_index_bytes + 1, ' ')); });
            break;
        case 14: p = damaged_index([&](std::string s) { return replace(s, "\"name\":\"Run 2\"", "\"name\":\"" + std::string(5000, 'x') + "\""); }); break;
        case 15: p = damaged_index([&](std::string s) { return replace(s, "\"seconds\":3.5", "\"seconds\":-3.5"); }); break;
        case 17: p = damaged([](auto& m) { m["runs/0/resolution"] = to_npy(Tensor<double>(Shape{2})); }); break;
        case 18: p = damaged([](auto& m) { m["runs/0/resolution"] = int64s({1, 300, 3}); }); break;
        case 19: p = damaged([](auto& m) { m["runs/0/resolution"] = int64s({3, 900}); }); break;
        case 20: p = damaged([](auto& m) { m["runs/0/resolution"] = int64s({4, 300}); }); break;
        case 21: p = damaged([](auto& m) { m["runs/0/resolution"] = int64s({2, -1}); }); break;
        case 22: p = damaged([](auto& m) { m["runs/0/resolution"] = int64s({std::int64_t(1) << 62, 300}); }); break;
        }
        const QString msg = QString::fromStdString(format_error([&] { load_model(p); }));
        QVERIFY2(!msg.isEmpty(), "no FormatError");
        QVERIFY2(msg.contains(QStringLiteral("damaged.npz")), qPrintable(msg));
        QVERIFY2(msg.contains(expected), qPrintable(msg));
    }

    void savingMismatchedHistoriesIsRefused()
    {
        SessionRuns runs = two_runs();
        runs.earlier[1].history.accuracy.push_back(0.5f);
        QVERIFY_THROWS_EXCEPTION(ShapeError, save_model(path("refused.npz"), *lenet5<float>(), {}, {}, &runs));
    }
};

QTEST_APPLESS_MAIN(TestRunRecord)
#include "tst_run_record.moc"
