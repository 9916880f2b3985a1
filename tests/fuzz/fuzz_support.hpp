// What the fuzz targets (and their seed generator) share.
//
// The model, session and data-set targets do not take a zip archive from the
// fuzzer: nearly every mutation of one breaks a CRC-32 and stops at libzip.
// They take members instead and zip them themselves, so that mutations reach
// the .npy headers, the architecture and the weights. The input is
//   flags member*          member = separator name '\n' data
// where bit (i % 8) of the flags byte deflates member i (else it is stored).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fuzz {

inline constexpr std::string_view member_separator = "\n--member--\n";

struct Member {
    std::string name;
    std::span<const std::uint8_t> data;
    bool deflate = false;
};

// The members framed in a fuzzer input (views into it).
std::vector<Member> split_members(std::span<const std::uint8_t> input);

// The inverse: a fuzzer input holding these (name, bytes) members.
std::vector<std::uint8_t> join_members(std::uint8_t flags,
                                       const std::vector<std::pair<std::string, std::vector<std::uint8_t>>>& members);

// A zip archive of the members, made by libzip in memory; empty when libzip
// refuses them (two members of one name, an empty name...).
std::vector<std::byte> zip_members(const std::vector<Member>& members);

// The members of a zip archive, read back raw (for turning real model files
// into seeds). Empty if it cannot be read.
std::vector<std::pair<std::string, std::vector<std::uint8_t>>> unzip_members(std::span<const std::byte> zip);

// A file of this process holding `data` (rewritten at every call, removed at
// exit), for readers that only take a path.
std::string scratch_file(std::span<const std::uint8_t> data);
// A second path of this process, for writers (removed at exit).
std::string scratch_output();

} // namespace fuzz
