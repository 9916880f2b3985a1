#include "run_record.hpp"

#include "errors.hpp"

#include <nlohmann/json.hpp>

#include <cstring>

namespace cs {

namespace {

using Json = nlohmann::ordered_json;

const std::string index_member = "runs/index";

std::string member_name(std::size_t run, const char* what)
{
    return "runs/" + std::to_string(run) + "/" + what;
}

NpyArray text_array(const std::string& text)
{
    return to_npy(Shape{text.size()}, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

NpyArray float_array(const std::vector<float>& values)
{
    Tensor<float> t(Shape{values.size()});
    if (!values.empty()) std::memcpy(t.data(), values.data(), values.size() * sizeof(float));
    return to_npy(t);
}

// JSON has no NaN: an accuracy that was never measured is null.
Json number_or_null(double x)
{
    return std::isfinite(x) ? Json(x) : Json(nullptr);
}

// The checks of one JSON object read from runs/index; `where` says which
// ("run 3", "current") in messages.
class Fields {
public:
    Fields(const Json& object, std::string path, std::string where)
        : object_(object), path_(std::move(path)), where_(std::move(where))
    {
        if (!object_.is_object()) bad("is not a JSON object");
    }

    std::string text(const char* key, std::size_t max_bytes = runs_max_text_bytes) const
    {
        const Json& v = get(key);
        if (!v.is_string()) bad_field(key, "must be a string");
        const std::string& s = v.get_ref<const std::string&>();
        if (s.size() > max_bytes)
            bad_field(key, "has " + std::to_string(s.size()) + " bytes; at most " +
                std::to_string(max_bytes) + " are allowed");
        return s;
    }
    std::uint64_t count(const char* key) const
    {
        const Json& v = get(key);
        if (!v.is_number_unsigned()) bad_field(key, "must be a whole number from 0 to 2^64 - 1");
        return v.get<std::uint64_t>();
    }
    // A finite number, at least `lowest`.
    double number(const char* key, double lowest) const
    {
        const Json& v = get(key);
        if (!v.is_number()) bad_field(key, "must be a number");
        const double x = v.get<double>();
        if (!std::isfinite(x) || x < lowest) bad_field(key, "is out of range");
        return x;
    }
    // An accuracy: a number from 0 to 1, or null (never measured).
    double accuracy(const char* key) const
    {
        const Json& v = get(key);
        if (v.is_null()) return NAN;
        if (!v.is_number()) bad_field(key, "must be a number or null");
        const double x = v.get<double>();
        if (!(x >= 0 && x <= 1)) bad_field(key, "must be from 0 to 1");
        return x;
    }

    // "'key' problem", built by appending (GCC 12 warns, wrongly, about
    // memcpy overlaps in a chain of string + on a const char*).
    [[noreturn]] void bad_field(const char* key, const std::string& problem) const
    {
        std::string message = "'";
        message += key;
        message += "' ";
        message += problem;
        bad(message);
    }

    [[noreturn]] void bad(const std::string& problem) const
    {
        fail(path_, "'" + index_member + "' " + where_ + ": " + problem);
    }

private:
    const Json& get(const char* key) const
    {
        const auto it = object_.find(key);
        if (it == object_.end()) {
            std::string message = "has no '";
            message += key;
            message += "'";
            bad(message);
        }
        return *it;
    }

    const Json& object_;
    std::string path_, where_;
};

std::vector<float> read_floats(const NpyArray& a, const std::string& path, const std::string& member)
{
    if ((a.dtype != "f4" && a.dtype != "f8") || a.shape.rank() != 1)
        fail(path, "'" + member + "' must be float32 (steps,), not " + a.dtype + " " + a.shape.str());
    const Tensor<float> t = to_float_tensor(a);
    return std::vector<float>(t.data(), t.data() + t.size());
}

TrainingHistory read_history(const std::function<const NpyArray*(const std::string&)>& find, std::size_t run,
                             const std::string& path)
{
    TrainingHistory h;
    const std::string loss = member_name(run, "loss"), accuracy = member_name(run, "accuracy");
    const NpyArray* l = find(loss);
    const NpyArray* a = find(accuracy);
    if (bool(l) != bool(a))
        fail(path, "'" + (l ? accuracy : loss) + "' is missing: a run's loss and accuracy come together");
    if (l) {
        h.loss = read_floats(*l, path, loss);
        h.accuracy = read_floats(*a, path, accuracy);
        if (h.loss.size() != h.accuracy.size())
            fail(path, "'" + loss + "' has " + std::to_string(h.loss.size()) + " steps but '" + accuracy + "' has " +
                           std::to_string(h.accuracy.size()));
    }
    const std::string evaluations = member_name(run, "evaluations");
    if (const NpyArray* e = find(evaluations)) h.evaluations = evaluations_from_npy(*e, path, evaluations);
    return h;
}

} // namespace

std::vector<std::pair<std::string, NpyArray>> session_runs_members(const SessionRuns& runs)
{
    Json index;
    index["current"] = {{"name", runs.current_name},
                        {"started_at", runs.current_started_at},
                        {"seconds", runs.current_seconds}};
    Json list = Json::array();
    std::vector<std::pair<std::string, NpyArray>> out;
    for (std::size_t i = 0; i < runs.earlier.size(); ++i) {
        const RunRecord& r = runs.earlier[i];
        list.push_back({{"name", r.name},
                        {"started_at", r.started_at},
                        {"seconds", r.seconds},
                        {"architecture", r.architecture},
                        {"optimizer", r.optimizer},
                        {"learning_rate", r.learning_rate},
                        {"batch_size", r.batch_size},
                        {"seed", r.seed},
                        {"dataset", r.dataset},
                        {"steps", r.steps},
                        {"train_accuracy", number_or_null(r.train_accuracy)},
                        {"test_accuracy", number_or_null(r.test_accuracy)}});
        const TrainingHistory& h = r.history;
        if (h.loss.size() != h.accuracy.size())
            throw ShapeError("save_model: run " + std::to_string(i) + "'s loss and accuracy histories differ in length");
        if (!h.loss.empty()) {
            out.emplace_back(member_name(i, "loss"), float_array(h.loss));
            out.emplace_back(member_name(i, "accuracy"), float_array(h.accuracy));
        }
        if (!h.evaluations.empty()) out.emplace_back(member_name(i, "evaluations"), evaluations_to_npy(h.evaluations));
    }
    index["runs"] = std::move(list);
    // Names typed by a person may hold anything: invalid UTF-8 is replaced, not refused.
    const std::string text = index.dump(-1, ' ', false, Json::error_handler_t::replace);
    out.emplace(out.begin(), index_member, text_array(text));
    return out;
}

SessionRuns read_session_runs(const std::function<const NpyArray*(const std::string&)>& find, const std::string& path)
{
    const NpyArray* index_array = find(index_member);
    if (!index_array) fail(path, "no '" + index_member + "' in the file");
    check_runs_index_header(index_member, *index_array);
    const std::string text(reinterpret_cast<const char*>(index_array->data.data()), index_array->data.size());
    const Json index = Json::parse(text, nullptr, /*allow_exceptions*/ false);
    if (index.is_discarded()) fail(path, "'" + index_member + "' is not valid JSON text");

    SessionRuns runs;
    const Fields top(index, path, "(the whole text)");
    if (index.contains("current")) {
        const Fields current(index["current"], path, "'current'");
        runs.current_name = current.text("name");
        runs.current_started_at = current.text("started_at");
        runs.current_seconds = current.number("seconds", 0);
    }
    if (!index.contains("runs") || !index["runs"].is_array()) top.bad("has no list 'runs'");
    const Json& list = index["runs"];
    if (list.size() > runs_max_count)
        top.bad("lists " + std::to_string(list.size()) + " runs; a session may hold at most " +
                std::to_string(runs_max_count));
    for (std::size_t i = 0; i < list.size(); ++i) {
        const Fields f(list[i], path, "run " + std::to_string(i));
        RunRecord r;
        r.name = f.text("name");
        r.started_at = f.text("started_at");
        r.seconds = f.number("seconds", 0);
        r.architecture = f.text("architecture", runs_max_architecture_bytes);
        r.optimizer = f.text("optimizer");
        r.learning_rate = f.number("learning_rate", 0);
        const std::uint64_t batch = f.count("batch_size");
        if (batch < 1) f.bad("'batch_size' must be at least 1");
        r.batch_size = std::size_t(batch);
        r.seed = f.count("seed");
        r.dataset = f.text("dataset");
        r.steps = f.count("steps");
        r.train_accuracy = f.accuracy("train_accuracy");
        r.test_accuracy = f.accuracy("test_accuracy");
        r.history = read_history(find, i, path);
        runs.earlier.push_back(std::move(r));
    }
    return runs;
}

void check_runs_index_header(const std::string& key, const NpyArray& header)
{
    if (key != index_member) return;
    if (header.dtype != "u1" || header.shape.rank() != 1)
        fail(header.name, "'" + index_member + "' must be text (uint8), not " + header.dtype + " " + header.shape.str());
    if (header.items() > runs_max_index_bytes)
        fail(header.name, "'" + index_member + "' has " + std::to_string(header.items()) +
                              " bytes; a session's may have at most " + std::to_string(runs_max_index_bytes));
}

} // namespace cs
