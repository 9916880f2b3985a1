#include "architecture_json.hpp"

#include "errors.hpp"
#include "ops_types.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <optional>
#include <set>

namespace cs {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t max_units = std::size_t(1) << 20; // filters of a Conv2D, units of a Dense
constexpr std::size_t max_window = 1024;               // kernel and pool sizes, strides
constexpr std::size_t max_input_side = 4096;           // h, w and c of the input
constexpr std::size_t max_padding = 1024;              // ZeroPadding2D, each side
constexpr std::size_t max_name_length = 255;
// Keras nests a layer's settings four levels deep (model, config, layers,
// layer, config, then a list or an initialiser's config): anything deeper
// is not an architecture, and is refused before it is built.
constexpr int max_depth = 8;

Json pair(std::size_t a, std::size_t b) { return Json::array({a, b}); }

bool is_pooling(const std::string& kind) { return kind == "max_pooling2d" || kind == "average_pooling2d"; }

Json layer_json(const NamedLayer& layer)
{
    const LayerSpec& s = layer.spec;
    const std::string class_name = keras_class_name(s.kind); // ShapeError for an unknown kind
    Json config = {{"name", layer.name}};
    if (s.kind == "conv2d") {
        config["filters"] = s.units;
        config["kernel_size"] = pair(s.kernel.h, s.kernel.w);
        config["strides"] = pair(s.stride.h, s.stride.w);
        config["padding"] = to_string(s.padding);
        config["activation"] = to_string(s.activation);
        config["use_bias"] = s.use_bias;
    } else if (is_pooling(s.kind)) {
        config["pool_size"] = pair(s.kernel.h, s.kernel.w);
        config["strides"] = pair(s.stride.h, s.stride.w);
        config["padding"] = "valid";
    } else if (s.kind == "dense") {
        config["units"] = s.units;
        config["activation"] = to_string(s.activation);
        config["use_bias"] = s.use_bias;
    } else if (s.kind == "dropout") {
        config["rate"] = s.rate;
    } else if (s.kind == "activation") {
        config["activation"] = to_string(s.activation);
    } else if (s.kind == "rescaling") {
        config["scale"] = s.scale;
        config["offset"] = s.offset;
    } else if (s.kind == "zero_padding2d") {
        config["padding"] = Json::array({pair(s.margins.top, s.margins.bottom), pair(s.margins.left, s.margins.right)});
    }
    return {{"class_name", class_name}, {"config", std::move(config)}};
}

// 'key', built in place: GCC 12 warns falsely (-Wrestrict) on
// "'" + std::string(key) once inlined.
std::string quoted(const char* key)
{
    std::string s(1, '\'');
    s += key;
    s += '\'';
    return s;
}

// Reads one layer's config, every message naming the file and the layer.
class LayerReader {
public:
    LayerReader(const Json& config, std::string where) : config_(config), where_(std::move(where)) {}

    [[noreturn]] void bad(const std::string& problem) const { fail(where_, problem); }

    const Json& field(const char* key) const
    {
        const auto it = config_.find(key);
        if (it == config_.end()) bad("no " + quoted(key));
        return *it;
    }
    std::string text(const char* key) const
    {
        const Json& v = field(key);
        if (!v.is_string()) bad(quoted(key) + " must be a string, not " + v.dump());
        return v.get<std::string>();
    }
    std::size_t count(const char* key, std::size_t hi) const
    {
        const auto n = whole_number(field(key), hi);
        if (!n) bad(quoted(key) + " must be a whole number from 1 to " + std::to_string(hi) + ", not " +
                    field(key).dump());
        return *n;
    }
    // [a, b], each from 1 to `hi`.
    std::array<std::size_t, 2> pair(const char* key, std::size_t hi) const
    {
        const Json& v = field(key);
        std::optional<std::size_t> a, b;
        if (v.is_array() && v.size() == 2) {
            a = whole_number(v[0], hi);
            b = whole_number(v[1], hi);
        }
        if (!a || !b)
            bad(quoted(key) + " must be two whole numbers from 1 to " + std::to_string(hi) + ", not " +
                v.dump());
        return {*a, *b};
    }
    // A number from lo to hi (hi excluded when `below_hi`).
    double real(const char* key, double lo, double hi, bool below_hi) const
    {
        const Json& v = field(key);
        const double x = v.is_number() ? v.get<double>() : 0;
        if (!v.is_number() || !(x >= lo) || (below_hi ? !(x < hi) : !(x <= hi)))
            bad(quoted(key) + " must be a number from " + std::to_string(lo) + (below_hi ? " to below " : " to ") +
                std::to_string(hi) + ", not " + v.dump());
        return x;
    }
    // Keras' default when absent.
    bool flag(const char* key, bool keras_default) const
    {
        const auto it = config_.find(key);
        if (it == config_.end()) return keras_default;
        if (!it->is_boolean()) bad(quoted(key) + " must be true or false, not " + it->dump());
        return it->get<bool>();
    }
    // ZeroPadding2D's padding: n, [h, w] or [[top, bottom], [left, right]].
    Margins margins() const
    {
        const Json& v = field("padding");
        const auto side = [&](const Json& x) { return whole_number(x, max_padding, 0); };
        std::optional<std::size_t> t, b, l, r;
        if (v.is_number()) {
            t = b = l = r = side(v);
        } else if (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()) {
            t = b = side(v[0]);
            l = r = side(v[1]);
        } else if (v.is_array() && v.size() == 2 && v[0].is_array() && v[1].is_array() && v[0].size() == 2 &&
                   v[1].size() == 2) {
            t = side(v[0][0]);
            b = side(v[0][1]);
            l = side(v[1][0]);
            r = side(v[1][1]);
        }
        if (!t || !b || !l || !r)
            bad("'padding' must be n, [h, w] or [[top, bottom], [left, right]] with each from 0 to " +
                std::to_string(max_padding) + ", not " + v.dump());
        return {*t, *b, *l, *r};
    }
    Padding padding() const
    {
        const std::string p = text("padding");
        if (p != "same" && p != "valid") bad("'padding' must be \"same\" or \"valid\", not \"" + p + "\"");
        return parse_padding(p);
    }
    Activation activation() const
    {
        const std::string a = text("activation");
        try {
            return parse_activation(a);
        } catch (const ShapeError&) {
            bad("'activation' must be \"linear\", \"relu\", \"tanh\", \"sigmoid\" or \"softmax\", not \"" + a +
                "\"");
        }
    }

