// File formats and data sets: IDX (plain, gzip), .npy, .npz, the data set
// loaders and the embedded digits. Every error path gets its own test that
// checks the error is a cs::FormatError naming the file and the problem.
#include <QtTest>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <numeric>
#include <set>

#include "dataset.hpp"
#include "data_locations.hpp"
#include "embedded_resources.hpp"
#include "idx.hpp"
#include "npy.hpp"

#include "handmade_files.hpp"

using namespace cs;
using namespace handmade;

namespace {

// The message of the FormatError f() throws, or "" (which fails the checks
// below) when it throws none.
QString formatError(const std::function<void()>& f)
{
    try {
        f();
    } catch (const FormatError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

std::string gzipped(const std::string& raw)
{
    return deflated(raw, Wrapper::gzip);
}

// An IDX file image: magic 00 00 dtype rank, dims, payload.
std::string idxBytes(std::uint8_t dtype, const std::vector<std::uint32_t>& dims, const std::string& payload)
{
    std::string s{'\0', '\0', char(dtype), char(dims.size())};
    for (auto d : dims) s += be32(d);
    return s + payload;
}

std::string pattern(std::size_t n)
{
    std::string s(n, '\0');
    for (std::size_t i = 0; i < n; ++i) s[i] = char((i * 7 + 3) % 256);
    return s;
}

// A .npy image with a hand-written header dict (version 1.0).
std::string npyBytes(const std::string& dict, const std::string& data, int major = 1)
{
    std::string header = dict;
    const std::size_t pre = major == 1 ? 10 : 12;
    while ((pre + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string s = "\x93NUMPY";
    s += char(major);
    s += '\0';
    const auto len = std::uint32_t(header.size());
    s += char(len & 0xff);
    s += char(len >> 8);
    if (major != 1) {
        s += char(len >> 16);
        s += char(len >> 24);
    }
    return s + header + data;
}

template <typename T>
std::string rawBytes(const std::vector<T>& v)
{
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// A tiny IDX data set folder: n_train / n_test images of 4x4, labels i % k.
void writeIdxFolder(const QString& dir, std::uint32_t nTrain, std::uint32_t nTrainLabels, std::uint32_t nTest,
                    std::uint32_t k = 3)
{
    auto labels = [&](std::uint32_t n) {
        std::string s;
        for (std::uint32_t i = 0; i < n; ++i) s += char(i % k);
        return s;
    };
    const std::string d = dir.toStdString() + "/";
    write_file(d + "train-images-idx3-ubyte", idxBytes(8, {nTrain, 4, 4}, pattern(nTrain * 16)));
    write_file(d + "train-labels-idx1-ubyte.gz", gzipped(idxBytes(8, {nTrainLabels}, labels(nTrainLabels))));
    write_idx_gz(d + "t10k-images-idx3-ubyte.gz", Shape{nTest, 4, 4},
                 std::vector<std::uint8_t>(nTest * 16, 255));
    write_file(d + "t10k-labels-idx1-ubyte", idxBytes(8, {nTest}, labels(nTest)));
}

// Sets environment variables (a null value unsets one) and restores them when
// it goes out of scope, so that one test's environment never leaks into the next.
class ScopedEnv {
public:
    ScopedEnv(std::initializer_list<std::pair<const char*, const char*>> vars)
    {
        for (const auto& [name, value] : vars) {
            m_saved.push_back({name, qEnvironmentVariableIsSet(name), qgetenv(name)});
            if (value) qputenv(name, value);
            else qunsetenv(name);
        }
    }
    ~ScopedEnv()
    {
        for (const Saved& s : m_saved) {
            if (s.set) qputenv(s.name, s.value);
            else qunsetenv(s.name);
        }
    }

private:
    struct Saved {
        const char* name;
        bool set;
        QByteArray value;
    };
    std::vector<Saved> m_saved;
};

} // namespace

class TestIo : public QObject {
    Q_OBJECT

private slots:
    // ---- IDX
    void idxRoundTripGz();
    void idxReadsPlain();
    void idxDetectsGzipByMagic();
    void idxFromMemory();
    void idxTruncated();
    void idxTruncatedGzip();
    void idxCorruptGzip();
    void idxWrongMagic();
    void idxWrongDtype();
    void idxAbsurdHeader();
    void idxTrailingBytes();
    void idxMissingFile();
    // ---- .npy
    void npyRoundTripF4();
    void npyRoundTripF8();
    void npyReadsVersion2AndIntegers();
    void npyBadMagic();
    void npyTruncatedData();
    void npyHeaderPastEnd();
    void npyUnparseableHeader();
    void npyFortranOrder();
    void npyUnsupportedDtype();
    void npyBigEndian();
    void npyRank5();
    void npyAbsurdShape();
    void npyLabels();
    // ---- .npz
    void npzRoundTrip();
    void npzMissingMember();
    void npzCorruptZip();
    void npzDamagedStoredData();
    // ---- data sets
    void idxFolderLoads();
    void idxFolderCountMismatch();
    void idxFolderMissingFile();
    void npzOneHotUint8();
    void npzFloatImagesAsTheyAre();
    void unknownSpec();
    void dataSearchPathOrder();
    void dataSearchPathDefaults();
    void installedDatasetFound();
    void mnistNotInstalled();
    void digitsLoad();
    void digitsStable();
    void fashionLoads();
    void mnistLoads();

private:
    QString path(const char* name) const { return m_dir.filePath(QString::fromLatin1(name)); }
    std::string spath(const char* name) const { return path(name).toStdString(); }
    // No "<file>.tmp-XXXXXX" of a writer (atomic_file.hpp) is left in the folder.
    bool noTemporaryLeft() const { return QDir(m_dir.path()).entryList({QStringLiteral("*.tmp-*")}, QDir::Files).isEmpty(); }

    QTemporaryDir m_dir;
};

// ---------------------------------------------------------------- IDX

void TestIo::idxRoundTripGz()
{
    const std::string p = spath("rt-images-idx3-ubyte.gz");
    const std::string payload = pattern(5 * 3 * 2);
    const std::vector<std::uint8_t> bytes(payload.begin(), payload.end());
    write_idx_gz(p, Shape{5, 3, 2}, bytes);
    const std::string onDisk = read_file(p);
    QCOMPARE(std::uint8_t(onDisk[0]), std::uint8_t(0x1f)); // really gzip
    QCOMPARE(std::uint8_t(onDisk[1]), std::uint8_t(0x8b));
    QVERIFY(noTemporaryLeft());
    const IdxArray a = read_idx(p);
    QVERIFY(a.shape == (Shape{5, 3, 2}));
    QVERIFY(a.bytes == bytes);
}

void TestIo::idxReadsPlain()
{
    const std::string p = spath("plain-labels-idx1-ubyte");
    write_file(p, idxBytes(8, {6}, "\x01\x02\x03\x04\x05\x09"));
    const IdxArray a = read_idx(p);
    QVERIFY(a.shape == Shape{6});
    QCOMPARE(a.bytes, (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 9}));
}

void TestIo::idxDetectsGzipByMagic()
{
    // gzip content under a name without .gz.
    const std::string p = spath("disguised-idx3-ubyte");
    write_file(p, gzipped(idxBytes(8, {2, 2, 2}, pattern(8))));
    const IdxArray a = read_idx(p);
    QVERIFY(a.shape == (Shape{2, 2, 2}));
    QCOMPARE(a.bytes[1], std::uint8_t(10));
}

void TestIo::idxFromMemory()
{
    const std::string raw = idxBytes(8, {3, 2, 2}, pattern(12));
    const std::string gz = gzipped(raw);
    for (const std::string* s : {&raw, &gz}) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(s->data());
        const IdxArray a = read_idx_bytes({p, s->size()}, "memory");
        QVERIFY(a.shape == (Shape{3, 2, 2}));
        QCOMPARE(a.bytes.size(), std::size_t(12));
        QCOMPARE(a.bytes[11], std::uint8_t((11 * 7 + 3) % 256));
    }
    // Truncated gzip in memory.
    const auto* p = reinterpret_cast<const std::uint8_t*>(gz.data());
    const QString msg = formatError([&] { read_idx_bytes({p, gz.size() - 12}, "memblob"); });
    QVERIFY2(msg.contains("memblob") && msg.contains("truncated"), qPrintable(msg));
}

void TestIo::idxTruncated()
{
    const std::string p = spath("short-images-idx3-ubyte");
    write_file(p, idxBytes(8, {10, 28, 28}, pattern(10 * 784 - 100)));
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("short-images-idx3-ubyte") && msg.contains("truncated"), qPrintable(msg));
    // A header cut in the middle of its dimensions.
    write_file(p, idxBytes(8, {10, 28, 28}, "").substr(0, 9));
    const QString msg2 = formatError([&] { read_idx(p); });
    QVERIFY2(msg2.contains("short-images-idx3-ubyte") && msg2.contains("truncated"), qPrintable(msg2));
}

void TestIo::idxTruncatedGzip()
{
    const std::string p = spath("cut-images-idx3-ubyte.gz");
    const std::string gz = gzipped(idxBytes(8, {10, 28, 28}, pattern(10 * 784)));
    write_file(p, gz.substr(0, gz.size() / 2));
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("cut-images-idx3-ubyte.gz") &&
                 (msg.contains("truncated") || msg.contains("corrupt")),
             qPrintable(msg));
}

void TestIo::idxCorruptGzip()
{
    // The CRC-32 in the gzip trailer no longer matches: from a file and from memory.
    const std::string p = spath("crc-labels-idx1-ubyte.gz");
    std::string gz = gzipped(idxBytes(8, {1000}, pattern(1000)));
    gz[gz.size() - 6] = char(gz[gz.size() - 6] ^ 0x55);
    write_file(p, gz);
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("crc-labels-idx1-ubyte.gz") && msg.contains("corrupt"), qPrintable(msg));
    const auto* b = reinterpret_cast<const std::uint8_t*>(gz.data());
    const QString msg2 = formatError([&] { read_idx_bytes({b, gz.size()}, "crcblob"); });
    QVERIFY2(msg2.contains("crcblob") && msg2.contains("corrupt"), qPrintable(msg2));
}

