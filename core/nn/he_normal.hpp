// Keras' he_normal initialiser, reproducible bit for bit from a seed.
//
//   w ~ N(0, sigma^2) truncated at 2 sigma (values beyond are redrawn),
//   sigma = sqrt(2 / fan_in) / 0.87962566103423978,
// the constant being the std of a unit normal truncated at +-2, so that the
// result has std sqrt(2 / fan_in). The normal draws use our own Box-Muller on
// std::mt19937_64 (whose output the standard fixes), not
// std::normal_distribution (whose algorithm it does not).
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>

namespace cs {

class HeNormal {
public:
    explicit HeNormal(std::uint64_t seed) : rng_(seed) {}

    template <typename T>
    void fill(T* w, std::size_t n, std::size_t fan_in);

    double standard_normal();

private:
    std::mt19937_64 rng_;
    double spare_ = 0;
    bool has_spare_ = false;
};

} // namespace cs
