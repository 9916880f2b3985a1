#include "idx.hpp"

#include "atomic_file.hpp"
#include "byte_source.hpp"
#include "checked_arithmetic.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>

namespace cs {
namespace {

std::uint32_t big_endian_u32(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

IdxArray parse(ByteSource& in, const IdxShapeCheck& check)
{
    const std::string& name = in.name();
    std::array<std::uint8_t, 4> magic{};
    const std::size_t got = in.read_some(magic.data(), 4);
    if (got == 0) fail(name, "empty file, not an IDX file");
    if (got < 4) fail(name, "truncated IDX header (" + std::to_string(got) + " of 4 magic bytes)");
    if (magic[0] != 0 || magic[1] != 0) {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%02x%02x%02x%02x", magic[0], magic[1], magic[2], magic[3]);
        fail(name, std::string("bad magic number ") + hex + ", not an IDX file (expected 0x00000803 or 0x00000801)");
    }
    if (magic[2] != 0x08) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", magic[2]);
        fail(name, std::string("unsupported dtype ") + hex + " (only 0x08, unsigned byte, is read)");
    }
    const std::size_t rank = magic[3];
    if (rank < 1 || rank > Shape::max_rank)
        fail(name, "unsupported rank " + std::to_string(rank) + " (1 to 4 dimensions are read)");

    std::array<std::uint8_t, 4 * Shape::max_rank> dims_bytes{};
    if (in.read_some(dims_bytes.data(), 4 * rank) < 4 * rank) fail(name, "truncated IDX header (dimensions missing)");
    IdxArray out;
    out.shape = rank == 1 ? Shape{0} : rank == 2 ? Shape{0, 0} : rank == 3 ? Shape{0, 0, 0} : Shape{0, 0, 0, 0};
    std::size_t total = 1;
    for (std::size_t i = 0; i < rank; ++i) {
        const std::uint32_t d = big_endian_u32(dims_bytes.data() + 4 * i);
        out.shape[i] = d;
        if (!multiply_fits(total, d, total) || total > idx_max_bytes)
            fail(name, "header claims " + out.shape.str() + " = more than 2^31 bytes; refusing to allocate");
    }
    if (check) check(out.shape);
    // The header is only a claim: check it against the bytes that exist
    // before allocating, or, for gzip, grow the buffer as data arrive.
    const BytesLeft left = in.bytes_left();
    if (left.knowledge == BytesLeft::exact && left.count < total)
        fail(name, "truncated: shape " + out.shape.str() + " needs " + std::to_string(total) +
                       " bytes of data, the file has " + std::to_string(left.count));
    const std::size_t n = read_up_to(in, out.bytes, total);
    if (n < total)
        fail(name, "truncated: shape " + out.shape.str() + " needs " + std::to_string(total) + " bytes of data, found " +
                       std::to_string(n));
    if (!in.ends_here()) fail(name, "trailing bytes after the " + std::to_string(total) + " bytes of data");
    return out;
}

} // namespace

IdxArray read_idx(const std::filesystem::path& path, const IdxShapeCheck& check)
{
    const std::string name = path.string();
    return out_of_memory_as_format_error(name, [&] {
        const auto in = gunzip_if_compressed(open_file_source(path, "an IDX file"));
        return parse(*in, check);
    });
}

IdxArray read_idx_bytes(std::span<const std::uint8_t> data, const std::string& name, const IdxShapeCheck& check)
{
    return out_of_memory_as_format_error(name, [&] {
        const auto in = gunzip_if_compressed(memory_source(std::as_bytes(data), name));
        return parse(*in, check);
    });
}

void write_idx_gz(const std::filesystem::path& path, const Shape& shape, std::span<const std::uint8_t> bytes)
{
    const std::string name = path.string();
    if (shape.rank() < 1) fail(name, "cannot write a rank-0 IDX array");
    if (shape.elements() != bytes.size())
        fail(name, "shape " + shape.str() + " does not match " + std::to_string(bytes.size()) + " bytes");
    std::vector<std::uint8_t> header{0, 0, 0x08, std::uint8_t(shape.rank())};
    for (std::size_t i = 0; i < shape.rank(); ++i) {
        if (shape[i] > 0xffffffffu) fail(name, "dimension too large for IDX: " + shape.str());
        const auto d = std::uint32_t(shape[i]);
        for (int s = 24; s >= 0; s -= 8) header.push_back(std::uint8_t(d >> s));
    }

    // gzip as gzopen(path, "wb9") writes it (no time stamp, no file name),
    // deflated straight into the atomic file.
    AtomicFile file(path);
    z_stream z{};
    if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        fail(name, "cannot initialise zlib");
    const std::unique_ptr<z_stream, int (*)(z_streamp)> end_deflate(&z, deflateEnd);
    std::vector<std::byte> out(std::size_t(1) << 17);
    const auto deflate_into_file = [&](std::span<const std::uint8_t> in, int flush) {
        z.next_in = const_cast<Bytef*>(in.data()); // zlib's API is not const; it only reads next_in
        z.avail_in = uInt(in.size());
        int rc = Z_OK;
        do {
            z.next_out = reinterpret_cast<Bytef*>(out.data());
            z.avail_out = uInt(out.size());
            rc = deflate(&z, flush);
            file.write(std::span(out).first(out.size() - z.avail_out));
        } while (z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
    };
    deflate_into_file(header, Z_NO_FLUSH);
    for (std::size_t done = 0; done < bytes.size();) {
        const std::size_t chunk = std::min<std::size_t>(bytes.size() - done, 1u << 30);
        deflate_into_file(bytes.subspan(done, chunk), Z_NO_FLUSH);
        done += chunk;
    }
    deflate_into_file({}, Z_FINISH);
    file.commit();
}

} // namespace cs
