// IDX files (MNIST, Fashion-MNIST): plain or gzip-compressed.
//
// Format (all integers big-endian):
//   byte 0, 1   0x00 0x00
//   byte 2      dtype: 0x08 = unsigned byte (the only one read here)
//   byte 3      rank r (1..4 here): 0x01 labels (n,), 0x03 images (n, h, w)
//   r x u32     the dimensions
//   then prod(dims) bytes in C order (last axis fastest).
// So images start 0x00000803 and labels 0x00000801. gzip is recognised by its
// magic bytes 1f 8b, whatever the file is called (byte_source.hpp). The
// header is checked (dtype, rank, a total of at most 2^31 bytes) before
// anything is allocated, and so is its claim against the bytes a plain file
// or buffer really has; a gzip stream's buffer grows as it is inflated. A
// payload shorter or longer than the header says is an error. Every error (running out of memory
// included) is a FormatError whose message starts with the file's name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace cs {

struct IdxArray {
    Shape shape;                     // (n,) for labels, (n, h, w) for images
    std::vector<std::uint8_t> bytes; // shape.elements() values, C order
};

// The largest payload an IDX reader accepts: 2^31 bytes.
inline constexpr std::uint64_t idx_max_bytes = std::uint64_t(1) << 31;

// Called with the shape a header claims (within idx_max_bytes) before any
// data is read or allocated; throws to refuse the file (a data set's limits).
using IdxShapeCheck = std::function<void(const Shape& shape)>;

// Reads an IDX file, plain or gzip.
IdxArray read_idx(const std::filesystem::path& path, const IdxShapeCheck& check = {});
// Reads an IDX file held in memory, plain or gzip; `name` is used in messages.
IdxArray read_idx_bytes(std::span<const std::uint8_t> data, const std::string& name, const IdxShapeCheck& check = {});
// Writes a gzip-compressed IDX file of unsigned bytes (deterministic: no
// time stamp, no file name in the gzip header), whole or not at all
// (atomic_file.hpp): WriteError when it cannot be written.
void write_idx_gz(const std::filesystem::path& path, const Shape& shape, std::span<const std::uint8_t> bytes);

} // namespace cs
