#include "training_history.hpp"

#include "checked_arithmetic.hpp"
#include "errors.hpp"

#include <cstdio>
#include <cstring>
#include <stdexcept>

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

namespace {

NpyArray float_array(const std::vector<float>& values)
{
    Tensor<float> t(Shape{values.size()});
    if (!values.empty()) std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
    return to_npy(t);
}

std::vector<float> read_floats(const NpyArray& a, const std::string& path, const std::string& member)
{
    if ((a.dtype != "f4" && a.dtype != "f8") || a.shape.rank() != 1)
        fail(path, "'" + member + "' must be float32 (steps,), not " + a.dtype + " " + a.shape.str());
    const Tensor<float> t = to_float_tensor(a);
    return std::vector<float>(t.data(), t.data() + t.size());
}

} // namespace

void append_history_members(std::vector<std::pair<std::string, NpyArray>>& out, const TrainingHistory& h,
                            const std::string& prefix)
{
    if (h.loss.size() != h.accuracy.size() || h.loss.steps_per_point() != h.accuracy.steps_per_point())
        throw ShapeError("save_model: the loss and accuracy histories of '" + prefix + "' differ in length");
    if (!h.loss.empty()) {
        out.emplace_back(prefix + "loss", float_array(h.loss.points()));
        out.emplace_back(prefix + "accuracy", float_array(h.accuracy.points()));
        // Written only when needed: a file of a short run stays as before.
        if (h.loss.steps_per_point() > 1) {
            const std::vector<std::int64_t> r{std::int64_t(h.loss.steps_per_point()), std::int64_t(h.loss.steps())};
            out.emplace_back(prefix + "resolution", to_npy(std::span<const std::int64_t>(r)));
        }
    }
    if (!h.evaluations.empty()) out.emplace_back(prefix + "evaluations", evaluations_to_npy(h.evaluations));
}

TrainingHistory read_history_members(const std::function<const NpyArray*(const std::string&)>& find,
                                     const std::string& prefix, const std::string& path)
{
    TrainingHistory h;
    const std::string loss = prefix + "loss", accuracy = prefix + "accuracy", resolution = prefix + "resolution";
    const NpyArray* l = find(loss);
    const NpyArray* a = find(accuracy);
    if (bool(l) != bool(a))
        fail(path, "'" + (l ? accuracy : loss) + "' is missing: the loss and accuracy of a history come together");
    if (l) {
        std::vector<float> losses = read_floats(*l, path, loss), accuracies = read_floats(*a, path, accuracy);
        if (losses.size() != accuracies.size())
            fail(path, "'" + loss + "' has " + std::to_string(losses.size()) + " points but '" + accuracy + "' has " +
                           std::to_string(accuracies.size()));
        std::uint64_t steps_per_point = 1, steps = losses.size();
        if (const NpyArray* r = find(resolution)) {
            if (r->dtype != "i8" || r->shape.rank() != 1 || r->shape[0] != 2)
                fail(path, "'" + resolution + "' must be int64 (2,), not " + r->dtype + " " + r->shape.str());
            const auto v = r->values<std::int64_t>();
            if (v[0] < 1 || v[1] < 0)
                fail(path, "'" + resolution + "' holds " + std::to_string(v[0]) + " and " + std::to_string(v[1]) +
                               "; steps per point and steps cannot be below 1 and 0");
            steps_per_point = std::uint64_t(v[0]);
            steps = std::uint64_t(v[1]);
        }
        try {
            h.loss = StepSeries(std::move(losses), steps_per_point, steps);
            h.accuracy = StepSeries(std::move(accuracies), steps_per_point, steps);
        } catch (const std::invalid_argument& e) {
            fail(path, "'" + resolution + "' does not fit '" + loss + "': " + e.what());
        }
    }
    const std::string evaluations = prefix + "evaluations";
    if (const NpyArray* e = find(evaluations)) h.evaluations = evaluations_from_npy(*e, path, evaluations);
    return h;
}

} // namespace cs
