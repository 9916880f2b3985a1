#include "fuzz_support.hpp"

#include <zip.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

namespace fuzz {

std::vector<Member> split_members(std::span<const std::uint8_t> input)
{
    std::vector<Member> members;
    if (input.empty()) return members;
    const std::uint8_t flags = input[0];
    const std::string_view body(reinterpret_cast<const char*>(input.data()) + 1, input.size() - 1);
    std::size_t at = body.find(member_separator);
    while (at != std::string_view::npos) {
        const std::size_t start = at + member_separator.size();
        const std::size_t next = body.find(member_separator, start);
        const std::string_view part = body.substr(start, next == std::string_view::npos ? body.npos : next - start);
        const std::size_t newline = part.find('\n');
        Member m;
        m.name = std::string(part.substr(0, newline));
        if (newline != std::string_view::npos)
            m.data = input.subspan(1 + start + newline + 1, part.size() - newline - 1);
        m.deflate = (flags >> (members.size() % 8)) & 1;
        members.push_back(std::move(m));
        at = next;
    }
    return members;
}

std::vector<std::uint8_t> join_members(std::uint8_t flags,
                                       const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& members)
{
    std::vector<std::uint8_t> out{flags};
    for (const auto& [name, data] : members) {
        out.insert(out.end(), member_separator.begin(), member_separator.end());
        out.insert(out.end(), name.begin(), name.end());
        out.push_back('\n');
        out.insert(out.end(), data.begin(), data.end());
    }
    return out;
}

std::vector<std::byte> zip_members(const std::vector<Member>& members)
{
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_error_fini(&error);
    if (!buffer) return {};
    // The archive writes into `buffer`; keep it alive after zip_close to read it.
    zip_source_keep(buffer);
    std::unique_ptr<zip_source_t, void (*)(zip_source_t*)> buffer_guard(buffer, zip_source_free);
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, nullptr);
    if (!archive) return {};
    for (const Member& m : members) {
        zip_source_t* src = zip_source_buffer(archive, m.data.data(), m.data.size(), 0);
        const zip_int64_t index = src ? zip_file_add(archive, m.name.c_str(), src, 0) : -1;
        if (index < 0) {
            if (src) zip_source_free(src);
            zip_discard(archive);
            return {};
        }
        zip_set_file_compression(archive, zip_uint64_t(index), m.deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        return {};
    }
    std::vector<std::byte> out;
    zip_stat_t st;
    if (zip_source_stat(buffer, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || zip_source_open(buffer) != 0) return {};
    out.resize(st.size);
    const zip_int64_t got = out.empty() ? 0 : zip_source_read(buffer, out.data(), out.size());
    zip_source_close(buffer);
    if (got != zip_int64_t(out.size())) return {};
    return out;
}

std::vector<std::pair<std::string, std::vector<std::uint8_t>>> unzip_members(std::span<const std::byte> zip)
{
    std::vector<std::pair<std::string, std::vector<std::uint8_t>>> members;
    zip_source_t* src = zip_source_buffer_create(zip.data(), zip.size(), 0, nullptr);
    if (!src) return {};
    zip_t* archive = zip_open_from_source(src, ZIP_RDONLY, nullptr);
    if (!archive) {
        zip_source_free(src);
        return {};
    }
    for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
        zip_stat_t st;
        zip_file_t* f = zip_stat_index(archive, zip_uint64_t(i), 0, &st) == 0 ? zip_fopen_index(archive, zip_uint64_t(i), 0)
                                                                             : nullptr;
        if (!f) continue;
        std::vector<std::uint8_t> data(st.size);
        if (zip_fread(f, data.data(), data.size()) == zip_int64_t(data.size())) members.emplace_back(st.name, data);
        zip_fclose(f);
    }
    zip_discard(archive);
    return members;
}

namespace {

// In memory (/dev/shm) where there is one: a file rewritten thousands of
// times a second on a disk file system is flushed at every close (ext4's
// auto_da_alloc), which made the file-reading targets ten times slower.
// Per process: fuzzers may run side by side.
std::string scratch_path(const char* role)
{
    std::error_code ec;
    const std::filesystem::path dir =
        std::filesystem::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0
            ? std::filesystem::path("/dev/shm")
            : std::filesystem::temp_directory_path();
    return (dir / ("convscope-fuzz-" + std::to_string(getpid()) + "-" + role)).string();
}

void remove_scratch_files()
{
    std::error_code ec;
    for (const char* role : {"input", "output"}) std::filesystem::remove(scratch_path(role), ec);
}

void remove_at_exit()
{
    static const bool registered = std::atexit(remove_scratch_files) == 0;
    (void)registered;
}

} // namespace

std::string scratch_output()
{
    remove_at_exit();
    return scratch_path("output");
}

std::string scratch_file(std::span<const std::uint8_t> data)
{
    remove_at_exit();
    const std::string path = scratch_path("input");
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!data.empty() && std::fwrite(data.data(), 1, data.size(), f) != data.size()) std::abort();
    std::fclose(f);
    return path;
}

} // namespace fuzz
