#include "idx.hpp"

#include "checked_arithmetic.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>

namespace cs {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& problem)
{
    throw FormatError(name + ": " + problem);
}

// A stream of bytes: read() returns fewer than n bytes only at the end.
class ByteReader {
public:
    virtual ~ByteReader() = default;
    virtual std::size_t read(std::uint8_t* dst, std::size_t n) = 0;
    // The bytes still to come when the reader knows them (a plain file or
    // buffer); nullopt for a gzip stream, whose length only inflating tells.
    virtual std::optional<std::uint64_t> bytes_left() const = 0;
};

// A file through zlib's gz* functions: gzopen() looks at the magic bytes and
// reads a plain file as it is, a gzip file decompressed.
class GzFileReader final : public ByteReader {
public:
    GzFileReader(const std::filesystem::path& path, const std::string& name) : name_(name)
    {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) fail(name_, "no such file");
        if (std::filesystem::is_directory(path, ec)) fail(name_, "is a folder, not an IDX file");
        size_ = std::filesystem::file_size(path, ec);
        if (ec) fail(name_, "cannot stat: " + ec.message());
        file_ = gzopen(path.c_str(), "rb");
        if (!file_) fail(name_, std::string("cannot open: ") + std::strerror(errno));
        gzbuffer(file_, 1 << 17);
    }
    ~GzFileReader() override { gzclose_r(file_); }
    GzFileReader(const GzFileReader&) = delete;
    GzFileReader& operator=(const GzFileReader&) = delete;

    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        std::size_t done = 0;
        while (done < n) {
            const unsigned chunk = unsigned(std::min<std::size_t>(n - done, 1u << 30));
            const int got = gzread(file_, dst + done, chunk);
            if (got < 0) fail(name_, std::string("corrupt gzip data (") + error() + ")");
            if (got == 0) break;
            done += std::size_t(got);
        }
        // A truncated gzip stream reads as a short stream plus an error.
        if (done < n && !gzdirect(file_)) {
            int code = Z_OK;
            const char* msg = gzerror(file_, &code);
            if (code != Z_OK) fail(name_, std::string("corrupt or truncated gzip data (") + msg + ")");
        }
        consumed_ += done;
        return done;
    }
    // gzdirect: a plain file, read as it is, whose size is known.
    std::optional<std::uint64_t> bytes_left() const override
    {
        if (!gzdirect(file_)) return std::nullopt;
        return consumed_ < size_ ? size_ - consumed_ : 0;
    }

private:
    std::string error()
    {
        int code = Z_OK;
        return gzerror(file_, &code);
    }

    std::string name_;
    gzFile file_ = nullptr;
    std::uint64_t size_ = 0;     // of the file on disk
    std::uint64_t consumed_ = 0; // bytes handed out by read()
};

class MemoryReader final : public ByteReader {
public:
    explicit MemoryReader(std::span<const std::uint8_t> data) : data_(data) {}
    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        const std::size_t k = std::min(n, data_.size() - pos_);
        if (k) std::memcpy(dst, data_.data() + pos_, k);
        pos_ += k;
        return k;
    }
    std::optional<std::uint64_t> bytes_left() const override { return data_.size() - pos_; }

private:
    std::span<const std::uint8_t> data_;
    std::size_t pos_ = 0;
};

// gzip in memory, inflated as it is read (inflateInit2 with 16 + MAX_WBITS:
// gzip header and trailer, CRC checked). Concatenated gzip members are read
// one after the other, as gunzip does.
class InflateReader final : public ByteReader {
public:
    InflateReader(std::span<const std::uint8_t> data, const std::string& name) : data_(data), name_(name)
    {
        if (inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) fail(name_, "cannot initialise zlib");
        feed();
    }
    ~InflateReader() override { inflateEnd(&z_); }
    InflateReader(const InflateReader&) = delete;
    InflateReader& operator=(const InflateReader&) = delete;

