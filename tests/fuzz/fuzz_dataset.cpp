// Data sets from an .npz: the fuzzer's members (X_train, Y_train, X_test,
// Y_test...), zipped here (see fuzz_support.hpp), read by
// load_npz_dataset_bytes. What loads must be a consistent data set, within
// the limits of dataset.hpp, its pixels finite.
#include "fuzz_support.hpp"

#include "dataset.hpp"
#include "errors.hpp"

#include <cstdlib>

namespace {

void check_split(const cs::Tensor<float>& images, const std::vector<std::uint8_t>& labels, std::size_t classes)
{
    if (images.rank() != 4 || images.dim(0) == 0 || images.dim(0) != labels.size()) std::abort();
    if (images.size() / images.dim(0) > cs::dataset_max_image_values || !images.flat().is_finite()) std::abort();
    for (std::uint8_t y : labels)
        if (y >= classes) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::vector<std::byte> zip = fuzz::zip_members(fuzz::split_members({data, size}));
    if (zip.empty()) return -1;
    cs::Dataset d;
    try {
        d = cs::load_npz_dataset_bytes(zip, "fuzz data set");
    } catch (const cs::FormatError&) {
        return 0;
    }
    if (d.classes() < 2 || d.classes() > 256) std::abort();
    check_split(d.train_images, d.train_labels, d.classes());
    check_split(d.test_images, d.test_labels, d.classes());
    if (d.train_images.size() + d.test_images.size() > cs::dataset_max_values) std::abort();
    for (std::size_t axis = 1; axis < 4; ++axis)
        if (d.train_images.dim(axis) != d.test_images.dim(axis)) std::abort();
    return 0;
}
