// IDX files, plain and gzip: read_idx_bytes from memory and read_idx from a
// file must agree on every input (the same array, or both a FormatError).
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "idx.hpp"

#include <cstdlib>
#include <optional>

namespace {

std::optional<cs::IdxArray> read(auto&& reader)
{
    try {
        return reader();
    } catch (const cs::FormatError&) {
        return std::nullopt;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> bytes(data, size);
    const auto in_memory = read([&] { return cs::read_idx_bytes(bytes, "fuzz input"); });
    const auto from_file = read([&] { return cs::read_idx(fuzz::scratch_file(bytes)); });
    if (in_memory.has_value() != from_file.has_value()) std::abort();
    if (!in_memory) return 0;
    if (!(in_memory->shape == from_file->shape) || in_memory->bytes != from_file->bytes) std::abort();
    if (in_memory->bytes.size() != in_memory->shape.elements()) std::abort();
    return 0;
}
