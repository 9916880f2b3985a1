#include "model_file.hpp"

#include "architecture_json.hpp"
#include "checked_arithmetic.hpp"
#include "npy.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cstring>
#include <map>

namespace cs {

namespace {

// Format 1's architecture: a row of 8 int64 per layer, its kind and enums
// as the integers below (their order was the file format).
const std::vector<std::string> format1_layer_kinds{"conv2d", "max_pooling2d", "average_pooling2d", "flatten",
                                                   "dense"};
constexpr std::size_t format1_columns = 8; // kind, units, kh, kw, sh, sw, padding (0 same), activation

NpyArray int_array(const Shape& shape, const std::vector<std::int64_t>& values)
{
    NpyArray a = to_npy(std::span<const std::int64_t>(values));
    a.shape = shape;
    return a;
}

NpyArray text_array(const std::string& text)
{
    return to_npy(Shape{text.size()}, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

NpyArray float_array(const Shape& shape, const float* values)
{
    Tensor<float> t(shape);
    std::memcpy(t.data(), values, t.size() * sizeof(float));
    return to_npy(t);
}

NpyArray double_array(const Shape& shape, const std::vector<double>& values)
{
    Tensor<double> t(shape, arma::vec(values));
    return to_npy(t);
}

// The members of a model file, each checked on the way out.
class Members {
public:
    Members(std::string path, std::map<std::string, NpyArray> arrays) : path_(std::move(path)), arrays_(std::move(arrays)) {}

    bool has(const std::string& name) const { return arrays_.count(name) != 0; }
    const NpyArray* find(const std::string& name) const
    {
        const auto it = arrays_.find(name);
        return it == arrays_.end() ? nullptr : &it->second;
    }
    const NpyArray& get(const std::string& name) const
    {
        const auto it = arrays_.find(name);
        if (it == arrays_.end()) fail(path_, "no '" + name + "' in the file: not a ConvScope model, or damaged");
        return it->second;
    }
    std::vector<std::int64_t> ints(const std::string& name, std::size_t expected = 0) const
    {
        const NpyArray& a = get(name);
        if (a.dtype != "i8") fail(path_, "'" + name + "' must be int64, not " + a.dtype);
        const auto span = a.values<std::int64_t>();
        std::vector<std::int64_t> v(span.begin(), span.end());
        if (expected && v.size() != expected)
            fail(path_, "'" + name + "' holds " + std::to_string(v.size()) + " values, not " +
                            std::to_string(expected));
        return v;
    }
    std::string text(const std::string& name) const
    {
        const NpyArray& a = get(name);
        if (a.dtype != "u1") fail(path_, "'" + name + "' must be text (uint8)");
        return std::string(reinterpret_cast<const char*>(a.data.data()), a.data.size());
    }
    Tensor<float> floats(const std::string& name) const
    {
        const NpyArray& a = get(name);
        if (a.dtype != "f4" && a.dtype != "f8") fail(path_, "'" + name + "' must be float32, not " + a.dtype);
        return to_float_tensor(a);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::map<std::string, NpyArray> arrays_;
};

// Format 1: `input_shape` int64 (3,) and `architecture` int64 (layers, 8).
// Layers carry Keras' default names (conv2d, conv2d_1...), as the model gives them.
Architecture read_format1_architecture(const Members& m)
{
    Architecture arch;
    const auto in = m.ints("input_shape", 3);
    for (auto d : in)
        if (d < 1 || d > 4096) fail(m.path(), "invalid input shape");
    arch.input = {std::size_t(in[0]), std::size_t(in[1]), std::size_t(in[2])};
    const NpyArray& a = m.get("architecture");
    if (a.shape.rank() != 2 || a.shape[1] != format1_columns)
        fail(m.path(), "'architecture' must be (layers, 8), not " + a.shape.str());
    if (a.shape[0] > model_max_layers)
        fail(m.path(), "'architecture' has " + std::to_string(a.shape[0]) + " layers; a model file may have at most " +
                           std::to_string(model_max_layers));
    const std::vector<std::int64_t> v = m.ints("architecture");
    constexpr Activation format1_activations[] = {Activation::linear, Activation::relu, Activation::tanh,
                                                  Activation::sigmoid};
    for (std::size_t l = 0; l < a.shape[0]; ++l) {
        const std::int64_t* r = v.data() + l * format1_columns;
        const auto in_range = [&](std::int64_t x, std::int64_t hi) { return x >= 0 && x <= hi; };
        if (!in_range(r[0], std::int64_t(format1_layer_kinds.size()) - 1) || !in_range(r[1], 1 << 20) ||
            !in_range(r[2], 1024) || !in_range(r[3], 1024) || !in_range(r[4], 1024) || !in_range(r[5], 1024) ||
            !in_range(r[6], 1) || !in_range(r[7], 3))
            fail(m.path(), "layer " + std::to_string(l) + " of 'architecture' is not a valid layer");
        LayerSpec s;
        s.kind = format1_layer_kinds[std::size_t(r[0])];
        s.units = std::size_t(r[1]);
        s.kernel = {std::size_t(r[2]), std::size_t(r[3])};
        s.stride = {std::size_t(r[4]), std::size_t(r[5])};
        s.padding = r[6] == 0 ? Padding::same : Padding::valid;
        s.activation = format1_activations[r[7]];
        arch.layers.push_back({"", s});
    }
    return arch;
}

// Every parameter the (not yet allocated) model needs is in `m`, as floats
// of the right shape: checked before the model is allocated, so that an
// architecture alone never costs memory.
void check_weights_present(const Members& m, const Sequential<float>& model)
{
    for (const ParameterShape& p : model.parameter_shapes()) {
        const NpyArray& a = m.get(p.name);
        if (a.dtype != "f4" && a.dtype != "f8") fail(m.path(), "'" + p.name + "' must be float32, not " + a.dtype);
        if (!(a.shape == p.shape))
            fail(m.path(), "'" + p.name + "' has shape " + a.shape.str() + " but the architecture needs " +
                               p.shape.str());
    }
}

} // namespace

std::unique_ptr<Sequential<float>> plan_model(const Architecture& arch, const std::string& path)
{
    auto model = std::make_unique<Sequential<float>>(arch.input);
    try {
        check_architecture(arch); // names the layer that does not fit, and why
        for (const NamedLayer& layer : arch.layers) {
            auto l = make_layer<float>(layer.spec);
            l->set_name(layer.name); // empty in format 1: Keras' default then
            model->add(std::move(l));
        }
        model->check_complete();
    } catch (const SizeOverflow& e) {
        fail(path, std::string("the architecture is impossibly large (") + e.what() + ")");
    } catch (const ShapeError& e) {
        fail(path, std::string("the architecture does not fit together: ") + e.what());
    }
    if (model->parameter_count() > model_max_parameters)
        fail(path, "the architecture has " + std::to_string(model->parameter_count()) +
                       " parameters; a model file may have at most " + std::to_string(model_max_parameters));
    if (model->activations_per_sample() > model_max_activations)
        fail(path, "the architecture computes " + std::to_string(model->activations_per_sample()) +
                       " values per sample; a model file may ask for at most " +
                       std::to_string(model_max_activations));
    return model;
}

namespace {

// Copies Keras-named kernels and biases from `m` into the model's layers.
template <typename Source>
void load_weights(const Source& m, Sequential<float>& model)
{
    for (std::size_t i = 0; i < model.layer_count(); ++i) {
        for (auto& [what, tensor] : model.layer_parameters(i)) {
            const std::string name = model.layer(i).name() + "/" + what;
            const Tensor<float> values = m.floats(name);
            if (!(values.shape() == tensor.shape()))
                fail(m.path(), "'" + name + "' has shape " + values.shape().str() + " but the model needs " +
                                   tensor.shape().str());
            tensor.flat() = values.flat();
        }
    }
    if (!model.parameters().is_finite()) fail(m.path(), "the weights contain NaN or infinite values");
}

std::vector<std::pair<std::string, NpyArray>> timeline_members(const ParameterTimeline& timeline)
{
    // Steps first, then each one's parameters: a record may come between
    // the two reads, so take the snapshots by the steps read.
    std::vector<std::int64_t> steps;
    std::vector<ParameterTimeline::Parameters> values;
    for (const std::uint64_t step : timeline.steps())
        if (auto p = timeline.at(step)) {
            steps.push_back(std::int64_t(step));
            values.push_back(std::move(p));
        }
    const std::size_t n = steps.size(), count = timeline.parameter_count();
    NpyArray params;
    params.dtype = "f4";
    params.shape = Shape{n, count};
    params.data.resize(checked_mul(checked_mul(n, count, "timeline"), sizeof(float), "timeline"));
    for (std::size_t i = 0; i < n; ++i)
        std::memcpy(params.data.data() + i * count * sizeof(float), values[i]->memptr(), count * sizeof(float));
    std::vector<std::pair<std::string, NpyArray>> out;
    out.emplace_back("timeline/steps", to_npy(std::span<const std::int64_t>(steps)));
    out.emplace_back("timeline/parameters", std::move(params));
    out.emplace_back("timeline/settings", int_array({2}, {std::int64_t(timeline.budget_bytes()),
                                                          std::int64_t(timeline.dense_steps())}));
    return out;
}

// timeline/*: steps ascending, one row of the model's parameters each, all
// finite; the budget must hold them (a file cannot ask for more than it brings).
std::shared_ptr<ParameterTimeline> read_timeline(const Members& m, std::size_t parameter_count)
{
    const std::string& path = m.path();
    const auto steps = m.ints("timeline/steps");
    const auto settings = m.ints("timeline/settings", 2);
    const NpyArray& values = m.get("timeline/parameters");
    if (values.dtype != "f4" || values.shape.rank() != 2 || values.shape[0] != steps.size() ||
        values.shape[1] != parameter_count)
        fail(path, "'timeline/parameters' must be float32 (" + std::to_string(steps.size()) + ", " +
                       std::to_string(parameter_count) + "): one row of the model's parameters per step of "
                       "'timeline/steps'; it is " + values.dtype + " " + values.shape.str());
    if (steps.empty()) fail(path, "'timeline/steps' is empty");
    for (std::size_t i = 0; i < steps.size(); ++i)
        if (steps[i] < 0 || (i > 0 && steps[i] <= steps[i - 1]))
            fail(path, "'timeline/steps' must be ascending and not negative (step " + std::to_string(steps[i]) +
                           " at " + std::to_string(i) + ")");
    if (settings[0] <= 0 || settings[1] <= 0) fail(path, "'timeline/settings' must be positive");
    const std::size_t bytes = std::max(std::size_t(settings[0]), 2 * steps.size() * parameter_count * sizeof(float));
    std::shared_ptr<ParameterTimeline> timeline;
    try {
        timeline = std::make_shared<ParameterTimeline>(parameter_count, bytes, std::uint64_t(settings[1]));
    } catch (const ShapeError& e) {
        fail(path, std::string("'timeline/settings': ") + e.what());
    }
    const auto floats = values.values<float>();
    arma::Col<float> row(parameter_count, arma::fill::none);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::copy_n(floats.data() + i * parameter_count, parameter_count, row.memptr());
        if (!row.is_finite())
            fail(path, "the timeline's parameters at step " + std::to_string(steps[i]) + " are not all finite");
        timeline->record(std::uint64_t(steps[i]), row);
    }
    // The file's budget, but never below the two steps any timeline holds.
    timeline->set_budget_bytes(std::max(std::size_t(settings[0]), 2 * parameter_count * sizeof(float)));
    return timeline;
}

ModelFile read_model(const Members& m)
{
    const std::string& path = m.path();
    const auto version = m.ints("format_version", 1)[0];
    if (version > model_format_version)
        fail(path, "written by a newer ConvScope (model format " + std::to_string(version) +
                       "); this version reads format " + std::to_string(model_format_version) + " and older");
    if (version < 1) fail(path, "invalid model format version " + std::to_string(version));
    const Architecture arch = version == 1 ? read_format1_architecture(m)
                                           : architecture_from_json(m.text("architecture"), path, model_max_layers);

    ModelFile f;
    f.model = plan_model(arch, path);
    check_weights_present(m, *f.model);
    // Sizes and weights checked: now allocate (no random init, the weights
    // overwrite every parameter).
    f.model->allocate();
    load_weights(m, *f.model);

    TrainingState& s = f.state;
    if (m.has("optimizer/name")) s.optimizer = m.text("optimizer/name");
    if (m.has("training/dataset")) s.dataset = m.text("training/dataset");
    if (m.has("training/learning_rate")) {
        const NpyArray& lr = m.get("training/learning_rate");
        if (lr.dtype != "f8" || lr.items() != 1) fail(path, "'training/learning_rate' must be one float64");
        s.learning_rate = lr.values<double>()[0];
    }
    // The window and the CLI build an optimizer from these: a name or a
    // learning rate that none takes is damage to the file, said as such.
    try {
        check_optimizer_name(s.optimizer);
        check_learning_rate(s.learning_rate);
    } catch (const SettingError& e) {
        fail(path, std::string("its training state is unusable ('optimizer/name', 'training/learning_rate'): ") +
                       e.what());
    }
    if (m.has("training/counters")) {
        const auto c = m.ints("training/counters", 7);
        for (auto v : c)
            if (v < 0) fail(path, "negative training counters");
        if (c[0] < 1 || std::uint64_t(c[0]) > trainer_max_batch_size)
            fail(path, "'training/counters' names a batch size of " + std::to_string(c[0]) + "; it must be 1 to " +
                           std::to_string(trainer_max_batch_size));
        s.batch_size = std::size_t(c[0]);
        s.seed = std::uint64_t(c[1]);
        s.shuffle = c[2] != 0;
        s.steps = std::uint64_t(c[3]);
        s.epoch = std::size_t(c[4]);
        s.position = std::size_t(c[5]);
        s.optimizer_iterations = std::uint64_t(c[6]);
    }
    for (std::size_t i = 0; m.has("optimizer/state_" + std::to_string(i)); ++i) {
        const Tensor<float> t = m.floats("optimizer/state_" + std::to_string(i));
        if (t.size() != f.model->parameter_count())
            fail(path, "optimizer state " + std::to_string(i) + " does not match the model's parameters");
        s.optimizer_state.push_back(t.flat());
    }
    f.history = read_history_members([&m](const std::string& name) { return m.find(name); }, "history/", path);
    if (m.has("runs/index"))
        f.runs = read_session_runs([&m](const std::string& name) { return m.find(name); }, path);
    if (m.has("timeline/steps")) f.timeline = read_timeline(m, f.model->parameter_count());
    return f;
}

// Refuses, from its .npy header and before it is read, an architecture text
// longer than any architecture a model file may hold; the same for a
// session's runs/index. for a session's runs/index.
bool architecture_within_limit(const std::string& key, const NpyArray& header)
{
    check_runs_index_header(key, header);
    if (key == "architecture" && header.dtype == "u1" && header.items() > model_max_architecture_bytes)
        fail(header.name, "an architecture of " + std::to_string(header.items()) + " bytes; a model file's may have at most " +
                              std::to_string(model_max_architecture_bytes));
    return true;
}

} // namespace

void save_model(const std::string& path, const Sequential<float>& model, const TrainingState& state,
                const TrainingHistory& history, const SessionRuns* runs, const ParameterTimeline* timeline)
{
    std::vector<std::pair<std::string, NpyArray>> out;
    out.emplace_back("format_version", int_array({1}, {model_format_version}));
    out.emplace_back("architecture", text_array(architecture_to_json(architecture_of(model))));
    for (const ParameterShape& p : model.parameter_shapes())
        out.emplace_back(p.name, float_array(p.shape, model.parameters().memptr() + p.offset));

    out.emplace_back("optimizer/name", text_array(state.optimizer));
    out.emplace_back("training/dataset", text_array(state.dataset));
    out.emplace_back("training/learning_rate", double_array({1}, {state.learning_rate}));
    out.emplace_back("training/counters",
                     int_array({7}, {std::int64_t(state.batch_size), std::int64_t(state.seed), state.shuffle ? 1 : 0,
                                     std::int64_t(state.steps), std::int64_t(state.epoch),
                                     std::int64_t(state.position), std::int64_t(state.optimizer_iterations)}));
    for (std::size_t i = 0; i < state.optimizer_state.size(); ++i) {
        const auto& s = state.optimizer_state[i];
        out.emplace_back("optimizer/state_" + std::to_string(i), float_array({s.n_elem}, s.memptr()));
    }
    append_history_members(out, history, "history/");
    if (runs)
        for (auto& member : session_runs_members(*runs)) out.push_back(std::move(member));
    if (timeline) {
        if (timeline->parameter_count() != model.parameter_count())
            throw ShapeError("save_model: a timeline of " + std::to_string(timeline->parameter_count()) +
                             " parameters for a model of " + std::to_string(model.parameter_count()));
        for (auto& member : timeline_members(*timeline)) out.push_back(std::move(member));
    }
    write_npz(path, out, /*compress*/ true, {"timeline/parameters"});
}

std::string architecture_text(const Sequential<float>& model)
{
    return architecture_to_json(architecture_of(model));
}

ModelFile load_model(const std::string& path)
{
    return out_of_memory_as_format_error(
        path, [&] { return read_model(Members(path, read_npz(path, architecture_within_limit))); });
}

ModelFile load_model_bytes(std::span<const std::byte> bytes, const std::string& name)
{
    return out_of_memory_as_format_error(name,
                                         [&] { return read_model(Members(name, read_npz_bytes(bytes, name, architecture_within_limit))); });
}

void capture_optimizer(Optimizer<float>& optimizer, TrainingState& state)
{
    state.optimizer = optimizer.name();
    state.learning_rate = optimizer.learning_rate();
    state.optimizer_iterations = optimizer.iterations();
    state.optimizer_state.clear();
    for (auto* s : optimizer.state()) state.optimizer_state.push_back(*s);
}

std::unique_ptr<Optimizer<float>> restore_optimizer(const TrainingState& state, std::size_t parameters)
{
    auto opt = make_optimizer<float>(state.optimizer, state.learning_rate);
    auto slots = opt->state();
    // A file without moments (weights only) starts the optimizer afresh.
    if (state.optimizer_state.size() == slots.size()) {
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (state.optimizer_state[i].n_elem != parameters)
                throw ShapeError("optimizer state does not match the model's " + std::to_string(parameters) +
                                 " parameters");
            *slots[i] = state.optimizer_state[i];
        }
        opt->set_iterations(state.optimizer_iterations);
    }
    return opt;
}

void export_weights_npz(const std::string& path, const Sequential<float>& model)
{
    std::vector<std::pair<std::string, NpyArray>> out;
    for (const ParameterShape& p : model.parameter_shapes())
        out.emplace_back(p.name, float_array(p.shape, model.parameters().memptr() + p.offset));
    write_npz(path, out);
}

void import_weights_npz(const std::string& path, Sequential<float>& model)
{
    out_of_memory_as_format_error(path, [&] {
        const Members m(path, read_npz(path));
        check_weights_present(m, model);
        // Load into a copy first: values that are not finite leave the model as it was.
        const arma::fvec before = model.parameters();
        try {
            load_weights(m, model);
        } catch (...) {
            model.set_parameters(before);
            throw;
        }
    });
}

} // namespace cs
