#include "architecture.hpp"

#include "errors.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

namespace cs {

namespace layers {

LayerSpec conv2d(std::size_t filters, KernelShape kernel, Stride stride, Padding padding, Activation activation,
                 bool use_bias)
{
    return {.kind = "conv2d", .units = filters, .kernel = kernel, .stride = stride, .padding = padding,
            .activation = activation, .use_bias = use_bias};
}
LayerSpec max_pooling2d(KernelShape pool, Stride stride)
{
    return {.kind = "max_pooling2d", .kernel = pool, .stride = stride};
}
LayerSpec average_pooling2d(KernelShape pool, Stride stride)
{
    return {.kind = "average_pooling2d", .kernel = pool, .stride = stride};
}
LayerSpec flatten() { return {.kind = "flatten"}; }
LayerSpec dense(std::size_t units, Activation activation, bool use_bias)
{
    return {.kind = "dense", .units = units, .activation = activation, .use_bias = use_bias};
}
LayerSpec dropout(double rate) { return {.kind = "dropout", .rate = rate}; }
LayerSpec activation(Activation activation) { return {.kind = "activation", .activation = activation}; }
LayerSpec relu() { return {.kind = "relu", .activation = Activation::relu}; }
LayerSpec rescaling(double scale, double offset) { return {.kind = "rescaling", .scale = scale, .offset = offset}; }
LayerSpec zero_padding2d(Margins margins) { return {.kind = "zero_padding2d", .margins = margins}; }

} // namespace layers

namespace {

struct KindClass {
    const char* kind;
    const char* class_name;
};
constexpr std::array<KindClass, 10> kind_classes{{
    {"conv2d", "Conv2D"},
    {"max_pooling2d", "MaxPooling2D"},
    {"average_pooling2d", "AveragePooling2D"},
    {"flatten", "Flatten"},
    {"dense", "Dense"},
    {"dropout", "Dropout"},
    {"activation", "Activation"},
    {"relu", "ReLU"},
    {"rescaling", "Rescaling"},
    {"zero_padding2d", "ZeroPadding2D"},
}};

bool is_pooling(const std::string& kind) { return kind == "max_pooling2d" || kind == "average_pooling2d"; }

std::string n(std::size_t v) { return std::to_string(v); }

std::string number(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// 61706 -> "61,706", as Keras' summary writes counts.
std::string grouped(std::size_t v)
{
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string hw(std::size_t h, std::size_t w) { return n(h) + "x" + n(w); }

// As a person reads a shape: maps 28x28x6, a flat 400.
std::string text(const Shape& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.rank(); ++i) {
        if (i) out += 'x';
        out += n(s[i]);
    }
    return out.empty() ? "()" : out;
}

// One spatial axis of a window (a kernel or a pool) sliding over `in`
// cells: its formula line, and the output size (0 when it does not fit).
struct Axis {
    std::string line;
    std::size_t out = 0;
};

Axis window_axis(const char* axis, std::size_t in, std::size_t k, std::size_t s, Padding padding)
{
    Axis a;
    const std::string lhs = std::string(axis) + "_out = ";
    if (padding == Padding::same) {
        a.out = (in + s - 1) / s;
        a.line = lhs + "ceil(" + n(in) + " / " + n(s) + ") = " + n(a.out);
    } else if (k <= in) {
        a.out = (in - k) / s + 1;
        a.line = lhs + "floor((" + n(in) + " - " + n(k) + ") / " + n(s) + ") + 1 = " + n(a.out);
    }
    return a;
}

// TensorFlow's 'same' padding of one axis: total = max((out - 1) s + k - in, 0),
// the smaller half before, the larger after.
std::string same_padding_line(const char* what, const char* before, const char* after, std::size_t in, std::size_t out,
                              std::size_t k, std::size_t s)
{
    const std::size_t need = (out - 1) * s + k;
    const std::size_t total = need > in ? need - in : 0;
    return "'same' pads " + n(total) + " " + what + " (" + n(total / 2) + " " + before + ", " + n(total - total / 2) +
           " " + after + ")";
}

// Why a window cannot slide over an input, or "".
std::string window_refusal(const LayerSpec& s, const Shape& in, const char* window)
{
    if (s.kernel.h == 0 || s.kernel.w == 0) return std::string("the ") + window + " must be at least 1x1";
    if (s.stride.h == 0 || s.stride.w == 0) return "a stride of 0 does not move: strides must be at least 1";
    if (s.padding == Padding::valid && (s.kernel.h > in[0] || s.kernel.w > in[1]))
        return std::string("the ") + hw(s.kernel.h, s.kernel.w) + " " + window + " is larger than its input " +
               text(in) + (is_pooling(s.kind) ? " (pooling never pads)" : " ('valid' adds no padding)");
    return {};
}

std::string formula(const LayerSpec& s, const Shape& in, const Shape& out, std::size_t parameters)
{
    if (s.kind == "conv2d" || is_pooling(s.kind)) {
        const Padding padding = s.kind == "conv2d" ? s.padding : Padding::valid;
        std::string f = window_axis("h", in[0], s.kernel.h, s.stride.h, padding).line + "\n" +
                        window_axis("w", in[1], s.kernel.w, s.stride.w, padding).line;
        if (padding == Padding::same)
            f += "\n" + same_padding_line("rows", "above", "below", in[0], out[0], s.kernel.h, s.stride.h) + "; " +
                 same_padding_line("columns", "left", "right", in[1], out[1], s.kernel.w, s.stride.w);
        if (s.kind == "conv2d") {
            f += "\nc_out = filters = " + n(s.units);
            f += "\nparameters = " + n(s.kernel.h) + " * " + n(s.kernel.w) + " * " + n(in[2]) + " * " + n(s.units) +
                 (s.use_bias ? " + " + n(s.units) : std::string()) + " = " + grouped(parameters);
        } else {
            f += "\nc_out = c = " + n(in[2]) + (s.stride.h < s.kernel.h || s.stride.w < s.kernel.w
                                                     ? "\nwindows overlap: the stride is smaller than the pool"
                                                     : "");
        }
        return f;
    }
    if (s.kind == "zero_padding2d")
        return "h_out = " + n(s.margins.top) + " + " + n(in[0]) + " + " + n(s.margins.bottom) + " = " + n(out[0]) +
               "\nw_out = " + n(s.margins.left) + " + " + n(in[1]) + " + " + n(s.margins.right) + " = " + n(out[1]);
    if (s.kind == "flatten") {
        std::string f = "n_out = ";
        for (std::size_t i = 0; i < in.rank(); ++i) f += (i ? " * " : "") + n(in[i]);
        return f + " = " + n(out[0]);
    }
    if (s.kind == "dense")
        return "n_out = units = " + n(s.units) + "\nparameters = " + n(in[0]) + " * " + n(s.units) +
               (s.use_bias ? " + " + n(s.units) : std::string()) + " = " + grouped(parameters);
    return "the shape of its input, " + text(in);
}

LayerShapes infer_layer(const LayerSpec& s, const Shape& in)
{
    LayerShapes r;
    r.input = in;
    const bool spatial = s.kind == "conv2d" || is_pooling(s.kind) || s.kind == "zero_padding2d";
    if (spatial && in.rank() != 3) {
        r.error = keras_class_name(s.kind) + " needs maps (h, w, c), not the flat " + text(in) +
                  ": put it before the Flatten";
        return r;
    }
    if (s.kind == "dense" && in.rank() != 1) {
        r.error = "Dense needs a flat input, not " + text(in) + ": add a Flatten before it";
        return r;
    }
    if (s.kind == "conv2d" || is_pooling(s.kind)) {
        r.error = window_refusal(s, in, s.kind == "conv2d" ? "kernel" : "pool");
        if (!r.error.empty()) return r;
    }
    try {
        const auto layer = make_layer<double>(s);
        r.output = layer->output_shape(in);
        r.parameters = layer->parameter_count(in);
        layer->forward_elements(in); // overflow-checked sizes of what a pass writes
    } catch (const ShapeError& e) {
        r.output = {};
        r.error = e.what();
        return r;
    }
    r.formula = formula(s, in, r.output, r.parameters);
    return r;
}

} // namespace

const std::vector<std::string>& layer_kinds()
{
    static const std::vector<std::string> kinds = [] {
        std::vector<std::string> k;
        for (const KindClass& c : kind_classes) k.push_back(c.kind);
        return k;
    }();
    return kinds;
}

std::string keras_class_name(const std::string& kind)
{
    for (const KindClass& c : kind_classes)
        if (kind == c.kind) return c.class_name;
    throw ShapeError("unknown layer kind '" + kind + "'");
}

std::string kind_of_keras_class(const std::string& class_name)
{
    for (const KindClass& c : kind_classes)
        if (class_name == c.class_name) return c.kind;
    return {};
}

std::string describe(const LayerSpec& s)
{
    const std::string cls = keras_class_name(s.kind);
    const std::string bias = s.use_bias ? "" : " no bias";
    if (s.kind == "conv2d")
        return cls + " " + n(s.units) + "@" + hw(s.kernel.h, s.kernel.w) +
               (s.stride.h != 1 || s.stride.w != 1 ? " /" + (s.stride.h == s.stride.w ? n(s.stride.h) : hw(s.stride.h, s.stride.w)) : "") +
               " " + to_string(s.padding) + " " + to_string(s.activation) + bias;
    if (is_pooling(s.kind))
        return cls + " " + hw(s.kernel.h, s.kernel.w) + " /" +
               (s.stride.h == s.stride.w ? n(s.stride.h) : hw(s.stride.h, s.stride.w));
    if (s.kind == "dense") return cls + " " + n(s.units) + " " + to_string(s.activation) + bias;
    if (s.kind == "dropout") return cls + " " + number(s.rate);
    if (s.kind == "activation") return cls + " " + to_string(s.activation);
    if (s.kind == "rescaling") return cls + " x" + number(s.scale) + (s.offset != 0 ? " + " + number(s.offset) : "");
    if (s.kind == "zero_padding2d") {
        const Margins& m = s.margins;
        if (m.top == m.bottom && m.left == m.right && m.top == m.left) return cls + " " + n(m.top);
        return cls + " " + n(m.top) + "," + n(m.bottom) + "," + n(m.left) + "," + n(m.right);
    }
    return cls;
}

std::vector<LayerShapes> infer_shapes(const Architecture& architecture)
{
    std::vector<LayerShapes> out;
    const std::size_t count = architecture.layers.size();
    out.reserve(count);
    Shape in = architecture.input;
    bool valid = in.rank() == 3 && in.elements() > 0;
    std::set<std::string> names;
    for (std::size_t i = 0; i < count; ++i) {
        const NamedLayer& layer = architecture.layers[i];
        if (!valid) {
            LayerShapes r;
            r.error = "follows an invalid layer";
            out.push_back(std::move(r));
            continue;
        }
        LayerShapes r = infer_layer(layer.spec, in);
        if (r.error.empty() && !layer.name.empty() && !names.insert(layer.name).second)
            r.error = "its name '" + layer.name + "' is taken by an earlier layer: names key the weights";
        if (r.error.empty() && layer.spec.activation == Activation::softmax && i + 1 != count &&
            (layer.spec.kind == "dense" || layer.spec.kind == "conv2d" || layer.spec.kind == "activation"))
            r.error = "softmax is only for the last layer, where the loss applies it";
        if (r.error.empty() && i + 1 == count && r.output.rank() != 1)
            r.error = "the last layer must give flat logits (one per class), not " + text(r.output) +
                      ": end with a Flatten and a Dense";
        if (!r.error.empty()) {
            r.output = {};
            r.formula.clear();
            valid = false;
        } else {
            in = r.output;
        }
        out.push_back(std::move(r));
    }
    return out;
}

void check_architecture(const Architecture& architecture)
{
    const Shape& in = architecture.input;
    if (in.rank() != 3 || in.elements() == 0)
        throw ShapeError("the input must be one sample (h, w, c), not " + in.str());
    if (architecture.layers.empty()) throw ShapeError("the architecture has no layers");
    const std::vector<LayerShapes> shapes = infer_shapes(architecture);
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        if (shapes[i].error.empty()) continue;
        const NamedLayer& layer = architecture.layers[i];
        std::string what;
        try {
            what = describe(layer.spec);
        } catch (const ShapeError&) {
            what = layer.spec.kind;
        }
        throw ShapeError("layer " + n(i + 1) + (layer.name.empty() ? "" : " '" + layer.name + "'") + " (" + what +
                         ", input " + text(shapes[i].input) + "): " + shapes[i].error);
    }
}

std::string keras_summary(const Architecture& architecture, const std::string& model_name)
{
    check_architecture(architecture);
    const Architecture named = with_default_names(architecture);
    const std::vector<LayerShapes> shapes = infer_shapes(named);
    const auto column = [](std::string text, std::size_t width) {
        text.resize(std::max(width, text.size() + 1), ' ');
        return text;
    };
    const std::string rule(65, '_'), double_rule(65, '=');
    std::string out = "Model: \"" + model_name + "\"\n" + rule + "\n" + column(" Layer (type)", 29) +
                      column("Output Shape", 26) + "Param #\n" + double_rule + "\n";
    std::size_t total = 0;
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const NamedLayer& l = named.layers[i];
        std::string shape = "(None";
        for (std::size_t d = 0; d < shapes[i].output.rank(); ++d) shape += ", " + n(shapes[i].output[d]);
        shape += ")";
        // As Keras, a first column longer than its 28 characters goes on
        // below, so that the other columns stay aligned.
        const std::string name = " " + l.name + " (" + keras_class_name(l.spec.kind) + ")";
        out += column(name.substr(0, 28), 29) + column(shape, 26) + grouped(shapes[i].parameters) + "\n";
        for (std::size_t at = 28; at < name.size(); at += 27) {
            out += ' '; // appended piece by piece: GCC 12 warns falsely (-Wrestrict) on " " + substr
            out.append(name, at, 27);
            out += '\n';
        }
        out += i + 1 < shapes.size() ? "\n" : "";
        total += shapes[i].parameters;
    }
    out += double_rule + "\nTotal params: " + grouped(total) + "\nTrainable params: " + grouped(total) +
           "\nNon-trainable params: 0\n" + rule + "\n";
    return out;
}

