// A file written whole or not at all, as Qt's QSaveFile: the bytes go to a
// new temporary file beside the target ("<target>.tmp-XXXXXX", in the same
// folder so that the rename cannot cross file systems), which commit()
// flushes to disk (fsync) and renames over the target (atomic in POSIX).
// Until then the target is untouched: a full disk, a refused folder or a
// crash leaves whatever it held before, and every failure short of a crash
// removes the temporary file too. Readers of the target see the old file or
// the new one, never a part.
//
// Every failure is a WriteError that names the target and the system's
// reason ("No space left on device", "Permission denied"...).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <span>

namespace cs {

class AtomicFile {
public:
    // Creates the temporary file; WriteError if the folder refuses it.
    explicit AtomicFile(std::filesystem::path target);
    // Without a commit() (an exception on the way), removes the temporary
    // file and leaves the target as it was.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(std::span<const std::byte> bytes);
    // Syncs the temporary file to disk, renames it over the target and syncs
    // the folder (so that the rename, too, survives a power cut).
    void commit();

    const std::filesystem::path& target() const { return target_; }
    const std::filesystem::path& temporary() const { return temporary_; }

private:
    [[noreturn]] void fail(const std::string& doing, int error);

    std::filesystem::path target_, temporary_;
    int fd_ = -1;
    bool committed_ = false;
};

// `bytes` as the whole new content of `path`, through an AtomicFile.
void write_file_atomically(const std::filesystem::path& path, std::span<const std::byte> bytes);

// Fault injection, for tests only. While an InjectFaultBeforeRename is
// alive, every AtomicFile::commit() calls `fault(temporary)` when the
// temporary file is complete and synced, just before the rename: what it
// throws fails the save at its last moment, as a failed rename would. One
// at a time; no program sets it.
class InjectFaultBeforeRename {
public:
    explicit InjectFaultBeforeRename(std::function<void(const std::filesystem::path& temporary)> fault);
    ~InjectFaultBeforeRename();
    InjectFaultBeforeRename(const InjectFaultBeforeRename&) = delete;
    InjectFaultBeforeRename& operator=(const InjectFaultBeforeRename&) = delete;

private:
    std::function<void(const std::filesystem::path&)> fault_;
};

} // namespace cs
