#include "architecture_json.hpp"

#include "errors.hpp"
#include "ops_types.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <initializer_list>
#include <map>
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
// Keras nests a layer's settings five levels deep (model, config, layers,
// layer, config, then a list or an initialiser's config) and Keras 3 a
// functional model's links ten (layer, inbound_nodes, node, args, tensor,
// config, keras_history): anything deeper is not an architecture, and is
// refused before it is built.
constexpr int max_depth = 12;

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

// [null, h, w, c] as Keras writes an input shape; nullopt when absent.
std::optional<Shape> input_shape_at(const Json& object, std::initializer_list<const char*> keys, const std::string& file)
{
    if (!object.is_object()) return std::nullopt;
    for (const char* key : keys) {
        const auto shape = object.find(key);
        if (shape == object.end()) continue;
        bool ok = shape->is_array() && shape->size() == 4 && (*shape)[0].is_null();
        for (std::size_t i = 1; ok && i < 4; ++i) {
            const Json& d = (*shape)[i];
            ok = d.is_number_unsigned() && d.get<std::uint64_t>() >= 1 && d.get<std::uint64_t>() <= max_input_side;
        }
        if (!ok)
            fail(file, "the input shape must be [null, h, w, c] with h, w and c from 1 to " +
                           std::to_string(max_input_side) + ", not " + shape->dump());
        return Shape{(*shape)[1].get<std::size_t>(), (*shape)[2].get<std::size_t>(), (*shape)[3].get<std::size_t>()};
    }
    return std::nullopt;
}

// A layer's own input shape: an InputLayer's, or the one Keras 2 wrote into
// the first layer of a Sequential model made without an InputLayer.
std::optional<Shape> declared_input(const Json& layer, const std::string& file)
{
    if (!layer.is_object()) return std::nullopt;
    const auto config = layer.find("config");
    if (config != layer.end())
        if (auto s = input_shape_at(*config, {"batch_input_shape", "batch_shape"}, file)) return s;
    const auto build = layer.find("build_config"); // Keras 3
    if (build != layer.end()) return input_shape_at(*build, {"input_shape"}, file);
    return std::nullopt;
}

bool is_input_layer(const Json& layer)
{
    return layer.is_object() && layer.value("class_name", Json()) == "InputLayer";
}

// The model's layers from input to output, InputLayers left out.
struct Chain {
    Shape input;
    std::vector<const Json*> layers;
};

// A Sequential model: its `layers` in order. Its input shape is its
// InputLayer's (Keras 2 and 3), or Keras 2.3's batch_input_shape on the
// first layer, or Keras 3's build_input_shape.
Chain sequential_chain(const Json& config, const std::string& file)
{
    // Keras 2.0-2.2 wrote the list itself as the config.
    const Json* list = config.is_array() ? &config : nullptr;
    if (config.is_object()) {
        const auto it = config.find("layers");
        if (it != config.end() && it->is_array()) list = &*it;
    }
    if (!list) fail(file, "the Sequential model has no \"config\": {\"layers\": [...]} list");
    if (list->empty()) fail(file, "the Sequential model has no layers, not even an InputLayer");
    Chain chain;
    std::optional<Shape> input = declared_input(list->front(), file);
    if (!input) input = input_shape_at(config, {"build_input_shape"}, file);
    if (!input)
        fail(file, "the Sequential model gives no input shape: it must start with an InputLayer (or its first "
                   "layer must carry a batch_input_shape)");
    chain.input = *input;
    for (const Json& layer : *list)
        if (!is_input_layer(layer)) chain.layers.push_back(&layer);
    if (list->size() > 1 && std::any_of(list->begin() + 1, list->end(), is_input_layer))
        fail(file, "the Sequential model has an InputLayer after its first layer");
    return chain;
}

// The names of the layers whose outputs `layer` takes: Keras 2 writes
// inbound_nodes [[["conv2d", 0, 0, {}]]], Keras 3 [{"args": [{"class_name":
// "__keras_tensor__", "config": {"keras_history": ["conv2d", 0, 0]}}]}].
std::vector<std::string> inbound_layers(const Json& layer, const std::string& what, const std::string& file)
{
    const auto nodes = layer.find("inbound_nodes");
    if (nodes == layer.end() || !nodes->is_array()) fail(file, what + " has no \"inbound_nodes\" list");
    if (nodes->size() > 1)
        fail(file, what + " is called " + std::to_string(nodes->size()) +
                       " times (a shared layer); ConvScope runs functional models whose layers form one chain");
    std::vector<std::string> from;
    const auto history_name = [&](const Json& h) {
        if (!h.is_array() || h.empty() || !h[0].is_string()) fail(file, what + " has an inbound tensor without a layer name");
        from.push_back(h[0].get<std::string>());
    };
    for (const Json& node : *nodes) {
        if (node.is_array()) { // Keras 2
            for (const Json& tensor : node) history_name(tensor);
        } else if (node.is_object()) { // Keras 3
            const std::function<void(const Json&)> visit = [&](const Json& v) {
                if (v.is_object() && v.value("class_name", Json()) == "__keras_tensor__") {
                    const auto c = v.find("config");
                    history_name(c != v.end() && c->is_object() ? c->value("keras_history", Json()) : Json());
                } else if (v.is_array() || v.is_object()) {
                    for (const Json& x : v) visit(x);
                }
            };
            visit(node.value("args", Json::array()));
            visit(node.value("kwargs", Json::object()));
        } else {
            fail(file, what + " has an inbound node that is neither a list nor an object");
        }
    }
    return from;
}