void TestIo::idxWrongMagic()
{
    const std::string p = spath("magic-idx3-ubyte");
    write_file(p, "\x12\x34\x08\x03" + be32(1) + be32(1) + be32(1) + "x");
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("magic-idx3-ubyte") && msg.contains("bad magic"), qPrintable(msg));
}

void TestIo::idxWrongDtype()
{
    const std::string p = spath("float-idx3-ubyte");
    write_file(p, idxBytes(0x0D, {1, 1, 1}, "abcd")); // 0x0D = float
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("float-idx3-ubyte") && msg.contains("unsupported dtype"), qPrintable(msg));
}

void TestIo::idxAbsurdHeader()
{
    // 10^12 images of 28x28: must be refused before anything is allocated.
    const std::string p = spath("huge-idx3-ubyte");
    write_file(p, idxBytes(8, {1000000, 1000000, 28 * 28}, pattern(100)));
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("huge-idx3-ubyte") && msg.contains("2^31"), qPrintable(msg));
    // Just over the limit, gzip-compressed.
    const std::string q = spath("huge2-idx1-ubyte.gz");
    write_file(q, gzipped(idxBytes(8, {0x80000001u}, "")));
    const QString msg2 = formatError([&] { read_idx(q); });
    QVERIFY2(msg2.contains("huge2-idx1-ubyte.gz") && msg2.contains("2^31"), qPrintable(msg2));
}

