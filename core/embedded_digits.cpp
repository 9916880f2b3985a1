#include "embedded_digits.hpp"

// Defined in embedded_digits.S.
extern "C" {
extern const std::uint8_t cs_digits_train_images_begin[], cs_digits_train_images_end[];
extern const std::uint8_t cs_digits_train_labels_begin[], cs_digits_train_labels_end[];
extern const std::uint8_t cs_digits_test_images_begin[], cs_digits_test_images_end[];
extern const std::uint8_t cs_digits_test_labels_begin[], cs_digits_test_labels_end[];
}

namespace cs {

EmbeddedDigits embedded_digits()
{
    auto blob = [](const std::uint8_t* begin, const std::uint8_t* end) {
        return std::span<const std::uint8_t>(begin, std::size_t(end - begin));
    };
    return {blob(cs_digits_train_images_begin, cs_digits_train_images_end),
            blob(cs_digits_train_labels_begin, cs_digits_train_labels_end),
            blob(cs_digits_test_images_begin, cs_digits_test_images_end),
            blob(cs_digits_test_labels_begin, cs_digits_test_labels_end)};
}

} // namespace cs
