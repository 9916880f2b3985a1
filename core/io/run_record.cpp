#include "run_record.hpp"

#include "errors.hpp"

#include <nlohmann/json.hpp>


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
        append_history_members(out, r.history, member_name(i, ""));
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
        r.history = read_history_members(find, member_name(i, ""), path);
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