void TestIo::idxTrailingBytes()
{
    const std::string p = spath("long-idx1-ubyte");
    write_file(p, idxBytes(8, {3}, "abcdef"));
    const QString msg = formatError([&] { read_idx(p); });
    QVERIFY2(msg.contains("long-idx1-ubyte") && msg.contains("trailing"), qPrintable(msg));
}

void TestIo::idxMissingFile()
{
    const QString msg = formatError([&] { read_idx(spath("nothing-here-idx1-ubyte")); });
    QVERIFY2(msg.contains("nothing-here-idx1-ubyte") && msg.contains("no such file"), qPrintable(msg));
}

// ---------------------------------------------------------------- .npy

void TestIo::npyRoundTripF4()
{
    Tensor<float> t(Shape{2, 3, 4, 5});
    for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = float(i) * 0.25f - 7.0f;
    const std::string p = spath("t.npy");
    write_npy(p, t);
    QVERIFY(noTemporaryLeft());
    const std::string raw = read_file(p);
    QCOMPARE(raw.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
    const std::size_t headerEnd = 10 + std::uint8_t(raw[8]) + 256 * std::uint8_t(raw[9]);
    QCOMPARE(headerEnd % 64, std::size_t(0)); // NumPy's alignment
    QVERIFY(raw.find("'descr': '<f4'") != std::string::npos);
    QVERIFY(raw.find("'shape': (2, 3, 4, 5)") != std::string::npos);

    const NpyArray a = read_npy(p);
    QCOMPARE(a.dtype, std::string("f4"));
    QVERIFY(a.shape == t.shape());
    const Tensor<float> back = to_float_tensor(a);
    QVERIFY(back.shape() == t.shape());
    for (std::size_t i = 0; i < t.size(); ++i) QCOMPARE(back.data()[i], t.data()[i]);
    QCOMPARE(a.values<float>()[7], t.data()[7]);
}

void TestIo::npyRoundTripF8()
{
    Tensor<double> t(Shape{7});
    for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = 1.0 / double(i + 1);
    const std::string p = spath("d.npy");
    write_npy(p, t);
    QVERIFY(read_file(p).find("'shape': (7,)") != std::string::npos);
    const NpyArray a = read_npy(p);
    QCOMPARE(a.dtype, std::string("f8"));
    const Tensor<double> back = to_double_tensor(a);
    QVERIFY(back.shape() == Shape{7});
    for (std::size_t i = 0; i < t.size(); ++i) QCOMPARE(back.data()[i], t.data()[i]); // bit exact
}

void TestIo::npyReadsVersion2AndIntegers()
{
    const std::vector<std::int16_t> v{-3, 0, 300, 7, 8, 9};
    const std::string p = spath("v2.npy");
    write_file(p, npyBytes("{\"shape\": (2, 3), \"fortran_order\": False, \"descr\": \"<i2\"}", rawBytes(v), 2));
    const NpyArray a = read_npy(p);
    QCOMPARE(a.dtype, std::string("i2"));
    QVERIFY(a.shape == (Shape{2, 3}));
    const Tensor<float> t = to_float_tensor(a);
    QCOMPARE(t.data()[0], -3.0f);
    QCOMPARE(t.data()[2], 300.0f);
    // A scalar (shape ()) holds one item.
    const std::string q = spath("scalar.npy");
    write_file(q, npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", "\x2a"));
    const NpyArray s = read_npy(q);
    QCOMPARE(s.shape.rank(), std::size_t(0));
    QCOMPARE(s.items(), std::size_t(1));
    QCOMPARE(to_float_tensor(s).data()[0], 42.0f);
}

void TestIo::npyBadMagic()
{
    const std::string p = spath("badmagic.npy");
    write_file(p, "PK\x03\x04 this is not a numpy file at all");
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("badmagic.npy") && msg.contains("bad magic"), qPrintable(msg));
}

void TestIo::npyTruncatedData()
{
    const std::string p = spath("truncated.npy");
    const std::vector<float> v(11, 1.0f); // shape says 12
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", rawBytes(v)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("truncated.npy") && msg.contains("truncated") && msg.contains("(3, 4)"), qPrintable(msg));
}

void TestIo::npyHeaderPastEnd()
{
    const std::string p = spath("longheader.npy");
    write_file(p, std::string("\x93NUMPY\x01\x00\xff\xff{'descr'", 17));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("longheader.npy") && msg.contains("past the end"), qPrintable(msg));
}

