#include "byte_source.hpp"

#include "errors.hpp"

#include <zip.h>
#include <zlib.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cs {

void ByteSource::read_exact(void* dst, std::size_t n)
{
    if (read_some(dst, n) < n) fail(name_, "unexpected end of data");
}

bool ByteSource::ends_here()
{
    std::byte probe{};
    return read_some(&probe, 1) == 0;
}

namespace {

// One read(2) is at most this much (Linux caps it near 2 GiB anyway).
constexpr std::size_t max_chunk = std::size_t(1) << 30;

struct OpenFile {
    int fd = -1;
    std::uint64_t size = 0; // of what was opened, not of whatever the path names by now
};

// `path` opened for reading, or FormatError: "no such file", "is a folder,
// not <what>", or the system's reason.
OpenFile open_for_reading(const std::filesystem::path& path, const std::string& what)
{
    const std::string name = path.string();
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) fail(name, "no such file");
        fail(name, std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat st{};
    if (::fstat(fd, &st) != 0) {
        const int error = errno;
        ::close(fd);
        fail(name, std::string("cannot stat: ") + std::strerror(error));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        fail(name, "is a folder, not " + what);
    }
    return {fd, std::uint64_t(st.st_size)};
}

class FileSource final : public ByteSource {
public:
    FileSource(const std::filesystem::path& path, const std::string& what) : ByteSource(path.string())
    {
        const OpenFile file = open_for_reading(path, what);
        fd_ = file.fd;
        left_ = file.size;
    }
    ~FileSource() override { ::close(fd_); }

    std::size_t read_some(void* dst, std::size_t n) override
    {
        auto* out = static_cast<char*>(dst);
        std::size_t done = 0;
        while (done < n) {
            const ssize_t got = ::read(fd_, out + done, std::min(n - done, max_chunk));
            if (got < 0 && errno == EINTR) continue;
            if (got < 0) fail(name(), std::string("read error: ") + std::strerror(errno));
            if (got == 0) break;
            done += std::size_t(got);
        }
        left_ -= std::min<std::uint64_t>(left_, done);
        return done;
    }
    // The size when it was opened: a file that shrinks meanwhile ends early
    // (a truncation the reader reports), one that grows has trailing bytes.
    BytesLeft bytes_left() const override { return {BytesLeft::exact, left_}; }

private:
    int fd_ = -1;
    std::uint64_t left_ = 0;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(std::span<const std::byte> bytes, const std::string& name) : ByteSource(name), bytes_(bytes) {}
    std::size_t read_some(void* dst, std::size_t n) override
    {
        const std::size_t k = std::min(n, bytes_.size() - pos_);
        if (k) std::memcpy(dst, bytes_.data() + pos_, k);
        pos_ += k;
        return k;
    }
    BytesLeft bytes_left() const override { return {BytesLeft::exact, bytes_.size() - pos_}; }

private:
    std::span<const std::byte> bytes_;
    std::size_t pos_ = 0;
};

// gzip over another source, or that source as it is when it does not start
// with gzip's magic bytes (then bytes_left() is the inner source's).
// inflateInit2 with 16 + MAX_WBITS: gzip header and trailer, CRC checked.
class GunzipSource final : public ByteSource {
public:
    explicit GunzipSource(std::unique_ptr<ByteSource> inner) : ByteSource(inner->name()), inner_(std::move(inner))
    {
        fill(2);
        gzip_ = have_ >= 2 && in_[0] == 0x1f && in_[1] == 0x8b;
        if (gzip_ && inflateInit2(&z_, 16 + MAX_WBITS) != Z_OK) fail(name(), "cannot initialise zlib");
    }
    ~GunzipSource() override
    {
        if (gzip_) inflateEnd(&z_);
    }

