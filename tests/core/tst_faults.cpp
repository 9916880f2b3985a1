// Faults from outside the program: a full disk, a folder where nothing can be
// written, a process killed in the middle of a save, a file that changes while
// it is read. Each must end in a message or a complete file, never in a
// broken file or a crash, and never at the cost of what was saved before.
#include "errors.hpp"
#include "idx.hpp"
#include "lenet5.hpp"
#include "model_file.hpp"
#include "test_util.hpp"

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <fstream>
#include <random>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

using namespace cs;

namespace {

std::unique_ptr<Sequential<float>> model(std::uint64_t seed) { return lenet5<float>({28, 28, 1}, seed); }

bool same_weights(const ModelFile& f, const Sequential<float>& m)
{
    return f.model && f.model->parameter_count() == m.parameter_count() &&
           arma::all(f.model->parameters() == m.parameters());
}

} // namespace

class TestFaults : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string path(const char* name) { return dir.filePath(name).toStdString(); }

private slots:
    void fullDiskKeepsTheOldFile()
    {
        // A model file is ~250 kB; the disk takes 16 kB more. The save fails
        // with a message naming the file, and the old file loads as it was.
        const auto old_model = model(1), new_model = model(2);
        const std::string p = path("full.npz");
        save_model(p, *old_model);
        QString message;
        {
            const test::FileSizeLimit limit(16 * 1024);
            try {
                save_model(p, *new_model);
            } catch (const std::exception& e) {
                message = QString::fromStdString(e.what());
            }
        }
        QVERIFY2(message.contains(QString::fromStdString(p)), qPrintable(message));
        QVERIFY(same_weights(load_model(p), *old_model));
        // No temporary file (full.npz.tmp-XXXXXX, atomic_file.hpp) is left behind.
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("full.npz*")}, QDir::Files), QStringList{"full.npz"});
    }

    void unwritableFolderKeepsTheOldFile()
    {
        // Where no file can be created: a folder without write permission
        // (root ignores that, so there procfs, which refuses new files).
        const auto m = model(3);
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("locked")));
        const std::string locked = path("locked");
        const std::string good = locked + "/m.npz";
        save_model(good, *m);
        QFile::setPermissions(QString::fromStdString(locked), QFileDevice::ReadOwner | QFileDevice::ExeOwner);
        const std::string target = geteuid() == 0 ? "/proc/convscope-test-model.npz" : good;
        QString message;
        try {
            save_model(target, *model(4));
        } catch (const std::exception& e) {
            message = QString::fromStdString(e.what());
        }
        QFile::setPermissions(QString::fromStdString(locked), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                                  QFileDevice::ExeOwner);
        QVERIFY2(message.contains(QString::fromStdString(target)), qPrintable(message));
        QVERIFY(same_weights(load_model(good), *m));
    }

    void killedWhileSavingLeavesAWholeFile()
    {
        // A child saves two different models over one file, in turn, without
        // end; it is killed (SIGKILL) at 50 random moments. Every time, the
        // file loads, and holds one of the two models, whole.
        const auto a = model(5), b = model(6);
        const std::string p = path("killed.npz");
        // Kill within three saves' time, so that the child is caught before
        // its first save ends, in the middle of later ones, and between them.
        QElapsedTimer clock;
        clock.start();
        save_model(p, *a);
        const auto save_us = std::max<qint64>(clock.nsecsElapsed() / 1000, 1000);
        std::mt19937 rng(7);
        std::uniform_int_distribution<qint64> after_us(0, 3 * save_us);
        int saw_a = 0, saw_b = 0;
        for (int round = 0; round < 50; ++round) {
            const pid_t child = fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                for (int i = 0;; ++i) save_model(p, i % 2 ? *a : *b);
            }
            usleep(useconds_t(after_us(rng)));
            kill(child, SIGKILL);
            int status = 0;
            waitpid(child, &status, 0);
            QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
            const ModelFile f = load_model(p); // throws, and fails the test, if broken
            const bool is_a = same_weights(f, *a), is_b = same_weights(f, *b);
            QVERIFY2(is_a || is_b, qPrintable(QStringLiteral("round %1: neither model").arg(round)));
            saw_a += is_a;
            saw_b += is_b;
        }
        qInfo("one save %lld us; after 50 kills: model a %d times, model b %d times", qlonglong(save_us), saw_a, saw_b);
        QVERIFY2(saw_b > 0, "no save of the child ever completed: the kills came too early to test anything");
    }

    void fileChangingWhileReadIsAMessage()
    {
        // Another process rewrites an IDX file (whole, then cut short, then
        // empty) while it is read again and again: every read either gives
        // the whole data or a FormatError, never a crash or garbage.
        const std::string p = path("changing-images-idx3-ubyte");
        const std::vector<std::uint8_t> pixels(500 * 28 * 28, 7);
        auto write_whole = [&] {
            std::ofstream out(p, std::ios::binary | std::ios::trunc);
            const unsigned char header[16] = {0, 0, 8, 3, 0, 0, 0x01, 0xf4, 0, 0, 0, 28, 0, 0, 0, 28};
            out.write(reinterpret_cast<const char*>(header), 16);
            out.write(reinterpret_cast<const char*>(pixels.data()), std::streamsize(pixels.size()));
        };
        write_whole();
        std::atomic<bool> stop{false};
        std::thread writer([&] {
            for (int i = 0; !stop; ++i) {
                if (i % 3 == 0) write_whole();
                else if (i % 3 == 1) std::filesystem::resize_file(p, 16 + 1000);
                else std::ofstream(p, std::ios::trunc);
                std::this_thread::sleep_for(std::chrono::microseconds(300));
            }
        });
        int whole = 0, refused = 0;
        for (int i = 0; i < 300; ++i) {
            try {
                const IdxArray a = read_idx(p);
                QCOMPARE(a.bytes.size(), pixels.size());
                QVERIFY(a.bytes == pixels);
                ++whole;
            } catch (const FormatError& e) {
                QVERIFY2(std::string(e.what()).find(p) != std::string::npos, e.what());
                ++refused;
            }
        }
        stop = true;
        writer.join();
        qInfo("300 reads of a changing file: %d whole, %d refused with a message", whole, refused);
        QCOMPARE(whole + refused, 300);
    }
};

QTEST_APPLESS_MAIN(TestFaults)
#include "tst_faults.moc"