void TestIo::npyUnparseableHeader()
{
    const std::string p = spath("garbage.npy");
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4}", pattern(48)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("garbage.npy") && msg.contains("unparseable"), qPrintable(msg));
    write_file(p, npyBytes(std::string("\x01\xff\xfe garbage \x00 here", 17), pattern(48)));
    const QString msg2 = formatError([&] { read_npy(p); });
    QVERIFY2(msg2.contains("garbage.npy") && msg2.contains("unparseable"), qPrintable(msg2));
    write_file(p, npyBytes("{'descr': '<f4', 'shape': (3, 4), }", pattern(48)));
    const QString msg3 = formatError([&] { read_npy(p); });
    QVERIFY2(msg3.contains("garbage.npy") && msg3.contains("fortran_order"), qPrintable(msg3));
}

void TestIo::npyFortranOrder()
{
    const std::string p = spath("fortran.npy");
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", pattern(16)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("fortran.npy") && msg.contains("fortran_order"), qPrintable(msg));
}

void TestIo::npyUnsupportedDtype()
{
    const std::string p = spath("complex.npy");
    write_file(p, npyBytes("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", pattern(16)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("complex.npy") && msg.contains("unsupported dtype") && msg.contains("<c8"), qPrintable(msg));
    // A structured dtype (descr is a list).
    write_file(p, npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", pattern(8)));
    const QString msg2 = formatError([&] { read_npy(p); });
    QVERIFY2(msg2.contains("complex.npy") && msg2.contains("unsupported dtype"), qPrintable(msg2));
}

void TestIo::npyBigEndian()
{
    const std::string p = spath("big.npy");
    write_file(p, npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", pattern(8)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("big.npy") && msg.contains("big-endian"), qPrintable(msg));
}

void TestIo::npyRank5()
{
    const std::string p = spath("rank5.npy");
    write_file(p, npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 1, 1, 1, 2), }", "ab"));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("rank5.npy") && msg.contains("rank 5"), qPrintable(msg));
}

void TestIo::npyAbsurdShape()
{
    const std::string p = spath("absurd.npy");
    // The product overflows 64 bits.
    write_file(p, npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }",
                          pattern(64)));
    const QString msg = formatError([&] { read_npy(p); });
    QVERIFY2(msg.contains("absurd.npy") && msg.contains("absurd"), qPrintable(msg));
    // A single dimension past 2^64.
    write_file(p, npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999999,), }",
                          pattern(64)));
    const QString msg2 = formatError([&] { read_npy(p); });
    QVERIFY2(msg2.contains("absurd.npy") && msg2.contains("overflow"), qPrintable(msg2));
    // Plausible, but far more than the file holds: refused before allocating.
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000,), }", pattern(64)));
    const QString msg3 = formatError([&] { read_npy(p); });
    QVERIFY2(msg3.contains("absurd.npy") && msg3.contains("truncated"), qPrintable(msg3));
    // A zero makes it empty however large the rest, whose product alone
    // would overflow: read, written back and read again (fuzz_npy's finding).
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (10424679390700, 4679397, 0), }", std::string()));
    const NpyArray empty = read_npy(p);
    QCOMPARE(empty.shape, (Shape{10424679390700, 4679397, 0}));
    QCOMPARE(empty.shape.elements(), std::size_t(0));
    QVERIFY(empty.data.empty());
    const std::vector<std::byte> again = npy_bytes(empty);
    QVERIFY(!again.empty());
    QCOMPARE(to_float_tensor(empty).size(), std::size_t(0));
}