    std::size_t read_some(void* dst, std::size_t n) override
    {
        return gzip_ ? inflate_some(static_cast<Bytef*>(dst), n) : pass_through(static_cast<std::uint8_t*>(dst), n);
    }
    BytesLeft bytes_left() const override
    {
        if (gzip_) return {};
        BytesLeft left = inner_->bytes_left();
        left.count += have_ - pos_;
        return left;
    }

private:
    // Tops the buffer up to at least `want` unread bytes, unless the inner
    // source ends first.
    void fill(std::size_t want)
    {
        if (pos_ > 0) {
            std::memmove(in_.data(), in_.data() + pos_, have_ - pos_);
            have_ -= pos_;
            pos_ = 0;
        }
        while (have_ < want && !inner_ended_) {
            const std::size_t got = inner_->read_some(in_.data() + have_, in_.size() - have_);
            inner_ended_ = got == 0;
            have_ += got;
        }
    }

    std::size_t pass_through(std::uint8_t* dst, std::size_t n)
    {
        const std::size_t buffered = std::min(n, have_ - pos_);
        if (buffered) std::memcpy(dst, in_.data() + pos_, buffered);
        pos_ += buffered;
        return buffered + (buffered < n ? inner_->read_some(dst + buffered, n - buffered) : 0);
    }

    std::size_t inflate_some(Bytef* dst, std::size_t n)
    {
        std::size_t done = 0;
        while (done < n && !finished_) {
            if (pos_ == have_) fill(1);
            const uInt chunk = uInt(std::min(n - done, max_chunk));
            z_.next_in = in_.data() + pos_;
            z_.avail_in = uInt(have_ - pos_);
            z_.next_out = dst + done;
            z_.avail_out = chunk;
            const int rc = inflate(&z_, Z_NO_FLUSH);
            pos_ = have_ - z_.avail_in;
            done += chunk - z_.avail_out;
            if (rc == Z_STREAM_END) {
                // Another gzip member may follow; anything else is ignored, as gunzip does.
                fill(2);
                if (have_ - pos_ >= 2 && in_[pos_] == 0x1f && in_[pos_ + 1] == 0x8b) inflateReset(&z_);
                else finished_ = true;
            } else if (rc == Z_BUF_ERROR) {
                // No progress: the input ran out before the stream's end.
                if (pos_ == have_ && inner_ended_) fail(name(), "truncated gzip data");
            } else if (rc != Z_OK) {
                fail(name(), std::string("corrupt gzip data (") + (z_.msg ? z_.msg : "zlib error") + ")");
            }
        }
        return done;
    }

