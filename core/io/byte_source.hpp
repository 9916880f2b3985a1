// Where a reader's bytes come from: a file, a buffer in memory, a gzip
// stream over either, or one member of a zip archive (an .npz). Readers
// (idx.cpp, npy.cpp) see only ByteSource, so that a file on disk, the
// shipped digits compiled into the program and an .npz member are read by
// the same code and refused with the same messages.
//
// What makes a hostile header cheap is bytes_left(): a source says how many
// bytes are still to come and whether they are known to exist (a file's
// size, a buffer's), only claimed by a container (a deflated zip member's
// directory entry), or unknown until inflated (a gzip stream). A reader
// checks a header against that before it allocates, and read_up_to() grows
// its buffer as data arrive whenever the bytes are not known to exist.
//
// Every problem (no such file, a folder, corrupt or truncated compressed
// data, a zip member's CRC) is a FormatError whose message starts with the
// source's name: a path, "x.npz:X_train.npy", "digits:train-...gz".
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

struct zip; // libzip's zip_t

namespace cs {

// What a source knows of the bytes still to come.
struct BytesLeft {
    enum Knowledge {
        exact,   // `count` bytes are there: a file, a buffer, a stored zip member
        claimed, // a container says `count`; only reading them confirms it
        unknown, // a compressed stream: only inflating tells
    };
    Knowledge knowledge = unknown;
    std::uint64_t count = 0; // for exact and claimed
};

class ByteSource {
public:
    explicit ByteSource(std::string name) : name_(std::move(name)) {}
    virtual ~ByteSource() = default;
    ByteSource(const ByteSource&) = delete;
    ByteSource& operator=(const ByteSource&) = delete;

    // What messages start with: a path, "x.npz:X_train.npy"...
    const std::string& name() const { return name_; }

    // Reads up to n bytes into dst and returns how many came: fewer than n
    // only at the end. FormatError for damaged data.
    virtual std::size_t read_some(void* dst, std::size_t n) = 0;
    virtual BytesLeft bytes_left() const = 0;

    // Exactly n bytes, or FormatError "unexpected end of data".
    void read_exact(void* dst, std::size_t n);
    // Whether the source ends here: true when no byte follows. It reads one
    // byte to find out (which is also when libzip checks a member's CRC-32
    // and zlib a gzip trailer), so it is the last thing a reader asks.
    bool ends_here();

private:
    std::string name_;
};

// A file on disk, opened at once: FormatError "no such file", "is a folder,
// not <what>" (what: "an IDX file", "a .npy file"...) or the system's reason.
std::unique_ptr<ByteSource> open_file_source(const std::filesystem::path& path, const std::string& what);

// Bytes in memory, read in place (they must outlive the source).
std::unique_ptr<ByteSource> memory_source(std::span<const std::byte> bytes, const std::string& name);

// `source` decompressed if it starts with gzip's magic bytes 1f 8b (as
// `gunzip -f` decides, whatever the name), else passed through as it is.
// Concatenated gzip members are read one after the other, as gunzip does;
// the CRC-32 of each is checked.
std::unique_ptr<ByteSource> gunzip_if_compressed(std::unique_ptr<ByteSource> source);

// A zip archive (an .npz), read-only. Each member's directory entry is a
// claim: its compressed size must fit in the archive, its uncompressed size
// within what deflate can make of that (1032:1); stored and deflated members
// only, none encrypted. Sources of its members must not outlive it.
class ZipArchive {
public:
    // FormatError naming the file when it is missing, a folder or not a zip.
    static ZipArchive open_file(const std::filesystem::path& path);
    // In place: `bytes` must outlive the archive.
    static ZipArchive open_memory(std::span<const std::byte> bytes, const std::string& name);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete; // returned by value all the same (C++17 elision)
    ZipArchive& operator=(const ZipArchive&) = delete;

    const std::string& name() const { return name_; }
    std::size_t member_count() const;
    // The member's path inside the archive ("X_train.npy"; a folder ends in '/').
    std::string member_name(std::size_t index) const;
    // A source named "<archive>:<member>" whose bytes_left() is exact for a
    // stored member and claimed for a deflated one.
    std::unique_ptr<ByteSource> member(std::size_t index) const;

private:
    ZipArchive(zip* archive, std::uint64_t bytes, std::string name);
    zip* archive_ = nullptr;
    std::uint64_t bytes_ = 0; // the archive's size
    std::string name_;
};

// Reads n bytes, or all there are when the source ends first, into `out`
// and returns how many came. Bytes known to exist are allocated at once; a
// claimed or unknown length grows the buffer as data arrive (doubling from
// 64 KiB), so that a header's lie costs at most twice what was really there.
template <typename Byte>
std::size_t read_up_to(ByteSource& source, std::vector<Byte>& out, std::size_t n)
{
    static_assert(sizeof(Byte) == 1);
    const BytesLeft left = source.bytes_left();
    if (left.knowledge == BytesLeft::exact && left.count >= n) {
        out.resize(n);
        out.resize(source.read_some(out.data(), n));
        return out.size();
    }
    constexpr std::size_t first_chunk = std::size_t(1) << 16;
    out.clear();
    while (out.size() < n) {
        const std::size_t have = out.size();
        out.resize(std::min(n, std::max(first_chunk, 2 * have)));
        const std::size_t got = source.read_some(out.data() + have, out.size() - have);
        if (have + got < out.size()) {
            out.resize(have + got);
            break;
        }
    }
    return out.size();
}

} // namespace cs