void TestIo::npyLabels()
{
    // One-hot (n, k) -> argmax; float (n,) whole numbers -> themselves.
    const std::vector<float> onehot{0, 1, 0, /**/ 1, 0, 0, /**/ 0, 0, 1};
    const std::string p = spath("onehot.npy");
    write_file(p, npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3), }", rawBytes(onehot)));
    QCOMPARE(to_labels(read_npy(p)), (std::vector<std::int64_t>{1, 0, 2}));
    const std::vector<double> flat{4, 2, 0};
    write_file(p, npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", rawBytes(flat)));
    QCOMPARE(to_labels(read_npy(p)), (std::vector<std::int64_t>{4, 2, 0}));
    const std::vector<double> frac{4, 2.5, 0};
    write_file(p, npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", rawBytes(frac)));
    const QString msg = formatError([&] { to_labels(read_npy(p)); });
    QVERIFY2(msg.contains("onehot.npy") && msg.contains("whole number"), qPrintable(msg));
}

// ---------------------------------------------------------------- .npz

void TestIo::npzRoundTrip()
{
    Tensor<float> w(Shape{5, 5, 1, 6});
    for (std::size_t i = 0; i < w.size(); ++i) w.data()[i] = float(i) / 3.0f;
    Tensor<double> b(Shape{6});
    for (std::size_t i = 0; i < b.size(); ++i) b.data()[i] = -double(i);
    const std::vector<std::int64_t> labels{3, 1, 4, 1, 5};
    for (bool compress : {false, true}) {
        const std::string p = spath(compress ? "weights-deflated.npz" : "weights.npz");
        write_npz(p, {{"conv1/kernel", to_npy(w)}, {"conv1/bias.npy", to_npy(b)}, {"labels", to_npy(labels)}},
                  compress);
        QVERIFY(noTemporaryLeft());
        const auto arrays = read_npz(p);
        QCOMPARE(arrays.size(), std::size_t(3));
        QVERIFY(arrays.count("conv1/kernel") && arrays.count("conv1/bias") && arrays.count("labels"));
        const Tensor<float> w2 = to_float_tensor(arrays.at("conv1/kernel"));
        QVERIFY(w2.shape() == w.shape());
        for (std::size_t i = 0; i < w.size(); ++i) QCOMPARE(w2.data()[i], w.data()[i]);
        const Tensor<double> b2 = to_double_tensor(arrays.at("conv1/bias"));
        QCOMPARE(b2.data()[5], -5.0);
        QCOMPARE(to_labels(arrays.at("labels")), labels);
    }
}

void TestIo::npzMissingMember()
{
    const std::string p = spath("nox.npz");
    const std::vector<std::int64_t> y{0, 1};
    Tensor<float> x(Shape{2, 4, 4});
    write_npz(p, {{"Y_train", to_npy(y)}, {"X_test", to_npy(x)}, {"Y_test", to_npy(y)}});
    const QString msg = formatError([&] { load_npz_dataset(p); });
    QVERIFY2(msg.contains("nox.npz") && msg.contains("X_train") && msg.contains("Y_test"), qPrintable(msg));
}

void TestIo::npzCorruptZip()
{
    // A real archive with its middle overwritten, and one cut short.
    const std::string good = spath("good.npz");
    Tensor<float> x(Shape{100, 10});
    x.flat().fill(0.5f);
    write_npz(good, {{"X", to_npy(x)}}, true);
    std::string bytes = read_file(good);
    const std::string p = spath("corrupt.npz");
    std::string broken = bytes;
    for (std::size_t i = 40; i < 80 && i < broken.size(); ++i) broken[i] = char(0x5a);
    write_file(p, broken);
    const QString msg = formatError([&] { read_npz(p); });
    QVERIFY2(msg.contains("corrupt.npz"), qPrintable(msg));
    write_file(p, bytes.substr(0, bytes.size() / 2));
    const QString msg2 = formatError([&] { read_npz(p); });
    QVERIFY2(msg2.contains("corrupt.npz") && msg2.contains("zip"), qPrintable(msg2));
    write_file(p, "definitely not a zip file");
    const QString msg3 = formatError([&] { read_npz(p); });
    QVERIFY2(msg3.contains("corrupt.npz") && msg3.contains("zip"), qPrintable(msg3));
}

void TestIo::npzDamagedStoredData()
{
    // A stored (uncompressed) member whose data was changed: only its CRC-32
    // tells, and it must be checked.
    Tensor<float> x(Shape{4});
    x.flat().fill(1.5f); // 0x3fc00000
    const std::string p = spath("damaged.npz");
    write_npz(p, {{"x", to_npy(x)}});
    std::string bytes = read_file(p);
    const std::size_t at = bytes.find(std::string("\x00\x00\xc0\x3f", 4));
    QVERIFY(at != std::string::npos);
    bytes[at + 2] = char(0x11);
    write_file(p, bytes);
    const QString msg = formatError([&] { read_npz(p); });
    QVERIFY2(msg.contains("damaged.npz") && msg.contains("CRC"), qPrintable(msg));
}

// ---------------------------------------------------------------- data sets

void TestIo::idxFolderLoads()
{
    const QString dir = path("idxok");
    QVERIFY(QDir().mkpath(dir));
    writeIdxFolder(dir, 7, 7, 5, 3);
    const Dataset d = load_dataset(dir.toStdString());
    QVERIFY(d.train_images.shape() == (Shape{7, 4, 4, 1}));
    QVERIFY(d.test_images.shape() == (Shape{5, 4, 4, 1}));
    QCOMPARE(d.classes(), std::size_t(3));
    QCOMPARE(d.class_names[2], std::string("2"));
    QCOMPARE(d.train_images.data()[1], float(10) / 255.0f);
    QCOMPARE(d.test_images.data()[0], 1.0f);
    QCOMPARE(d.train_labels[4], std::uint8_t(1));
}

void TestIo::idxFolderCountMismatch()
{
    const QString dir = path("idxbad");
    QVERIFY(QDir().mkpath(dir));
    writeIdxFolder(dir, 7, 6, 5);
    const QString msg = formatError([&] { load_idx_folder(dir.toStdString()); });
    QVERIFY2(msg.contains("idxbad") && msg.contains("train-labels-idx1-ubyte.gz") && msg.contains("7 images") &&
                 msg.contains("6 labels"),
             qPrintable(msg));
}

void TestIo::idxFolderMissingFile()
{
    const QString dir = path("idxmissing");
    QVERIFY(QDir().mkpath(dir));
    writeIdxFolder(dir, 3, 3, 3);
    QVERIFY(QFile::remove(dir + "/t10k-labels-idx1-ubyte"));
    const QString msg = formatError([&] { load_idx_folder(dir.toStdString()); });
    QVERIFY2(msg.contains("idxmissing") && msg.contains("t10k-labels-idx1-ubyte"), qPrintable(msg));
}

void TestIo::npzOneHotUint8()
{
    // (n, h, w) uint8 images and one-hot float labels, as in many course files.
    const std::size_t n = 6, k = 4;
    std::vector<std::uint8_t> images(n * 3 * 3);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = std::uint8_t(i * 5);
    Tensor<float> onehot(Shape{n, k});
    std::vector<std::uint8_t> want;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t label = (i * 3) % 3; // only 0 used: k comes from the width
        onehot.data()[i * k + label] = 1.0f;
        want.push_back(std::uint8_t(label));
    }
    onehot.data()[1 * k + 0] = 0.0f;
    onehot.data()[1 * k + 2] = 1.0f;
    want[1] = 2;
    const std::string p = spath("course.npz");
    write_npz(p, {{"X_train", to_npy(Shape{n, 3, 3}, images)},
                  {"Y_train", to_npy(onehot)},
                  {"X_valid", to_npy(Shape{n, 3, 3}, images)},
                  {"Y_valid", to_npy(onehot)},
                  {"X_test", to_npy(Shape{n, 3, 3}, images)},
                  {"Y_test", to_npy(onehot)}},
              true);
    const Dataset d = load_dataset(p);
    QVERIFY(d.train_images.shape() == (Shape{n, 3, 3, 1}));
    QCOMPARE(d.train_images.data()[7], 35.0f / 255.0f);
    QCOMPARE(d.train_labels, want);
    QCOMPARE(d.test_labels, want);
    QCOMPARE(d.classes(), k);
}

