// .npy files: whatever read_npy reads must convert (floats, labels) without
// undefined behaviour, and write back (npy_bytes) to a file that reads as the
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
    const auto array = read([&] { return cs::read_npy(fuzz::scratch_file({data, size})); });
    if (!array) return 0;

    const cs::NpyArray& a = *array;
    const std::vector<std::byte> image = cs::npy_bytes(a);
    const auto back = cs::read_npy(fuzz::scratch_file({reinterpret_cast<const std::uint8_t*>(image.data()), image.size()}));
    if (!same(a, back)) std::abort();
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
