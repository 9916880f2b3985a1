// The animated-GIF writer (gif_file.hpp): what it writes is read back with
// giflib's own decoder (DGifSlurp): size, palette, every pixel, the delays,
// the NETSCAPE2.0 loop; bad input is a ShapeError naming the frame, an
// unwritable path a WriteError that leaves nothing behind.
#include <QtTest>

#include "atomic_file.hpp"
#include "errors.hpp"
#include "gif_file.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

using namespace cs;

namespace {

struct Decoded {
    std::unique_ptr<GifFileType, void (*)(GifFileType*)> gif{nullptr, [](GifFileType* g) {
                                                                 int e = 0;
                                                                 DGifCloseFile(g, &e);
                                                             }};
};

Decoded decode(const std::string& path)
{
    int error = 0;
    Decoded d;
    d.gif.reset(DGifOpenFileName(path.c_str(), &error));
    if (d.gif && DGifSlurp(d.gif.get()) != GIF_OK) d.gif.reset();
    return d;
}

// Three colours, two frames of 3x2 whose pixels are known.
std::vector<Rgb> palette() { return {{255, 0, 0}, {0, 255, 0}, {10, 20, 30}}; }
std::vector<IndexedImage> frames()
{
    IndexedImage a(3, 2), b(3, 2);
    a.pixels = {0, 1, 2, 2, 1, 0};
    b.pixels = {2, 2, 2, 0, 0, 1};
    return {a, b};
}

QString shapeError(const std::function<void()>& f)
{
    try {
        f();
    } catch (const ShapeError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestGif : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    std::string path(const char* name) { return dir.filePath(name).toStdString(); }

private slots:
    void writtenFramesReadBack()
    {
        const std::string file = path("two.gif");
        write_gif(file, palette(), frames(), 7);
        const Decoded d = decode(file);
        QVERIFY(d.gif);
        GifFileType* g = d.gif.get();
        QCOMPARE(g->SWidth, 3);
        QCOMPARE(g->SHeight, 2);
        QCOMPARE(g->ImageCount, 2);
        // Three colours padded to four (a power of two) with black.
        QVERIFY(g->SColorMap);
        QCOMPARE(g->SColorMap->ColorCount, 4);
        const GifColorType* c = g->SColorMap->Colors;
        QCOMPARE(int(c[0].Red), 255);
        QCOMPARE(int(c[1].Green), 255);
        QCOMPARE((std::vector<int>{c[2].Red, c[2].Green, c[2].Blue}), (std::vector<int>{10, 20, 30}));
        QCOMPARE((std::vector<int>{c[3].Red, c[3].Green, c[3].Blue}), (std::vector<int>{0, 0, 0}));
        const auto expected = frames();
        for (int i = 0; i < 2; ++i) {
            const SavedImage& s = g->SavedImages[i];
            QCOMPARE(s.ImageDesc.Width, 3);
            QCOMPARE(s.ImageDesc.Height, 2);
            QCOMPARE(std::vector<std::uint8_t>(s.RasterBits, s.RasterBits + 6), expected[std::size_t(i)].pixels);
            GraphicsControlBlock gcb{};
            QCOMPARE(DGifSavedExtensionToGCB(g, i, &gcb), GIF_OK);
            QCOMPARE(gcb.DelayTime, 7);
            QCOMPARE(gcb.TransparentColor, NO_TRANSPARENT_COLOR);
        }
    }

    // NETSCAPE2.0, then the sub-block 3: 1, loop count 0 (for ever).
    void loopsForEverUnlessAskedNot()
    {
        const auto loop = std::string("\x0bNETSCAPE2.0\x03\x01\x00\x00", 16);
        const auto bytes = gif_bytes(palette(), frames(), 10);
        const std::string text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        QVERIFY(text.starts_with("GIF89a"));
        QVERIFY(text.find(loop) != std::string::npos);
        const auto once = gif_bytes(palette(), frames(), 10, false);
        QVERIFY(std::string(reinterpret_cast<const char*>(once.data()), once.size()).find("NETSCAPE") ==
                std::string::npos);
    }

    // A 256-colour palette and a larger frame whose every index is used.
    void fullPaletteRoundTrips()
    {
        std::vector<Rgb> p(256);
        for (int i = 0; i < 256; ++i) p[std::size_t(i)] = {std::uint8_t(i), std::uint8_t(255 - i), std::uint8_t(i / 2)};
        IndexedImage f(64, 16);
        for (std::size_t i = 0; i < f.pixels.size(); ++i) f.pixels[i] = std::uint8_t((i * 37) % 256);
        const std::string file = path("full.gif");
        write_gif(file, p, std::vector<IndexedImage>{f}, 0);
        const Decoded d = decode(file);
        QVERIFY(d.gif);
        QCOMPARE(d.gif->SColorMap->ColorCount, 256);
        QCOMPARE(int(d.gif->SColorMap->Colors[200].Green), 55);
        const SavedImage& s = d.gif->SavedImages[0];
        QCOMPARE(std::vector<std::uint8_t>(s.RasterBits, s.RasterBits + f.pixels.size()), f.pixels);
    }

    void badInputIsAShapeError()
    {
        QVERIFY(shapeError([&] { gif_bytes(palette(), {}, 5); }).contains("no frames"));
        QVERIFY(shapeError([&] { gif_bytes({}, frames(), 5); }).contains("1 to 256 colours, not 0"));
        QVERIFY(shapeError([&] { gif_bytes(std::vector<Rgb>(257), frames(), 5); }).contains("not 257"));
        auto f = frames();
        f[1] = IndexedImage(4, 2);
        QVERIFY(shapeError([&] { gif_bytes(palette(), f, 5); }).contains("frame 1 is 4x2, but frame 0 is 3x2"));
        f = frames();
        f[1].pixels[4] = 3;
        QVERIFY(shapeError([&] { gif_bytes(palette(), f, 5); })
                    .contains("frame 1, pixel (1, 1) is colour 3, but the palette has 3 colours"));
        f = frames();
        f[0].pixels.pop_back();
        QVERIFY(shapeError([&] { gif_bytes(palette(), f, 5); }).contains("frame 0 has 5 pixels"));
        QVERIFY(shapeError([&] { gif_bytes(palette(), std::vector<IndexedImage>{IndexedImage(0, 3)}, 5); })
                    .contains("0x3"));
        QVERIFY(shapeError([&] { gif_bytes(palette(), frames(), 70000); }).contains("65535 centiseconds"));
        // The file's name starts the message.
        QVERIFY(shapeError([&] { write_gif(path("bad.gif"), palette(), {}, 5); }).startsWith(
            QString::fromStdString(path("bad.gif"))));
        QVERIFY(!std::filesystem::exists(path("bad.gif")));
    }

    void unwritablePathIsAWriteError()
    {
        QVERIFY_THROWS_EXCEPTION(WriteError, write_gif("/no/such/folder/x.gif", palette(), frames(), 5));
        // A write that fails at its last moment (the rename) leaves the old
        // file byte for byte, and no temporary one.
        QTemporaryDir folder;
        const std::string file = folder.filePath("kept.gif").toStdString();
        write_gif(file, palette(), frames(), 5);
        QFile old(QString::fromStdString(file));
        QVERIFY(old.open(QIODevice::ReadOnly));
        const QByteArray before = old.readAll();
        old.close();
        {
            const InjectFaultBeforeRename fault([](const std::filesystem::path& t) {
                throw WriteError(t.string() + ": the rename failed (injected)");
            });
            QVERIFY_THROWS_EXCEPTION(WriteError, write_gif(file, palette(), frames(), 9));
        }
        QVERIFY(old.open(QIODevice::ReadOnly));
        QCOMPARE(old.readAll(), before);
        QCOMPARE(QDir(folder.path()).entryList(QDir::Files), QStringList{"kept.gif"});
    }
};

QTEST_APPLESS_MAIN(TestGif)
#include "tst_gif.moc"