void TestIo::npzFloatImagesAsTheyAre()
{
    Tensor<float> x(Shape{4, 2, 2, 3});
    for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = float(i) * 10.0f; // not in [0, 1]: kept
    const std::vector<std::int64_t> y{0, 1, 1, 0};
    const std::string p = spath("floats.npz");
    write_npz(p, {{"X_train", to_npy(x)}, {"Y_train", to_npy(y)}, {"X_test", to_npy(x)}, {"Y_test", to_npy(y)}});
    const Dataset d = load_npz_dataset(p);
    QVERIFY(d.test_images.shape() == x.shape());
    QCOMPARE(d.test_images.data()[5], 50.0f);
    QCOMPARE(d.classes(), std::size_t(2));
    // Labels out of 0..255 are refused.
    const std::vector<std::int64_t> bad{0, 1, 300, 0};
    write_npz(p, {{"X_train", to_npy(x)}, {"Y_train", to_npy(bad)}, {"X_test", to_npy(x)}, {"Y_test", to_npy(y)}});
    const QString msg = formatError([&] { load_npz_dataset(p); });
    QVERIFY2(msg.contains("floats.npz") && msg.contains("300"), qPrintable(msg));
}

void TestIo::unknownSpec()
{
    const QString msg = formatError([&] { load_dataset(spath("no-such-thing")); });
    QVERIFY2(msg.contains("no-such-thing") && msg.contains("no such data set"), qPrintable(msg));
}

