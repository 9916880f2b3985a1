// .npy files: read_npy_bytes and read_npy must agree; whatever reads must
// convert (floats, labels) without undefined behaviour and write back to the
// same array.
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "npy.hpp"

#include <cstdlib>
#include <optional>

namespace {

std::optional<cs::NpyArray> read(auto&& reader)
{
    try {
        return reader();
    } catch (const cs::FormatError&) {
        return std::nullopt;
    }
}

bool same(const cs::NpyArray& a, const cs::NpyArray& b)
{
    return a.shape == b.shape && a.dtype == b.dtype && a.data == b.data;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::uint8_t> input(data, size);
    const auto bytes = std::as_bytes(input);
    const auto in_memory = read([&] { return cs::read_npy_bytes(bytes, "fuzz input"); });
    const auto from_file = read([&] { return cs::read_npy(fuzz::scratch_file(input)); });
    if (in_memory.has_value() != from_file.has_value()) std::abort();
    if (!in_memory) return 0;
    if (!same(*in_memory, *from_file)) std::abort();

    const cs::NpyArray& a = *in_memory;
    const std::vector<std::byte> image = cs::npy_bytes(a);
    if (!same(a, cs::read_npy_bytes(image, "written back"))) std::abort();
    try {
        (void)cs::to_float_tensor(a);
        (void)cs::to_double_tensor(a);
    } catch (const cs::FormatError&) {
    } catch (const cs::ShapeError&) {
    }
    try {
        (void)cs::to_labels(a);
    } catch (const cs::FormatError&) {
    }
    return 0;
}