Architecture with_default_names(Architecture architecture)
{
    std::set<std::string> taken;
    for (const NamedLayer& l : architecture.layers)
        if (!l.name.empty()) taken.insert(l.name);
    std::size_t index = 0;
    for (NamedLayer& l : architecture.layers) {
        if (l.name.empty()) {
            // Keras' scheme: the kind, then kind_1, kind_2... for later ones.
            std::size_t same_kind = 0;
            for (std::size_t j = 0; j < index; ++j) same_kind += architecture.layers[j].spec.kind == l.spec.kind;
            std::string name = same_kind ? l.spec.kind + "_" + n(same_kind) : l.spec.kind;
            while (taken.count(name)) name = l.spec.kind + "_" + n(++same_kind);
            l.name = name;
            taken.insert(name);
        }
        ++index;
    }
    return architecture;
}

template <typename T>
std::unique_ptr<Sequential<T>> make_model(const Architecture& architecture, std::uint64_t seed)
{
    check_architecture(architecture);
    auto model = std::make_unique<Sequential<T>>(architecture.input);
    for (const NamedLayer& l : with_default_names(architecture).layers) {
        auto layer = make_layer<T>(l.spec);
        layer->set_name(l.name);
        model->add(std::move(layer));
    }
    model->build(seed);
    return model;
}

template <typename T>
Architecture architecture_of(const Network<T>& network)
{
    Architecture a{network.input_shape(), {}};
    for (std::size_t i = 0; i < network.layer_count(); ++i)
        a.layers.push_back({network.layer(i).name(), network.layer(i).spec()});
    return a;
}

template <typename T>
Architecture architecture_of(const Sequential<T>& model)
{
    return architecture_of(model.network());
}

template std::unique_ptr<Sequential<float>> make_model<float>(const Architecture&, std::uint64_t);
template std::unique_ptr<Sequential<double>> make_model<double>(const Architecture&, std::uint64_t);
template Architecture architecture_of<float>(const Network<float>&);
template Architecture architecture_of<double>(const Network<double>&);
template Architecture architecture_of<float>(const Sequential<float>&);
template Architecture architecture_of<double>(const Sequential<double>&);

} // namespace cs