    // Keras settings that ConvScope's layers do not have: absent or at
    // Keras' default they change nothing, anything else would change the
    // numbers, so it is refused rather than ignored.
    void require_default(const char* key, const Json& keras_default, const std::string& why) const
    {
        const auto it = config_.find(key);
        if (it != config_.end() && *it != keras_default)
            bad(quoted(key) + " is " + it->dump() + "; ConvScope reads only " + keras_default.dump() +
                " (" + why + ")");
    }

private:
    static std::optional<std::size_t> whole_number(const Json& v, std::size_t hi, std::size_t lo = 1)
    {
        if (!v.is_number_unsigned()) return std::nullopt; // negative ones are number_integer
        const auto n = v.get<std::uint64_t>();
        if (n < lo || n > hi) return std::nullopt;
        return std::size_t(n);
    }

    const Json& config_;
    std::string where_;
};

bool valid_name(const std::string& name)
{
    if (name.empty() || name.size() > max_name_length) return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

// The class_name and config of layers[i]; `what` names it in messages.
std::pair<std::string, const Json*> class_and_config(const Json& layer, const std::string& what, const std::string& file)
{
    if (!layer.is_object()) fail(file, what + " is not an object");
    const auto cls = layer.find("class_name");
    if (cls == layer.end() || !cls->is_string()) fail(file, what + " has no \"class_name\" string");
    const auto config = layer.find("config");
    if (config == layer.end() || !config->is_object())
        fail(file, what + " (" + cls->get<std::string>() + ") has no \"config\" object");
    return {cls->get<std::string>(), &*config};
}

Shape read_input(const Json& layer, const std::string& file)
{
    const auto [cls, config] = class_and_config(layer, "'architecture' layer 0", file);
    if (cls != "InputLayer")
        fail(file, "'architecture' must start with an InputLayer that gives the input shape, not a " + cls);
    auto shape = config->find("batch_input_shape");
    if (shape == config->end()) shape = config->find("batch_shape");
    if (shape == config->end()) fail(file, "the InputLayer of 'architecture' has no 'batch_input_shape'");
    bool ok = shape->is_array() && shape->size() == 4 && (*shape)[0].is_null();
    for (std::size_t i = 1; ok && i < 4; ++i) {
        const Json& d = (*shape)[i];
        ok = d.is_number_unsigned() && d.get<std::uint64_t>() >= 1 && d.get<std::uint64_t>() <= max_input_side;
    }
    if (!ok)
        fail(file, "the input shape of 'architecture' must be [null, h, w, c] with h, w and c from 1 to " +
                       std::to_string(max_input_side) + ", not " + shape->dump());
    return {(*shape)[1].get<std::size_t>(), (*shape)[2].get<std::size_t>(), (*shape)[3].get<std::size_t>()};
}

NamedLayer read_layer(const Json& layer, std::size_t index, const std::string& file)
{
    const std::string what = "'architecture' layer " + std::to_string(index);
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const std::pair<std::string, const Json*> parsed = class_and_config(layer, what, file);
    const std::string& cls = parsed.first;
    const Json* config = parsed.second;
    const std::string kind = kind_of_keras_class(cls);
    if (kind.empty()) {
        std::string known;
        for (const std::string& k : layer_kinds()) known += (known.empty() ? "" : ", ") + keras_class_name(k);
        fail(file, what + " is a " + cls + ", which ConvScope does not have (it has " + known + ")");
    }
    NamedLayer out;
    {
        const LayerReader r(*config, file + ": " + what + " (" + cls + ")");
        out.name = r.text("name");
        if (!valid_name(out.name))
            r.bad("'name' must be 1 to " + std::to_string(max_name_length) +
                  " letters, digits, '_', '-' or '.', not \"" + out.name + "\"");
    }
    const LayerReader r(*config, file + ": " + what + " (" + cls + " '" + out.name + "')");
    LayerSpec& s = out.spec;
    s.kind = kind;
    if (s.kind == "conv2d") {
        s.units = r.count("filters", max_units);
        const auto k = r.pair("kernel_size", max_window), st = r.pair("strides", max_window);
        s.kernel = {k[0], k[1]};
        s.stride = {st[0], st[1]};
        s.padding = r.padding();
        s.activation = r.activation();
        s.use_bias = r.flag("use_bias", true);
        r.require_default("dilation_rate", Json::array({1, 1}), "its convolutions are not dilated");
        r.require_default("groups", 1, "its convolutions are not grouped");
        r.require_default("data_format", "channels_last", "its tensors are NHWC");
    } else if (is_pooling(s.kind)) {
        const auto k = r.pair("pool_size", max_window), st = r.pair("strides", max_window);
        s.kernel = {k[0], k[1]};
        s.stride = {st[0], st[1]};
        if (r.padding() != Padding::valid) r.bad("'padding' must be \"valid\": pooling here never pads");
        r.require_default("data_format", "channels_last", "its tensors are NHWC");
    } else if (s.kind == "dense") {
        s.units = r.count("units", max_units);
        s.activation = r.activation();
        s.use_bias = r.flag("use_bias", true);
    } else if (s.kind == "flatten") {
        r.require_default("data_format", "channels_last", "its tensors are NHWC");
    } else if (s.kind == "dropout") {
        s.rate = r.real("rate", 0, 1, true);
        r.require_default("noise_shape", nullptr, "it drops units independently");
    } else if (s.kind == "activation") {
        s.activation = r.activation();
    } else if (s.kind == "relu") {
        s.activation = Activation::relu;
        r.require_default("max_value", nullptr, "its ReLU is not capped");
        r.require_default("negative_slope", 0.0, "its ReLU is not leaky");
        r.require_default("threshold", 0.0, "its ReLU's threshold is 0");
    } else if (s.kind == "rescaling") {
        s.scale = r.real("scale", -1e30, 1e30, false);
        s.offset = config->contains("offset") ? r.real("offset", -1e30, 1e30, false) : 0.0;
    } else if (s.kind == "zero_padding2d") {
        s.margins = r.margins();
        r.require_default("data_format", "channels_last", "its tensors are NHWC");
    }
    return out;
}

} // namespace

std::string architecture_to_json(const Architecture& architecture, int indent)
{
    const Shape& in = architecture.input;
    if (in.rank() != 3) throw ShapeError("architecture_to_json: the input must be (h, w, c), not " + in.str());
    Json layers = Json::array();
    layers.push_back({{"class_name", "InputLayer"},
                      {"config",
                       {{"name", "input"},
                        {"batch_input_shape", Json::array({nullptr, in[0], in[1], in[2]})},
                        {"dtype", "float32"}}}});
    for (const NamedLayer& layer : architecture.layers) layers.push_back(layer_json(layer));
    const Json model = {{"class_name", "Sequential"},
                        {"config", {{"name", "sequential"}, {"layers", std::move(layers)}}}};
    return model.dump(indent);
}

Architecture architecture_from_json(std::string_view text, const std::string& where, std::size_t max_layers)
{
    Json doc;
    try {
        doc = Json::parse(text, [&](int depth, Json::parse_event_t, Json&) {
            if (depth > max_depth)
                fail(where, "'architecture' is nested more than " + std::to_string(max_depth) +
                                " levels deep: not a Keras architecture");
            return true;
        });
    } catch (const Json::exception& e) {
        fail(where, std::string("'architecture' is not valid JSON (") + e.what() + ")");
    }
    if (!doc.is_object() || doc.value("class_name", Json()) != "Sequential")
        fail(where, "'architecture' must be a Keras Sequential model: {\"class_name\": \"Sequential\", ...}");
    const auto config = doc.find("config");
    const Json* layers = nullptr;
    if (config != doc.end() && config->is_object()) {
        const auto it = config->find("layers");
        if (it != config->end() && it->is_array()) layers = &*it;
    }
    if (!layers) fail(where, "'architecture' has no \"config\": {\"layers\": [...]} list");
    if (layers->empty()) fail(where, "'architecture' has no layers, not even an InputLayer");
    if (layers->size() - 1 > max_layers)
        fail(where, "'architecture' has " + std::to_string(layers->size() - 1) +
                        " layers; a model file may have at most " + std::to_string(max_layers));

    Architecture out;
    out.input = read_input((*layers)[0], where);
    std::set<std::string> names;
    for (std::size_t i = 1; i < layers->size(); ++i) {
        NamedLayer layer = read_layer((*layers)[i], i, where);
        if (!names.insert(layer.name).second)
            fail(where, "'architecture' layer " + std::to_string(i) + " is named '" + layer.name +
                            "' like an earlier one; names key the weights and must differ");
        out.layers.push_back(std::move(layer));
    }
    return out;
}

} // namespace cs
