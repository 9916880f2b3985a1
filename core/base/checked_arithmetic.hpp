// Arithmetic on numbers that come from files: sizes that cannot wrap, and
// float -> integer conversions that are defined for every input.
//
// A product of sizes read from a header wraps silently in size_t, and the
// wrapped (small) value is then allocated and written past: checked_mul and
// checked_add throw SizeOverflow instead. Casting a double that is NaN,
// negative or beyond the range of an integer type is undefined behaviour:
// whole_number_as returns nullopt for those.
#pragma once

#include "errors.hpp"

#include <cmath>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

namespace cs {

// product = a * b when it fits in size_t; false (product unspecified) when not.
[[nodiscard]] inline bool multiply_fits(std::size_t a, std::size_t b, std::size_t& product)
{
    return !__builtin_mul_overflow(a, b, &product);
}

// a * b, or SizeOverflow saying what was being computed.
inline std::size_t checked_mul(std::size_t a, std::size_t b, const char* what)
{
    std::size_t product;
    if (!multiply_fits(a, b, product))
        throw SizeOverflow(std::string(what) + ": " + std::to_string(a) + " x " + std::to_string(b) +
                           " does not fit in 64 bits");
    return product;
}

// a + b, or SizeOverflow saying what was being computed.
inline std::size_t checked_add(std::size_t a, std::size_t b, const char* what)
{
    std::size_t sum;
    if (__builtin_add_overflow(a, b, &sum))
        throw SizeOverflow(std::string(what) + ": " + std::to_string(a) + " + " + std::to_string(b) +
                           " does not fit in 64 bits");
    return sum;
}

// x as an Int when x is a whole number that Int holds exactly; nullopt for
// NaN, infinities, fractions and anything out of Int's range.
template <typename Int>
std::optional<Int> whole_number_as(double x)
{
    static_assert(std::is_integral_v<Int>);
    // Both bounds are powers of two (or 0), so exact as doubles:
    // lowest = 0 or -2^(bits-1), beyond = max + 1 = 2^digits.
    constexpr double lowest = double(std::numeric_limits<Int>::min());
    constexpr double beyond = 2.0 * double(std::numeric_limits<Int>::max() / 2 + 1);
    if (!std::isfinite(x) || std::trunc(x) != x || x < lowest || x >= beyond) return std::nullopt;
    return static_cast<Int>(x);
}

} // namespace cs