// The names in a functional model's input_layers or output_layers: Keras 2
// writes [["input_1", 0, 0]], Keras 3 also ["input_layer", 0, 0] for one.
std::vector<std::string> endpoint_names(const Json& config, const char* key, const std::string& file)
{
    const auto it = config.find(key);
    if (it == config.end() || !it->is_array()) fail(file, std::string("the functional model has no '") + key + "' list");
    std::vector<std::string> names;
    if (!it->empty() && (*it)[0].is_string()) {
        names.push_back((*it)[0].get<std::string>());
        return names;
    }
    for (const Json& e : *it) {
        if (!e.is_array() || e.empty() || !e[0].is_string()) fail(file, std::string("the functional model's '") + key + "' is not a list of [name, 0, 0]");
        names.push_back(e[0].get<std::string>());
    }
    return names;
}

// A functional model: accepted when its layers form one chain from one
// input to one output, and then run as a Sequential model.
Chain functional_chain(const Json& config, const std::string& file)
{
    const std::string supported = "; ConvScope runs Sequential models and functional models whose layers form one chain";
    const auto list = config.is_object() ? config.find("layers") : Json::const_iterator{};
    if (!config.is_object() || list == config.end() || !list->is_array() || list->empty())
        fail(file, "the functional model has no \"config\": {\"layers\": [...]} list");
    const std::vector<std::string> inputs = endpoint_names(config, "input_layers", file);
    const std::vector<std::string> outputs = endpoint_names(config, "output_layers", file);
    if (inputs.size() != 1 || outputs.size() != 1)
        fail(file, "the functional model has " + std::to_string(inputs.size()) + " inputs and " +
                       std::to_string(outputs.size()) + " outputs" + supported);
    // Each layer by name, and the one layer that takes each layer's output.
    std::map<std::string, const Json*> by_name;
    std::map<std::string, std::string> next;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const Json& layer = (*list)[i];
        const std::string what = "layer " + std::to_string(i);
        if (!layer.is_object()) fail(file, what + " is not an object");
        std::string name = layer.value("name", Json()).is_string() ? layer["name"].get<std::string>() : "";
        if (name.empty()) {
            const auto c = layer.find("config");
            if (c != layer.end() && c->is_object() && c->value("name", Json()).is_string()) name = (*c)["name"];
        }
        if (name.empty()) fail(file, what + " has no name");
        if (!by_name.emplace(name, &layer).second) fail(file, "two layers are named '" + name + "'");
        if (is_input_layer(layer)) continue;
        const std::vector<std::string> from = inbound_layers(layer, what + " '" + name + "'", file);
        if (from.size() != 1)
            fail(file, what + " '" + name + "' takes " + std::to_string(from.size()) + " inputs" + supported);
        if (!next.emplace(from[0], name).second)
            fail(file, "the output of '" + from[0] + "' goes to both '" + next[from[0]] + "' and '" + name + "'" +
                           supported);
    }
    Chain chain;
    const auto first = by_name.find(inputs[0]);
    if (first == by_name.end() || !is_input_layer(*first->second))
        fail(file, "the functional model's input '" + inputs[0] + "' is not one of its InputLayers");
    const std::optional<Shape> input = declared_input(*first->second, file);
    if (!input) fail(file, "the InputLayer '" + inputs[0] + "' has no batch_input_shape");
    chain.input = *input;
    std::string at = inputs[0];
    for (auto n = next.find(at); n != next.end(); n = next.find(at)) {
        at = n->second;
        const auto layer = by_name.find(at);
        if (layer == by_name.end()) fail(file, "a layer takes the output of '" + at + "', which is not in the model");
        chain.layers.push_back(layer->second);
        if (chain.layers.size() > list->size()) fail(file, "the functional model's layers form a cycle");
    }
    if (at != outputs[0])
        fail(file, "the chain from '" + inputs[0] + "' ends at '" + at + "', not at the output '" + outputs[0] + "'" + supported);
    if (chain.layers.size() + 1 != list->size())
        fail(file, "the functional model has layers off the chain from '" + inputs[0] + "' to '" + outputs[0] + "'" +
                       supported);
    return chain;
}

NamedLayer read_layer(const Json& layer, std::size_t index, const std::string& file)
{
    const std::string what = "layer " + std::to_string(index);
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
                fail(where, "the architecture is nested more than " + std::to_string(max_depth) +
                                " levels deep: not a Keras architecture");
            return true;
        });
    } catch (const Json::exception& e) {
        fail(where, std::string("the architecture is not valid JSON (") + e.what() + ")");
    }
    const std::string cls = doc.is_object() && doc.value("class_name", Json()).is_string()
                                ? doc["class_name"].get<std::string>()
                                : std::string();
    const Json config = doc.is_object() ? doc.value("config", Json()) : Json();
    Chain chain;
    if (cls == "Sequential") chain = sequential_chain(config, where);
    else if (cls == "Functional" || cls == "Model") chain = functional_chain(config, where);
    else
        fail(where, "the architecture must be a Keras Sequential model ({\"class_name\": \"Sequential\", ...}) or "
                    "a functional one whose layers form a chain" +
                        (cls.empty() ? std::string() : ", not a " + cls));
    if (chain.layers.size() > max_layers)
        fail(where, "the architecture has " + std::to_string(chain.layers.size()) +
                        " layers; a model file may have at most " + std::to_string(max_layers));

    Architecture out;
    out.input = chain.input;
    std::set<std::string> names;
    for (std::size_t i = 0; i < chain.layers.size(); ++i) {
        NamedLayer layer = read_layer(*chain.layers[i], i + 1, where);
        if (!names.insert(layer.name).second)
            fail(where, "layer " + std::to_string(i + 1) + " is named '" + layer.name +
                            "' like an earlier one; names key the weights and must differ");
        out.layers.push_back(std::move(layer));
    }
    return out;
}

} // namespace cs