void TestIo::dataSearchPathOrder()
{
    // The XDG order, the most personal first; relative entries are ignored
    // and a folder named twice is searched once.
    const ScopedEnv env({{"CONVSCOPE_DATA_DIR", "/mine"}, {"XDG_DATA_HOME", "/home/u/data"},
                         {"XDG_DATA_DIRS", "/opt/a:relative/b::/opt/c:/opt/a"}});
    const auto dirs = data_search_path();
    QVERIFY(dirs.size() >= 4);
    QCOMPARE(dirs[0].string(), std::string("/mine"));
    QCOMPARE(dirs[1].string(), std::string("/home/u/data/convscope"));
    QCOMPARE(dirs[2].string(), std::string("/opt/a/convscope"));
    QCOMPARE(dirs[3].string(), std::string("/opt/c/convscope"));
    for (const auto& d : dirs) QVERIFY2(d.is_absolute(), d.c_str());
    const auto fashion = dataset_candidates("fashion-mnist");
    QCOMPARE(fashion.front().string(), std::string("/mine/fashion-mnist"));
    QCOMPARE(fashion.back().string(), std::string(debian_fashion_mnist_dir));
}

void TestIo::dataSearchPathDefaults()
{
    // Unset, the XDG variables take the specification's defaults.
    const ScopedEnv env({{"CONVSCOPE_DATA_DIR", nullptr}, {"XDG_DATA_HOME", nullptr}, {"XDG_DATA_DIRS", nullptr},
                         {"HOME", "/home/someone"}});
    const auto dirs = data_search_path();
    QVERIFY(dirs.size() >= 3);
    QCOMPARE(dirs[0].string(), std::string("/home/someone/.local/share/convscope"));
    QCOMPARE(dirs[1].string(), std::string("/usr/local/share/convscope"));
    QCOMPARE(dirs[2].string(), std::string("/usr/share/convscope"));
}

void TestIo::installedDatasetFound()
{
    // A set in $XDG_DATA_HOME/convscope/mnist is found ahead of the system
    // folders, and "mnist" loads it.
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("xdg/convscope/mnist")));
    writeIdxFolder(path("xdg/convscope/mnist"), 6, 6, 3, 10);
    const std::string xdg = spath("xdg");
    const ScopedEnv env({{"CONVSCOPE_DATA_DIR", nullptr}, {"XDG_DATA_HOME", xdg.c_str()}});
    QCOMPARE(find_installed_dataset("mnist").string(), xdg + "/convscope/mnist");
    const Dataset d = load_dataset("mnist");
    QCOMPARE(d.name, std::string("mnist"));
    QVERIFY(d.train_images.shape() == (Shape{6, 4, 4, 1}));
    QCOMPARE(d.classes(), std::size_t(10));
    QVERIFY(find_installed_dataset("no-such-set").empty());
}

