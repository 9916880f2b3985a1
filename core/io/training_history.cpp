#include "training_history.hpp"

#include "checked_arithmetic.hpp"
#include "errors.hpp"

#include <cstdio>

namespace cs {

NpyArray evaluations_to_npy(const std::vector<EpochRecord>& evaluations)
{
    Tensor<double> t(Shape{evaluations.size(), 6});
    double* x = t.data();
    for (const EpochRecord& e : evaluations) {
        *x++ = double(e.step);
        *x++ = double(e.epoch);
        *x++ = e.train_loss;
        *x++ = e.train_accuracy;
        *x++ = e.test_loss;
        *x++ = e.test_accuracy;
    }
    return to_npy(t);
}

std::vector<EpochRecord> evaluations_from_npy(const NpyArray& a, const std::string& path, const std::string& member)
{
    if (a.dtype != "f8" || a.shape.rank() != 2 || a.shape[1] != 6)
        fail(path, "'" + member + "' must be float64 (n, 6), not " + a.dtype + " " + a.shape.str());
    const auto v = a.values<double>();
    std::vector<EpochRecord> out;
    out.reserve(a.shape[0]);
    for (std::size_t r = 0; r < a.shape[0]; ++r) {
        const double* x = v.data() + r * 6;
        // Step and epoch are counts stored as float64: anything but a whole
        // number in range (NaN, -1, 1e300) is damage, and casting it would
        // be undefined behaviour.
        const auto step = whole_number_as<std::uint64_t>(x[0]);
        const auto epoch = whole_number_as<std::size_t>(x[1]);
        if (!step || !epoch) {
            char values[64];
            std::snprintf(values, sizeof values, "step %.17g and epoch %.17g", x[0], x[1]);
            fail(path, "'" + member + "' row " + std::to_string(r) + " has " + values +
                           "; both must be whole numbers from 0 to 2^64 - 1");
        }
        out.push_back({*step, *epoch, x[2], x[3], x[4], x[5]});
    }
    return out;
}

} // namespace cs
