// Files written byte by byte, saying whatever a test wants them to say: zip
// archives whose directory entries lie, .npy headers, PNG headers that claim
// a size, and genuine but huge data sets that are small on disk (deflated
// zeros), written without ever holding their data in memory.
//
// Plain C++ and zlib (no Qt): the core, CLI and GUI tests and the fuzz
// corpus generator (tests/fuzz/make_corpus.cpp) share it.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

namespace handmade {

// v as `bytes` little-endian bytes.
inline std::string le(std::uint64_t v, int bytes)
{
    std::string s;
    for (int i = 0; i < bytes; ++i) s += char((v >> (8 * i)) & 0xff);
    return s;
}

inline std::string be32(std::uint32_t v)
{
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

inline void write_file(const std::string& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), std::streamsize(bytes.size()));
}

inline std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// zlib's deflate of `raw` followed by `zeros` zero bytes, fed in chunks so
// that the zeros are never in memory: raw (as in a zip member), with a gzip
// wrapper, or with a zlib wrapper (as in a PNG's IDAT).
enum class Wrapper { raw, gzip, zlib };
inline std::string deflated(const std::string& raw, Wrapper wrapper = Wrapper::raw, std::uint64_t zeros = 0)
{
    const int bits = wrapper == Wrapper::raw ? -MAX_WBITS : wrapper == Wrapper::gzip ? 16 + MAX_WBITS : MAX_WBITS;
    z_stream z{};
    deflateInit2(&z, 9, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY);
    std::string out;
    char buffer[1 << 16];
    const std::string chunk_of_zeros(std::size_t(1) << 20, '\0');
    auto pump = [&](const char* data, std::size_t size, int flush) {
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        z.avail_in = uInt(size);
        do {
            z.next_out = reinterpret_cast<Bytef*>(buffer);
            z.avail_out = sizeof buffer;
            deflate(&z, flush);
            out.append(buffer, sizeof buffer - z.avail_out);
        } while (z.avail_out == 0);
    };
    pump(raw.data(), raw.size(), Z_NO_FLUSH);
    for (std::uint64_t left = zeros; left > 0;) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(left, chunk_of_zeros.size()));
        pump(chunk_of_zeros.data(), n, Z_NO_FLUSH);
        left -= n;
    }
    pump(nullptr, 0, Z_FINISH);
    deflateEnd(&z);
    return out;
}

// CRC-32 of `raw` followed by `zeros` zero bytes.
inline std::uint32_t crc32_of(const std::string& raw, std::uint64_t zeros = 0)
{
    uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(raw.data()), uInt(raw.size()));
    const std::string chunk_of_zeros(std::size_t(1) << 20, '\0');
    for (std::uint64_t left = zeros; left > 0;) {
        const std::size_t n = std::size_t(std::min<std::uint64_t>(left, chunk_of_zeros.size()));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(chunk_of_zeros.data()), uInt(n));
        left -= n;
    }
    return std::uint32_t(crc);
}

// A .npy header for `shape_text` of `descr`, padded as NumPy pads it.
inline std::string npy_header(const std::string& descr, const std::string& shape_text)
{
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_text + ", }";
    while ((10 + dict.size() + 1) % 64) dict += ' ';
    dict += '\n';
    return std::string("\x93NUMPY\x01\x00", 8) + le(dict.size(), 2) + dict;
}

// One zip member as written by hand: its directory entry says whatever the
// test wants (sizes, method, CRC), whatever the data really are.
struct ZipMember {
    std::string name;
    std::string data;               // as stored in the archive (already deflated if method 8)
    std::uint16_t method = 8;       // 0 stored, 8 deflated
    std::uint64_t claimed_size = 0; // "uncompressed size" in the headers
    std::uint32_t crc = 0;
    bool zip64 = false;             // sizes in a zip64 extra field
};

