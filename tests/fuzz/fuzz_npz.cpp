// .npz archives as the fuzzer makes them (zip directory, local headers,
// declared sizes, deflate streams): read_npz_bytes and read_npz must agree,
// and never allocate what a header merely claims.
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "npy.hpp"

#include <cstdlib>
#include <optional>

namespace {

using Arrays = std::map<std::string, cs::NpyArray>;

std::optional<Arrays> read(auto&& reader)
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
    const std::span<const std::uint8_t> input(data, size);
    const auto in_memory = read([&] { return cs::read_npz_bytes(std::as_bytes(input), "fuzz input"); });
    const auto from_file = read([&] { return cs::read_npz(fuzz::scratch_file(input)); });
    if (in_memory.has_value() != from_file.has_value()) std::abort();
    if (!in_memory) return 0;
    if (in_memory->size() != from_file->size()) std::abort();
    for (const auto& [name, a] : *in_memory) {
        const auto it = from_file->find(name);
        if (it == from_file->end() || !(it->second.shape == a.shape) || it->second.data != a.data) std::abort();
        try {
            (void)cs::to_float_tensor(a);
            (void)cs::to_labels(a);
        } catch (const cs::FormatError&) {
        } catch (const cs::ShapeError&) {
        }
    }
    return 0;
}