void TestIo::mnistNotInstalled()
{
    // Nothing in any searched folder: the message names them and says how to
    // get MNIST. (Skipped where MNIST is installed system-wide.)
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("empty-data")));
    const std::string empty = spath("empty-data");
    const ScopedEnv env({{"CONVSCOPE_DATA_DIR", empty.c_str()}, {"XDG_DATA_HOME", empty.c_str()},
                         {"XDG_DATA_DIRS", empty.c_str()}});
    if (!find_installed_dataset("mnist").empty()) QSKIP("MNIST is installed where the build's prefix puts it");
    QString msg;
    try {
        load_dataset("mnist");
    } catch (const DatasetNotInstalled& e) {
        msg = QString::fromStdString(e.what());
    }
    QVERIFY2(msg.contains("not installed") && msg.contains("fetch_mnist.sh") && msg.contains("convscope package") &&
                 msg.contains("empty-data"),
             qPrintable(msg));
}

void TestIo::digitsLoad()
{
    const Dataset d = load_dataset("digits");
    QCOMPARE(d.name, std::string("digits"));
    QVERIFY(d.train_images.shape() == (Shape{8000, 28, 28, 1}));
    QVERIFY(d.test_images.shape() == (Shape{2000, 28, 28, 1}));
    QCOMPARE(d.train_labels.size(), std::size_t(8000));
    QCOMPARE(d.test_labels.size(), std::size_t(2000));
    QCOMPARE(d.classes(), std::size_t(10));
    QCOMPARE(d.class_names[9], std::string("9"));
    QVERIFY(d.train_images.flat().min() >= 0.0f);
    QCOMPARE(d.train_images.flat().max(), 1.0f);
    QVERIFY(d.test_images.flat().min() >= 0.0f && d.test_images.flat().max() <= 1.0f);
    for (const auto* labels : {&d.train_labels, &d.test_labels}) {
        const std::set<std::uint8_t> present(labels->begin(), labels->end());
        QCOMPARE(present.size(), std::size_t(10));
        QCOMPARE(*present.rbegin(), std::uint8_t(9));
    }
    // A digit is white ink on black: the border is background.
    QCOMPARE(d.train_images(0, 0, 0, 0), 0.0f);
}

void TestIo::digitsStable()
{
    // The embedded bytes and what they decode to do not change between loads
    // or builds. The values below come from scripts/make_digits.sh (seed
    // 20240501); regenerating the digits differently must update them.
    QCOMPARE(embedded_resource("digits/train-images-idx3-ubyte.gz").size(), std::size_t(1290269));
    QCOMPARE(embedded_resource("digits/t10k-labels-idx1-ubyte.gz").size(), std::size_t(1034));
    QVERIFY(embedded_resource("digits/no-such-file").empty());
    const Dataset a = load_digits();
    const Dataset b = load_dataset("digits");
    QCOMPARE(a.train_labels, b.train_labels);
    QCOMPARE(a.train_labels[0], b.train_labels[0]);
    QCOMPARE(int(a.train_labels[0]), 3);
    QCOMPARE(int(a.test_labels[0]), 2);
    std::size_t counts[10] = {};
    for (auto l : a.train_labels) ++counts[l];
    QCOMPARE(counts[0], std::size_t(805));
    QCOMPARE(counts[9], std::size_t(801));
}

void TestIo::fashionLoads()
{
    if (find_installed_dataset("fashion-mnist").empty())
        QSKIP("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    const Dataset d = load_dataset("fashion");
    QVERIFY(d.train_images.shape() == (Shape{60000, 28, 28, 1}));
    QVERIFY(d.test_images.shape() == (Shape{10000, 28, 28, 1}));
    QCOMPARE(d.classes(), std::size_t(10));
    QCOMPARE(d.class_names[0], std::string("T-shirt/top"));
    QCOMPARE(d.class_names[9], std::string("Ankle boot"));
    QVERIFY(d.train_images.flat().max() <= 1.0f);
}

void TestIo::mnistLoads()
{
    if (find_installed_dataset("mnist").empty())
        QSKIP("the full MNIST is not installed (scripts/fetch_mnist.sh)");
    const Dataset d = load_dataset("mnist");
    QVERIFY(d.train_images.shape() == (Shape{60000, 28, 28, 1}));
    QVERIFY(d.test_images.shape() == (Shape{10000, 28, 28, 1}));
    QCOMPARE(d.classes(), std::size_t(10));
    QCOMPARE(int(d.train_labels[0]), 5); // MNIST's first training digit is a 5
    QCOMPARE(int(d.test_labels[0]), 7);  // and its first test digit a 7
}

QTEST_APPLESS_MAIN(TestIo)
#include "tst_io.moc"
