#include "he_normal.hpp"

#include <cmath>

namespace cs {

double HeNormal::standard_normal()
{
    if (has_spare_) {
        has_spare_ = false;
        return spare_;
    }
    // 53-bit uniforms in (0, 1]: log never sees 0.
    const auto uniform = [this] { return (double(rng_() >> 11) + 1.0) * 0x1.0p-53; };
    const double u1 = uniform(), u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * M_PI * u2;
    spare_ = r * std::sin(theta);
    has_spare_ = true;
    return r * std::cos(theta);
}

template <typename T>
void HeNormal::fill(T* w, std::size_t n, std::size_t fan_in)
{
    const double sigma = std::sqrt(2.0 / double(fan_in)) / 0.87962566103423978;
    for (std::size_t i = 0; i < n; ++i) {
        double z;
        do z = standard_normal();
        while (std::abs(z) > 2.0);
        w[i] = T(z * sigma);
    }
}

template void HeNormal::fill<float>(float*, std::size_t, std::size_t);
template void HeNormal::fill<double>(double*, std::size_t, std::size_t);

} // namespace cs
