#include "gif_file.hpp"

#include "atomic_file.hpp"
#include "errors.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <memory>
#include <string>

namespace cs {

namespace {

// giflib's output function: appends to the vector in UserData.
int append_bytes(GifFileType* gif, const GifByteType* bytes, int count)
{
    auto* out = static_cast<std::vector<std::byte>*>(gif->UserData);
    const auto* b = reinterpret_cast<const std::byte*>(bytes);
    out->insert(out->end(), b, b + count);
    return count;
}

[[noreturn]] void giflib_failed(const std::string& name, const char* doing, int error)
{
    const char* reason = GifErrorString(error);
    throw WriteError(name + ": giflib could not " + doing + " (" + (reason ? reason : "unknown error") + ")");
}

void check(const std::string& name, std::span<const Rgb> palette, std::span<const IndexedImage> frames,
           unsigned delay)
{
    if (palette.empty() || palette.size() > 256)
        throw ShapeError(name + ": a palette has 1 to 256 colours, not " + std::to_string(palette.size()));
    if (frames.empty()) throw ShapeError(name + ": no frames to write");
    if (delay > 65535) throw ShapeError(name + ": a frame's delay is at most 65535 centiseconds, not " + std::to_string(delay));
    const std::size_t w = frames[0].width, h = frames[0].height;
    if (w == 0 || h == 0 || w > 65535 || h > 65535)
        throw ShapeError(name + ": frames are 1 to 65535 pixels on each side, not " + std::to_string(w) + "x" +
                         std::to_string(h));
    for (std::size_t f = 0; f < frames.size(); ++f) {
        const IndexedImage& frame = frames[f];
        if (frame.width != w || frame.height != h)
            throw ShapeError(name + ": frame " + std::to_string(f) + " is " + std::to_string(frame.width) + "x" +
                             std::to_string(frame.height) + ", but frame 0 is " + std::to_string(w) + "x" +
                             std::to_string(h) + " (every frame must be the same size)");
        if (frame.pixels.size() != w * h)
            throw ShapeError(name + ": frame " + std::to_string(f) + " has " + std::to_string(frame.pixels.size()) +
                             " pixels, not " + std::to_string(w) + "x" + std::to_string(h));
        for (std::size_t i = 0; i < frame.pixels.size(); ++i)
            if (frame.pixels[i] >= palette.size())
                throw ShapeError(name + ": frame " + std::to_string(f) + ", pixel (" + std::to_string(i % w) + ", " +
                                 std::to_string(i / w) + ") is colour " + std::to_string(frame.pixels[i]) +
                                 ", but the palette has " + std::to_string(palette.size()) + " colours");
    }
}

} // namespace

std::vector<std::byte> gif_bytes(std::span<const Rgb> palette, std::span<const IndexedImage> frames,
                                 unsigned delay_centiseconds, bool loop, const std::string& name)
{
    check(name, palette, frames, delay_centiseconds);
    const int w = int(frames[0].width), h = int(frames[0].height);

    // A GIF colour table has 2^k entries (k = 1..8): pad with black.
    int table = 2;
    while (table < int(palette.size())) table *= 2;
    std::vector<GifColorType> colours(std::size_t(table), GifColorType{0, 0, 0});
    for (std::size_t i = 0; i < palette.size(); ++i) colours[i] = {palette[i].r, palette[i].g, palette[i].b};
    const std::unique_ptr<ColorMapObject, void (*)(ColorMapObject*)> map(GifMakeMapObject(table, colours.data()),
                                                                           GifFreeMapObject);
    if (!map) throw WriteError(name + ": not enough memory for the colour table");

    std::vector<std::byte> out;
    int error = 0;
    GifFileType* raw = EGifOpen(&out, append_bytes, &error);
    if (!raw) giflib_failed(name, "start the file", error);
    // Closes (and frees) the encoder on every path; a successful close writes the trailer.
    auto close = [](GifFileType* gif) {
        int ignored = 0;
        EGifCloseFile(gif, &ignored);
    };
    std::unique_ptr<GifFileType, decltype(close)> gif(raw, close);
    EGifSetGifVersion(gif.get(), true); // GIF89a: extensions

    if (EGifPutScreenDesc(gif.get(), w, h, 8, 0, map.get()) == GIF_ERROR)
        giflib_failed(name, "write the screen descriptor", gif->Error);
    if (loop) {
        // NETSCAPE2.0: sub-block 1, loop count 0 (little-endian) = for ever.
        static const GifByteType netscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
        static const GifByteType forever[] = {1, 0, 0};
        if (EGifPutExtensionLeader(gif.get(), APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
            EGifPutExtensionBlock(gif.get(), sizeof netscape, netscape) == GIF_ERROR ||
            EGifPutExtensionBlock(gif.get(), sizeof forever, forever) == GIF_ERROR ||
            EGifPutExtensionTrailer(gif.get()) == GIF_ERROR)
            giflib_failed(name, "write the loop extension", gif->Error);
    }
    GraphicsControlBlock gcb{};
    gcb.DisposalMode = DISPOSE_DO_NOT;
    gcb.UserInputFlag = false;
    gcb.DelayTime = int(delay_centiseconds);
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType control[4];
    EGifGCBToExtension(&gcb, control);

    std::vector<GifPixelType> line(static_cast<std::size_t>(w)); // EGifPutLine takes a non-const row
    for (const IndexedImage& frame : frames) {
        if (EGifPutExtension(gif.get(), GRAPHICS_EXT_FUNC_CODE, sizeof control, control) == GIF_ERROR)
            giflib_failed(name, "write a frame's delay", gif->Error);
        if (EGifPutImageDesc(gif.get(), 0, 0, w, h, false, nullptr) == GIF_ERROR)
            giflib_failed(name, "write a frame's descriptor", gif->Error);
        for (int y = 0; y < h; ++y) {
            std::copy_n(frame.pixels.data() + std::size_t(y) * std::size_t(w), std::size_t(w), line.data());
            if (EGifPutLine(gif.get(), line.data(), w) == GIF_ERROR) giflib_failed(name, "write a frame", gif->Error);
        }
    }
    const int closed = EGifCloseFile(gif.release(), &error);
    if (closed == GIF_ERROR) giflib_failed(name, "finish the file", error);
    return out;
}

void write_gif(const std::filesystem::path& path, std::span<const Rgb> palette, std::span<const IndexedImage> frames,
               unsigned delay_centiseconds, bool loop)
{
    const std::vector<std::byte> bytes = gif_bytes(palette, frames, delay_centiseconds, loop, path.string());
    write_file_atomically(path, bytes);
}

} // namespace cs