inline std::string zip_archive(const std::vector<ZipMember>& members)
{
    std::string out, directory;
    for (const ZipMember& m : members) {
        const std::uint64_t offset = out.size();
        const std::uint64_t compressed = m.data.size();
        const std::uint32_t size32 = m.zip64 ? 0xffffffffu : std::uint32_t(m.claimed_size);
        const std::uint32_t comp32 = m.zip64 ? 0xffffffffu : std::uint32_t(compressed);
        const std::string extra = m.zip64 ? le(1, 2) + le(16, 2) + le(m.claimed_size, 8) + le(compressed, 8) : "";
        const std::string version = le(m.zip64 ? 45 : 20, 2);
        const std::string common = version + le(0, 2) + le(m.method, 2) + le(0, 2) + le(0x21, 2) + le(m.crc, 4) +
                                   le(comp32, 4) + le(size32, 4) + le(m.name.size(), 2) + le(extra.size(), 2);
        out += le(0x04034b50, 4) + common + m.name + extra + m.data;
        directory += le(0x02014b50, 4) + version + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) +
                     le(offset, 4) + m.name + extra;
    }
    const std::uint64_t cd_offset = out.size();
    out += directory;
    out += le(0x06054b50, 4) + le(0, 2) + le(0, 2) + le(members.size(), 2) + le(members.size(), 2) +
           le(directory.size(), 4) + le(cd_offset, 4) + le(0, 2);
    return out;
}

// A genuine deflated .npz member "<name>.npy" of `descr` and `shape_text`
// holding `data_bytes` zero bytes: true sizes, true CRC, whatever its size.
inline ZipMember zeros_member(const std::string& name, const std::string& descr, const std::string& shape_text,
                              std::uint64_t data_bytes)
{
    const std::string header = npy_header(descr, shape_text);
    ZipMember m;
    m.name = name + ".npy";
    m.data = deflated(header, Wrapper::raw, data_bytes);
    m.claimed_size = header.size() + data_bytes;
    m.crc = crc32_of(header, data_bytes);
    m.zip64 = m.claimed_size > 0xfffffffeu;
    return m;
}

// A data set .npz whose n_train + n_test images of side x side x channels,
// of `descr` ("|u1", "<f4"...) with `item_size` bytes an item, are all
// black: X_train, Y_train, X_test, Y_test, every member true. 4096x4096x3
// uint8 images take 50 MB each and 49 kB deflated.
inline std::string black_image_npz(const std::string& descr, std::uint64_t item_size, std::uint64_t n_train,
                                   std::uint64_t n_test, std::uint64_t side, std::uint64_t channels)
{
    // Appended piece by piece: GCC 12 warns falsely about "(" + std::string (its bug 105651).
    const auto shape = [](std::initializer_list<std::uint64_t> dims) {
        std::string text = "(";
        const char* separator = "";
        for (std::uint64_t d : dims) {
            text += separator;
            text += std::to_string(d);
            separator = ", ";
        }
        text += dims.size() == 1 ? ",)" : ")";
        return text;
    };
    const std::uint64_t image = side * side * channels * item_size;
    return zip_archive({zeros_member("X_train", descr, shape({n_train, side, side, channels}), n_train * image),
                        zeros_member("Y_train", "|u1", shape({n_train}), n_train),
                        zeros_member("X_test", descr, shape({n_test, side, side, channels}), n_test * image),
                        zeros_member("Y_test", "|u1", shape({n_test}), n_test)});
}

// A PNG chunk: length, type, data, CRC of type and data.
inline std::string png_chunk(const std::string& type, const std::string& data)
{
    const std::string body = type + data;
    return be32(std::uint32_t(data.size())) + body + be32(crc32_of(body));
}

// A valid-looking 8-bit grey PNG whose header claims width x height pixels
// and whose IDAT holds two bytes (one filter byte, one pixel): 67 bytes, whatever the claim.
inline std::string png_claiming(std::uint32_t width, std::uint32_t height)
{
    const std::string ihdr = be32(width) + be32(height) + std::string{8, 0, 0, 0, 0}; // grey, deflate, no interlace
    return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) +
           png_chunk("IDAT", deflated(std::string(2, '\0'), Wrapper::zlib)) + png_chunk("IEND", "");
}

} // namespace handmade
