#include "atomic_file.hpp"

#include "errors.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace cs {
namespace {

std::atomic<const std::function<void(const std::filesystem::path&)>*> fault_before_rename{nullptr};

// "<target>.tmp-" and six random letters or digits.
std::filesystem::path temporary_name(const std::filesystem::path& target, std::mt19937_64& rng)
{
    static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::uniform_int_distribution<std::size_t> pick(0, sizeof letters - 2);
    std::string suffix = ".tmp-";
    for (int i = 0; i < 6; ++i) suffix += letters[pick(rng)];
    std::filesystem::path p = target;
    p += suffix;
    return p;
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path target) : target_(std::move(target))
{
    // A fresh name each time (O_EXCL), so that two saves to one target never
    // write into the same temporary file.
    std::random_device seed;
    std::mt19937_64 rng((std::uint64_t(seed()) << 32) ^ seed());
    for (int attempt = 0; attempt < 100; ++attempt) {
        temporary_ = temporary_name(target_, rng);
        fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd_ >= 0) return;
        if (errno != EEXIST) break;
    }
    const int error = errno;
    temporary_.clear();
    fail("cannot create a temporary file in its folder", error);
}

AtomicFile::~AtomicFile()
{
    if (fd_ >= 0) ::close(fd_);
    if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void AtomicFile::fail(const std::string& doing, int error)
{
    throw WriteError(target_.string() + ": " + doing + " (" + std::strerror(error) + ")");
}

void AtomicFile::write(std::span<const std::byte> bytes)
{
    if (fd_ < 0) throw WriteError(target_.string() + ": written to after commit()");
    std::size_t done = 0;
    while (done < bytes.size()) {
        const std::size_t chunk = std::min<std::size_t>(bytes.size() - done, std::size_t(1) << 30);
        const ssize_t put = ::write(fd_, bytes.data() + done, chunk);
        if (put < 0 && errno == EINTR) continue;
        if (put < 0) fail("cannot write", errno);
        done += std::size_t(put);
    }
}

void AtomicFile::commit()
{
    if (fd_ < 0) throw WriteError(target_.string() + ": committed twice");
    if (::fsync(fd_) != 0) fail("cannot flush to disk", errno);
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) fail("cannot close", errno);
    if (const auto* fault = fault_before_rename.load()) (*fault)(temporary_);
    if (::rename(temporary_.c_str(), target_.c_str()) != 0) fail("cannot rename the temporary file over it", errno);
    committed_ = true;
    // The rename is in place; syncing the folder makes it durable. A file
    // system that cannot sync a folder (some refuse with EINVAL) has still
    // renamed it: nothing is lost by not reporting that.
    const std::filesystem::path folder = target_.has_parent_path() ? target_.parent_path() : ".";
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes)
{
    AtomicFile file(path);
    file.write(bytes);
    file.commit();
}

InjectFaultBeforeRename::InjectFaultBeforeRename(std::function<void(const std::filesystem::path&)> fault)
    : fault_(std::move(fault))
{
    fault_before_rename.store(&fault_);
}

InjectFaultBeforeRename::~InjectFaultBeforeRename()
{
    fault_before_rename.store(nullptr);
}

} // namespace cs
