// NumPy .npy and .npz files.
//
// .npy (format 1.0, 2.0 and 3.0):
//   "\x93NUMPY", major (1..3), minor (0),
//   header length: u16 little-endian (1.0) or u32 (2.0, 3.0),
//   header: a Python dict literal, e.g.
//     {'descr': '<f4', 'fortran_order': False, 'shape': (60000, 28, 28), }
//   padded with spaces and ended by '\n' (NumPy pads the whole preamble to a
//   multiple of 64 bytes), then the data: prod(shape) items in C order.
// Read here: little-endian (or 1-byte) f4, f8, u1, i1, i2, i4, i8, u2, u4,
// u8, b1; rank 0..4; C order only. Everything else (big-endian, complex,
// structured dtypes, fortran_order True, rank > 4) is a FormatError, as is a
// damaged file: bad magic, a header that runs past the end of the file, a dict
// that does not parse, a shape whose size overflows, data shorter or longer
// than the shape says. Sizes are checked against the file before allocating.
//
// .npz: a zip archive (stored or deflated) of .npy members; a member
// "X_train.npy" is the array "X_train", as numpy.load names it. A member's
// directory entry is a claim: its compressed size must fit in the archive,
// its uncompressed size within deflate's 1032:1, and a deflated member's
// buffer grows as it inflates, so that a lie costs no more than the truth.
// Other compression methods and encrypted members are refused.
//
// Files are read through byte_source.hpp and written whole or not at all
// (atomic_file.hpp: WriteError when they cannot be).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "tensor.hpp"

namespace cs {

struct NpyArray {
    Shape shape;                 // rank 0 (a scalar: one item) to 4
    std::string dtype;           // kind and item size without byte order: "f4", "u1", "b1", "i8"...
    std::vector<std::byte> data; // items() * item_size() bytes, C order, little-endian
    std::string name;            // where it came from, for messages ("x.npz:X_train")

    // Number of items: the product of the shape, 1 for rank 0.
    std::size_t items() const;
    std::size_t item_size() const;
    // A typed view of the data; throws FormatError if T does not match dtype.
    template <typename T>
    std::span<const T> values() const;
};

// The largest array a reader accepts: 2^34 bytes (16 GiB).
inline constexpr std::uint64_t npy_max_bytes = std::uint64_t(1) << 34;

NpyArray read_npy(const std::filesystem::path& path);
// The .npy file image of an array (format 1.0, or 2.0 when the header needs it).
std::vector<std::byte> npy_bytes(const NpyArray& array);

void write_npy(const std::filesystem::path& path, const NpyArray& array);
void write_npy(const std::filesystem::path& path, const Tensor<float>& tensor);  // '<f4'
void write_npy(const std::filesystem::path& path, const Tensor<double>& tensor); // '<f8'

// Decides on an .npz member from its header alone, before any of its data is
// read or allocated: called with its key (the name without ".npy") and the
// array with name, dtype and shape set and no data. Returns whether to read
// the member (a member it skips is left out of the result, and its data is
// never inflated); throws to refuse the whole file.
using NpzMemberFilter = std::function<bool(const std::string& key, const NpyArray& header)>;

// Every member (or every one that `filter` keeps), keyed by its name without
// ".npy". Running out of memory is a FormatError naming the file, as is every
// other problem.
std::map<std::string, NpyArray> read_npz(const std::filesystem::path& path, const NpzMemberFilter& filter = {});
// An .npz image held in memory (read in place, not copied); `name` is used in messages.
std::map<std::string, NpyArray> read_npz_bytes(std::span<const std::byte> bytes, const std::string& name,
                                               const NpzMemberFilter& filter = {});
// Members are named name + ".npy" (unless the name already ends so). Stored
// uncompressed like numpy.savez, or deflated like numpy.savez_compressed;
// `stored` names members left uncompressed either way (data that deflate
// would only slow down, such as many float32 weights).
void write_npz(const std::filesystem::path& path, const std::vector<std::pair<std::string, NpyArray>>& arrays,
               bool compress = false, const std::set<std::string>& stored = {});

// Arrays made from tensors and vectors (a rank-0 tensor becomes shape (0,)).
NpyArray to_npy(const Tensor<float>& tensor);
NpyArray to_npy(const Tensor<double>& tensor);
NpyArray to_npy(const Shape& shape, std::span<const std::uint8_t> values); // u1
NpyArray to_npy(std::span<const std::int64_t> values);                     // i8, shape (n,)

// Any numeric dtype converted to float / double, same shape (a rank-0 scalar
// becomes shape (1,)).
Tensor<float> to_float_tensor(const NpyArray& array);
Tensor<double> to_double_tensor(const NpyArray& array);
// Class labels: integer (n,) as they are (float (n,) if every value is a
// whole number), or one-hot / scores (n, k) reduced to the index of each
// row's first maximum.
std::vector<std::int64_t> to_labels(const NpyArray& array);

} // namespace cs