    std::unique_ptr<ByteSource> inner_;
    std::array<std::uint8_t, std::size_t(1) << 17> in_{}; // compressed bytes; [pos_, have_) unread
    std::size_t pos_ = 0, have_ = 0;
    bool inner_ended_ = false;
    bool gzip_ = false;
    bool finished_ = false;
    z_stream z_{};
};

// Deflate cannot expand by more than 1032:1 (a 258-byte match costs at least
// two bits), so a member's compressed size bounds what it can hold.
constexpr std::uint64_t deflate_max_ratio = 1032;

class ZipMemberSource final : public ByteSource {
public:
    ZipMemberSource(zip_t* archive, zip_uint64_t index, std::uint64_t archive_bytes, const std::string& name)
        : ByteSource(name)
    {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(archive, index, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
            fail(name, "corrupt zip directory entry");
        if (!(st.valid & ZIP_STAT_COMP_SIZE) || !(st.valid & ZIP_STAT_COMP_METHOD))
            fail(name, "corrupt zip directory entry (no compressed size or method)");
        if (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)
            fail(name, "compression method " + std::to_string(st.comp_method) +
                           " is not read (.npz members are stored or deflated)");
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            fail(name, "encrypted zip members are not read");
        if (st.comp_size > archive_bytes)
            fail(name, "the zip directory claims " + std::to_string(st.comp_size) +
                           " compressed bytes in an archive of " + std::to_string(archive_bytes));
        if (st.comp_method == ZIP_CM_STORE && st.size != st.comp_size)
            fail(name, "stored zip member of " + std::to_string(st.comp_size) + " bytes claims to hold " +
                           std::to_string(st.size));
        if (st.comp_method == ZIP_CM_DEFLATE && st.size / deflate_max_ratio > st.comp_size)
            fail(name, "zip member claims " + std::to_string(st.size) + " bytes, more than its " +
                           std::to_string(st.comp_size) + " deflated bytes can hold");
        left_ = {st.comp_method == ZIP_CM_STORE ? BytesLeft::exact : BytesLeft::claimed, st.size};
        file_ = zip_fopen_index(archive, index, 0);
        if (!file_) fail(name, std::string("cannot open zip member: ") + zip_strerror(archive));
    }
    ~ZipMemberSource() override { zip_fclose(file_); }

    // libzip checks a member's CRC-32 when a read reaches its end: a stored
    // member with damaged data fails there ("CRC error").
    std::size_t read_some(void* dst, std::size_t n) override
    {
        auto* out = static_cast<char*>(dst);
        std::size_t done = 0;
        while (done < n) {
            const zip_int64_t got = zip_fread(file_, out + done, std::min(n - done, max_chunk));
            if (got < 0) fail(name(), std::string("corrupt zip member: ") + zip_file_strerror(file_));
            if (got == 0) break;
            done += std::size_t(got);
        }
        left_.count -= std::min<std::uint64_t>(left_.count, done);
        return done;
    }
    BytesLeft bytes_left() const override { return left_; }

private:
    zip_file_t* file_ = nullptr;
    BytesLeft left_;
};

std::string zip_error_text(zip_error_t& error)
{
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return text;
}

} // namespace

std::unique_ptr<ByteSource> open_file_source(const std::filesystem::path& path, const std::string& what)
{
    return std::make_unique<FileSource>(path, what);
}

std::unique_ptr<ByteSource> memory_source(std::span<const std::byte> bytes, const std::string& name)
{
    return std::make_unique<MemorySource>(bytes, name);
}

std::unique_ptr<ByteSource> gunzip_if_compressed(std::unique_ptr<ByteSource> source)
{
    return std::make_unique<GunzipSource>(std::move(source));
}

ZipArchive::ZipArchive(zip* archive, std::uint64_t bytes, std::string name)
    : archive_(archive), bytes_(bytes), name_(std::move(name))
{
}

ZipArchive::~ZipArchive()
{
    zip_discard(archive_);
}

ZipArchive ZipArchive::open_file(const std::filesystem::path& path)
{
    const std::string name = path.string();
    // Opened as every file is (the same messages), then handed to libzip.
    const OpenFile file = open_for_reading(path, "an .npz file");
    int code = 0;
    zip_t* archive = zip_fdopen(file.fd, ZIP_CHECKCONS, &code); // read-only; owns the descriptor once open
    if (!archive) {
        ::close(file.fd);
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        fail(name, "not a readable .npz (zip) archive: " + zip_error_text(error));
    }
    return ZipArchive(archive, file.size, name);
}

ZipArchive ZipArchive::open_memory(std::span<const std::byte> bytes, const std::string& name)
{
    // libzip opens an empty buffer as an empty archive, an empty file not.
    if (bytes.empty()) fail(name, "not a readable .npz (zip) archive: empty");
    zip_error_t error;
    zip_error_init(&error);
    // freep 0: libzip reads the caller's bytes in place and never frees them.
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (!source) fail(name, "cannot read the .npz image: " + zip_error_text(error));
    zip_t* archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!archive) {
        zip_source_free(source); // still ours when the open failed
        fail(name, "not a readable .npz (zip) archive: " + zip_error_text(error));
    }
    zip_error_fini(&error);
    return ZipArchive(archive, bytes.size(), name);
}

std::size_t ZipArchive::member_count() const
{
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    return count < 0 ? 0 : std::size_t(count);
}

std::string ZipArchive::member_name(std::size_t index) const
{
    const char* member = zip_get_name(archive_, index, 0);
    if (!member) fail(name_, "corrupt zip directory entry " + std::to_string(index));
    return member;
}

std::unique_ptr<ByteSource> ZipArchive::member(std::size_t index) const
{
    return std::make_unique<ZipMemberSource>(archive_, index, bytes_, name_ + ":" + member_name(index));
}

} // namespace cs