    std::size_t read(std::uint8_t* dst, std::size_t n) override
    {
        std::size_t done = 0;
        while (done < n && !finished_) {
            const uInt chunk = uInt(std::min<std::size_t>(n - done, 1u << 30));
            z_.next_out = dst + done;
            z_.avail_out = chunk;
            if (z_.avail_in == 0) feed();
            const int rc = inflate(&z_, Z_NO_FLUSH);
            done += chunk - z_.avail_out;
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow.
                if (z_.avail_in == 0) feed();
                if (z_.avail_in >= 2 && z_.next_in[0] == 0x1f && z_.next_in[1] == 0x8b) {
                    inflateReset(&z_);
                } else {
                    finished_ = true;
                }
            } else if (rc == Z_BUF_ERROR) {
                // No progress possible: input exhausted before the stream's end.
                if (z_.avail_in == 0 && pos_ >= data_.size()) fail(name_, "truncated gzip data");
            } else if (rc != Z_OK) {
                fail(name_, std::string("corrupt gzip data (") + (z_.msg ? z_.msg : "zlib error") + ")");
            }
        }
        return done;
    }
    std::optional<std::uint64_t> bytes_left() const override { return std::nullopt; }

private:
    void feed()
    {
        const std::size_t k = std::min<std::size_t>(data_.size() - pos_, 1u << 30);
        z_.next_in = const_cast<Bytef*>(data_.data() + pos_);
        z_.avail_in = uInt(k);
        pos_ += k;
    }

    std::span<const std::uint8_t> data_;
    std::string name_;
    z_stream z_{};
    std::size_t pos_ = 0;
    bool finished_ = false;
};

std::uint32_t big_endian_u32(const std::uint8_t* p)
{
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]);
}

// Reads up to n bytes into `out` and returns how many came. When they are
// known to exist, `out` is allocated at once; otherwise it grows as data
// arrive (doubling from 64 KiB), so a lying header costs at most twice what
// was really there.
std::size_t read_growing(ByteReader& in, std::vector<std::uint8_t>& out, std::size_t n, bool known_to_exist)
{
    if (known_to_exist) {
        out.resize(n);
        return in.read(out.data(), n);
    }
    constexpr std::size_t first_chunk = std::size_t(1) << 16;
    out.clear();
    while (out.size() < n) {
        const std::size_t have = out.size();
        out.resize(std::min(n, std::max(first_chunk, 2 * have)));
        const std::size_t got = in.read(out.data() + have, out.size() - have);
        if (have + got < out.size()) {
            out.resize(have + got);
            break;
        }
    }
    return out.size();
}

IdxArray parse(ByteReader& in, const std::string& name, const IdxShapeCheck& check)
{
    std::array<std::uint8_t, 4> magic{};
    const std::size_t got = in.read(magic.data(), 4);
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
    if (in.read(dims_bytes.data(), 4 * rank) < 4 * rank) fail(name, "truncated IDX header (dimensions missing)");
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
    const auto left = in.bytes_left();
    if (left && *left < total)
        fail(name, "truncated: shape " + out.shape.str() + " needs " + std::to_string(total) +
                       " bytes of data, the file has " + std::to_string(*left));
    const std::size_t n = read_growing(in, out.bytes, total, left.has_value());
    if (n < total)
        fail(name, "truncated: shape " + out.shape.str() + " needs " + std::to_string(total) + " bytes of data, found " +
                       std::to_string(n));
    std::uint8_t extra = 0;
    if (in.read(&extra, 1) != 0) fail(name, "trailing bytes after the " + std::to_string(total) + " bytes of data");
    return out;
}

} // namespace

IdxArray read_idx(const std::filesystem::path& path, const IdxShapeCheck& check)
{
    const std::string name = path.string();
    return out_of_memory_as_format_error(name, [&] {
        GzFileReader in(path, name);
        return parse(in, name, check);
    });
}

IdxArray read_idx_bytes(std::span<const std::uint8_t> data, const std::string& name, const IdxShapeCheck& check)
{
    return out_of_memory_as_format_error(name, [&] {
        if (data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
            InflateReader in(data, name);
            return parse(in, name, check);
        }
        MemoryReader in(data);
        return parse(in, name, check);
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

    std::filesystem::path tmp = path;
    tmp += ".tmp";
    gzFile f = gzopen(tmp.c_str(), "wb9");
    if (!f) fail(name, std::string("cannot create ") + tmp.string() + ": " + std::strerror(errno));
    bool ok = gzwrite(f, header.data(), unsigned(header.size())) == int(header.size());
    for (std::size_t done = 0; ok && done < bytes.size();) {
        const unsigned chunk = unsigned(std::min<std::size_t>(bytes.size() - done, 1u << 30));
        ok = gzwrite(f, bytes.data() + done, chunk) == int(chunk);
        done += chunk;
    }
    ok = (gzclose_w(f) == Z_OK) && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(tmp, ec);
        fail(name, "write failed (disk full?)");
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail(name, "cannot rename " + tmp.string() + ": " + ec.message());
    }
}

} // namespace cs
