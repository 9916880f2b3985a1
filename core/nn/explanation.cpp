#include "explanation.hpp"

#include "activation.hpp"
#include "errors.hpp"
#include "im2col.hpp"

#include <algorithm>
#include <cmath>

namespace cs {

namespace {

// Where `cell` lies in a C-ordered per-sample tensor of `shape`; ShapeError
// naming `what` unless it is one of its cells.
std::size_t flat_index(const Cell& cell, const Shape& shape, const std::string& what)
{
    bool inside = cell.size() == shape.rank();
    for (std::size_t a = 0; inside && a < cell.size(); ++a) inside = cell[a] < shape[a];
    if (!inside) {
        std::string message = "cell " + cell_text(cell) + " is not in " + what + " " + shape.str();
        message += shape.rank() == 1 ? ": give one index below " + std::to_string(shape[0])
                                     : ": give " + std::to_string(shape.rank()) + " indices, each below its size";
        throw ShapeError(message);
    }
    std::size_t k = 0;
    for (std::size_t a = 0; a < cell.size(); ++a) k = k * shape[a] + cell[a];
    return k;
}

std::string kind_of(const std::string& spec_kind)
{
    if (spec_kind == "conv2d") return "conv";
    if (spec_kind == "max_pooling2d" || spec_kind == "average_pooling2d") return "pool";
    if (spec_kind == "dense") return "dense";
    if (spec_kind == "activation" || spec_kind == "relu") return "activation";
    if (spec_kind == "rescaling") return "rescaling";
    if (spec_kind == "zero_padding2d") return "padding";
    if (spec_kind == "flatten") return "flatten";
    if (spec_kind == "dropout") return "dropout";
    throw ShapeError("cannot explain a layer of kind '" + spec_kind + "'");
}

double activated(Activation act, double z)
{
    double a = 0;
    activate<double>(act, &z, &a, 1);
    return a;
}

// f'(z) written through a = f(z), as the layers' backward takes it.
double activation_slope(Activation act, double a)
{
    const double one = 1;
    double slope = 0;
    activation_backward<double>(act, &a, &one, &slope, 1);
    return slope;
}

// What every explanation of layer i reads: the layer, the tensors around it
// for the one sample of the workspace, and its parameters.
template <typename T>
struct LayerView {
    const Network<T>& network;
    const Workspace<T>& workspace;
    std::size_t i;
    LayerSpec spec;
    Shape in_shape, out_shape; // per sample
    const T* in = nullptr;     // A_{i-1} of the sample
    const T* out = nullptr;    // A_i
    const T* kernel = nullptr; // null for a layer without parameters
    const T* bias = nullptr;

    LayerView(const Network<T>& n, const arma::Col<T>& params, const Workspace<T>& ws, std::size_t layer)
        : network(n), workspace(ws), i(layer)
    {
        if (layer >= n.layer_count())
            throw ShapeError("layer " + std::to_string(layer) + " does not exist: the model has " +
                             std::to_string(n.layer_count()) + " layers");
        if (params.n_elem != n.parameter_count())
            throw ShapeError("the parameters do not fit the model");
        if (ws.batch_size() != 1 || ws.input().shape().elements() != n.input_shape().elements())
            throw ShapeError("an explanation needs a pass of exactly one sample through the model");
        spec = n.layer(layer).spec();
        in_shape = layer == 0 ? n.input_shape() : n.output_shape(layer - 1);
        out_shape = n.output_shape(layer);
        in = layer == 0 ? ws.input().data() : ws.output(layer - 1).data();
        out = ws.output(layer).data();
        for (const ParameterShape& p : n.layer_parameter_shapes(layer)) {
            if (p.name == "kernel") kernel = params.memptr() + p.offset;
            if (p.name == "bias") bias = params.memptr() + p.offset;
        }
    }

    const std::string& name() const { return network.layer(i).name(); }
    std::string source() const { return i == 0 ? std::string("input") : network.layer(i - 1).name(); }

    Explanation start(const std::string& quantity, const Cell& cell) const
    {
        Explanation e;
        e.layer = name();
        e.layer_index = i;
        e.kind = kind_of(spec.kind);
        e.quantity = quantity;
        e.cell = cell;
        e.source = quantity == "dA" ? name() : source();
        e.source_shape = quantity == "dA" ? out_shape : in_shape;
        e.activation = spec.activation;
        return e;
    }

    // The geometry of a convolution, as Conv2D computes it.
    void conv_geometry_into(Explanation& e) const
    {
        e.kernel = spec.kernel;
        e.stride = spec.stride;
        e.padding = spec.padding;
        e.pad_top = conv_pad_before(in_shape[0], spec.kernel.h, spec.stride.h, spec.padding);
        e.pad_left = conv_pad_before(in_shape[1], spec.kernel.w, spec.stride.w, spec.padding);
    }

    // dZ of the sample's output, which backward left in the layer's scratch.
    const T* d_z(const char* what) const
    {
        const Tensor<T>& dz = workspace.scratch(i).d_z;
        if (dz.size() != out_shape.elements())
            throw ShapeError(std::string("no gradient to explain: run the backward pass first (") + what + ")");
        return dz.data();
    }
    const T* d_out() const
    {
        const Tensor<T>& d = workspace.output_gradient(i);
        if (d.size() != out_shape.elements()) throw ShapeError("no gradient to explain: run the backward pass first");
        return d.data();
    }
    const T* d_in() const
    {
        const Tensor<T>& d = i == 0 ? workspace.input_gradient() : workspace.output_gradient(i - 1);
        if (d.size() != in_shape.elements())
            throw ShapeError("no gradient to explain: run the backward pass first, with the input's gradient");
        return d.data();
    }
};

// The largest |x * w| first; equal ones keep their order.
void sort_by_contribution(std::vector<ExplanationTerm>& terms)
{
    std::stable_sort(terms.begin(), terms.end(), [](const ExplanationTerm& a, const ExplanationTerm& b) {
        return std::abs(a.product()) > std::abs(b.product());
    });
}

double sum_of(const std::vector<ExplanationTerm>& terms)
{
    double s = 0;
    for (const ExplanationTerm& t : terms) s += t.product();
    return s;
}

// A cell of maps (h, w, c) by its coordinates, which may lie outside.
std::vector<std::ptrdiff_t> at(std::ptrdiff_t y, std::ptrdiff_t x, std::ptrdiff_t c) { return {y, x, c}; }

// The cell of a tensor of `shape` at flat index k.
std::vector<std::ptrdiff_t> cell_at(std::size_t k, const Shape& shape)
{
    std::vector<std::ptrdiff_t> cell(shape.rank());
    for (std::size_t a = shape.rank(); a-- > 0;) {
        cell[a] = std::ptrdiff_t(k % shape[a]);
        k /= shape[a];
    }
    return cell;
}

template <typename T>
Explanation forward_conv(const LayerView<T>& v, const Cell& cell)
{
    Explanation e = v.start("A", cell);
    v.conv_geometry_into(e);
    const std::size_t h = v.in_shape[0], w = v.in_shape[1], c_prev = v.in_shape[2], filters = v.out_shape[2];
    const std::size_t y = cell[0], x = cell[1], f = cell[2];
    e.corner_row = std::ptrdiff_t(y * e.stride.h) - std::ptrdiff_t(e.pad_top);
    e.corner_col = std::ptrdiff_t(x * e.stride.w) - std::ptrdiff_t(e.pad_left);
    e.terms.reserve(e.kernel.h * e.kernel.w * c_prev);
    for (std::size_t di = 0; di < e.kernel.h; ++di)
        for (std::size_t dj = 0; dj < e.kernel.w; ++dj)
            for (std::size_t c = 0; c < c_prev; ++c) {
                const std::ptrdiff_t r = e.corner_row + std::ptrdiff_t(di), q = e.corner_col + std::ptrdiff_t(dj);
                const bool inside = r >= 0 && q >= 0 && std::size_t(r) < h && std::size_t(q) < w;
                ExplanationTerm t;
                t.from = at(r, q, std::ptrdiff_t(c));
                t.padding = !inside;
                t.x = inside ? double(v.in[(std::size_t(r) * w + std::size_t(q)) * c_prev + c]) : 0.0;
                t.w = double(v.kernel[((di * e.kernel.w + dj) * c_prev + c) * filters + f]);
                e.terms.push_back(std::move(t));
            }
    if (v.bias) e.bias = double(v.bias[f]);
    e.sum = sum_of(e.terms) + e.bias.value_or(0);
    return e;
}

template <typename T>
Explanation forward_pool(const LayerView<T>& v, const Cell& cell, std::size_t out_index)
{
    Explanation e = v.start("A", cell);
    const PoolMode mode = v.spec.kind == "max_pooling2d" ? PoolMode::max : PoolMode::avg;
    e.pool_mode = mode;
    e.kernel = v.spec.kernel;
    e.stride = v.spec.stride;
    const std::size_t w = v.in_shape[1], c = v.in_shape[2];
    e.corner_row = std::ptrdiff_t(cell[0] * e.stride.h);
    e.corner_col = std::ptrdiff_t(cell[1] * e.stride.w);
    const double share = 1.0 / double(e.kernel.h * e.kernel.w);
    for (std::size_t di = 0; di < e.kernel.h; ++di)
        for (std::size_t dj = 0; dj < e.kernel.w; ++dj) {
            const std::size_t r = std::size_t(e.corner_row) + di, q = std::size_t(e.corner_col) + dj;
            ExplanationTerm t;
            t.from = at(std::ptrdiff_t(r), std::ptrdiff_t(q), std::ptrdiff_t(cell[2]));
            t.x = double(v.in[(r * w + q) * c + cell[2]]);
            t.w = mode == PoolMode::avg ? share : 1.0;
            e.terms.push_back(std::move(t));
        }
    if (mode == PoolMode::max) {
        // The core's own winner: the flat index forward kept for backward.
        const std::vector<std::uint32_t>& winners = v.workspace.scratch(v.i).winners;
        if (out_index >= winners.size()) throw ShapeError("the max pooling's winners are missing");
        const std::vector<std::ptrdiff_t> won = cell_at(winners[out_index], v.in_shape);
        e.winner = Cell{std::size_t(won[0]), std::size_t(won[1]), std::size_t(won[2])};
        e.sum = double(v.in[winners[out_index]]);
        // Only the winner passes on: the others' weight is 0.
        for (ExplanationTerm& t : e.terms) t.w = t.from == won ? 1.0 : 0.0;
    } else {
        e.sum = sum_of(e.terms);
    }
    return e;
}

template <typename T>
Explanation forward_dense(const LayerView<T>& v, const Cell& cell)
{
    Explanation e = v.start("A", cell);
    const std::size_t n_in = v.in_shape[0], units = v.out_shape[0], u = cell[0];
    e.terms.reserve(n_in);
    for (std::size_t k = 0; k < n_in; ++k)
        e.terms.push_back({{std::ptrdiff_t(k)}, double(v.in[k]), double(v.kernel[k * units + u]), false});
    if (v.bias) e.bias = double(v.bias[u]);
    e.sum = sum_of(e.terms) + e.bias.value_or(0);
    sort_by_contribution(e.terms);
    return e;
}

// The one term of a layer that maps each cell from one cell of its input.
template <typename T>
Explanation forward_elementwise(const LayerView<T>& v, const Cell& cell, std::size_t out_index)
{
    Explanation e = v.start("A", cell);
    ExplanationTerm t;
    if (e.kind == "padding") {
        const Margins& m = v.spec.margins;
        const std::ptrdiff_t r = std::ptrdiff_t(cell[0]) - std::ptrdiff_t(m.top);
        const std::ptrdiff_t q = std::ptrdiff_t(cell[1]) - std::ptrdiff_t(m.left);
        t.from = at(r, q, std::ptrdiff_t(cell[2]));
        t.padding = r < 0 || q < 0 || std::size_t(r) >= v.in_shape[0] || std::size_t(q) >= v.in_shape[1];
        t.x = t.padding ? 0.0 : double(v.in[(std::size_t(r) * v.in_shape[1] + std::size_t(q)) * v.in_shape[2] + cell[2]]);
    } else {
        // Same flat index: activation, rescaling, dropout keep the shape;
        // flatten reads the maps in C order.
        t.from = cell_at(out_index, v.in_shape);
        t.x = double(v.in[out_index]);
    }
    if (e.kind == "rescaling") {
        t.w = v.spec.scale;
        e.bias = v.spec.offset;
    }
    if (e.kind == "dropout") {
        const std::vector<T>& mask = v.workspace.scratch(v.i).mask;
        if (!mask.empty()) t.w = double(mask[out_index]); // a training pass: 0 or 1/(1-rate)
    }
    e.terms.push_back(std::move(t));
    e.sum = sum_of(e.terms) + e.bias.value_or(0);
    if (e.kind != "activation") e.activation = Activation::linear;
    return e;
}

} // namespace

std::string cell_text(const std::vector<std::ptrdiff_t>& cell)
{
    std::string s = "(";
    for (std::size_t i = 0; i < cell.size(); ++i) {
        if (i) s += ", ";
        s += std::to_string(cell[i]);
    }
    s += cell.size() == 1 ? ",)" : ")";
    return s;
}

std::string cell_text(const Cell& cell) { return cell_text(std::vector<std::ptrdiff_t>(cell.begin(), cell.end())); }

template <typename T>
Explanation explain_forward(const Network<T>& network, const arma::Col<T>& params, const Workspace<T>& workspace,
                            std::size_t layer, const Cell& cell)
{
    const LayerView<T> v(network, params, workspace, layer);
    const std::size_t k = flat_index(cell, v.out_shape, v.name() + "'s output");
    Explanation e;
    const std::string kind = kind_of(v.spec.kind);
    if (kind == "conv") e = forward_conv(v, cell);
    else if (kind == "pool") e = forward_pool(v, cell, k);
    else if (kind == "dense") e = forward_dense(v, cell);
    else e = forward_elementwise(v, cell, k);
    e.value = double(v.out[k]);
    e.activated = e.pool_mode ? e.sum : activated(e.activation, e.sum);
    return e;
}

template <typename T>
Explanation explain_gradient(const Network<T>& network, const arma::Col<T>& params, const Workspace<T>& workspace,
                             std::size_t layer, const Cell& cell)
{
    const LayerView<T> v(network, params, workspace, layer);
    const std::size_t k = flat_index(cell, v.in_shape, v.name() + "'s input");
    Explanation e = v.start("dA", cell);
    e.value = double(v.d_in()[k]);
    if (e.kind == "conv") {
        v.conv_geometry_into(e);
        const T* dz = v.d_z("conv");
        const std::size_t h_out = v.out_shape[0], w_out = v.out_shape[1], filters = v.out_shape[2];
        const std::size_t c_prev = v.in_shape[2];
        const std::ptrdiff_t y = std::ptrdiff_t(cell[0]) + std::ptrdiff_t(e.pad_top);
        const std::ptrdiff_t x = std::ptrdiff_t(cell[1]) + std::ptrdiff_t(e.pad_left);
        // Output (oy, ox) covers the cell when 0 <= y - oy*sh < kh (likewise x).
        for (std::size_t oy = 0; oy < h_out; ++oy) {
            const std::ptrdiff_t di = y - std::ptrdiff_t(oy * e.stride.h);
            if (di < 0 || di >= std::ptrdiff_t(e.kernel.h)) continue;
            for (std::size_t ox = 0; ox < w_out; ++ox) {
                const std::ptrdiff_t dj = x - std::ptrdiff_t(ox * e.stride.w);
                if (dj < 0 || dj >= std::ptrdiff_t(e.kernel.w)) continue;
                for (std::size_t f = 0; f < filters; ++f) {
                    const double w =
                        double(v.kernel[((std::size_t(di) * e.kernel.w + std::size_t(dj)) * c_prev + cell[2]) *
                                            filters + f]);
                    e.terms.push_back({at(std::ptrdiff_t(oy), std::ptrdiff_t(ox), std::ptrdiff_t(f)),
                                       double(dz[(oy * w_out + ox) * filters + f]), w, false});
                }
            }
        }
    } else if (e.kind == "pool") {
        const PoolMode mode = v.spec.kind == "max_pooling2d" ? PoolMode::max : PoolMode::avg;
        e.pool_mode = mode;
        e.kernel = v.spec.kernel;
        e.stride = v.spec.stride;
        const T* d_out = v.d_out();
        const std::vector<std::uint32_t>& winners = workspace.scratch(layer).winners;
        const std::size_t h_out = v.out_shape[0], w_out = v.out_shape[1], c = v.out_shape[2];
        for (std::size_t oy = 0; oy < h_out; ++oy) {
            if (cell[0] < oy * e.stride.h || cell[0] >= oy * e.stride.h + e.kernel.h) continue;
            for (std::size_t ox = 0; ox < w_out; ++ox) {
                if (cell[1] < ox * e.stride.w || cell[1] >= ox * e.stride.w + e.kernel.w) continue;
                const std::size_t o = (oy * w_out + ox) * c + cell[2];
                double share = 1.0 / double(e.kernel.h * e.kernel.w);
                if (mode == PoolMode::max) {
                    if (o >= winners.size()) throw ShapeError("the max pooling's winners are missing");
                    share = winners[o] == k ? 1.0 : 0.0;
                }
                e.terms.push_back(
                    {at(std::ptrdiff_t(oy), std::ptrdiff_t(ox), std::ptrdiff_t(cell[2])), double(d_out[o]), share, false});
            }
        }
    } else if (e.kind == "dense") {
        const T* dz = v.d_z("dense");
        const std::size_t units = v.out_shape[0];
        for (std::size_t u = 0; u < units; ++u)
            e.terms.push_back({{std::ptrdiff_t(u)}, double(dz[u]), double(v.kernel[cell[0] * units + u]), false});
        sort_by_contribution(e.terms);
    } else {
        // One output cell reads this one (none for nothing: every layer
        // here maps its input one to one, but a padding's margin is never read).
        const T* d_out = v.d_out();
        std::size_t o = k;
        if (e.kind == "padding") {
            const Margins& m = v.spec.margins;
            o = ((cell[0] + m.top) * v.out_shape[1] + cell[1] + m.left) * v.out_shape[2] + cell[2];
        }
        ExplanationTerm t{cell_at(o, v.out_shape), double(d_out[o]), 1.0, false};
        if (e.kind == "activation") t.w = activation_slope(v.spec.activation, double(v.out[o]));
        if (e.kind == "rescaling") t.w = v.spec.scale;
        if (e.kind == "dropout") {
            const std::vector<T>& mask = workspace.scratch(layer).mask;
            if (!mask.empty()) t.w = double(mask[o]);
        }
        e.terms.push_back(std::move(t));
    }
    e.sum = sum_of(e.terms);
    return e;
}

template <typename T>
Explanation explain_weight_gradient(const Network<T>& network, const arma::Col<T>& params,
                                    const Workspace<T>& workspace, std::size_t layer, const Cell& weight)
{
    const LayerView<T> v(network, params, workspace, layer);
    Explanation e = v.start("dW", weight);
    if (e.kind != "conv" && e.kind != "dense")
        throw ShapeError(v.name() + " has no kernel: only a convolution's or a dense layer's weights have a dW");
    const std::vector<ParameterShape> shapes = network.layer_parameter_shapes(layer);
    const ParameterShape& kernel = shapes.front();
    const std::size_t k = flat_index(weight, kernel.shape, v.name() + "'s kernel");
    const arma::Col<T>& grads = workspace.gradients();
    if (grads.n_elem != network.parameter_count()) throw ShapeError("no gradient to explain: run the backward pass first");
    e.value = double(grads[kernel.offset + k]);
    if (e.kind == "dense") {
        const T* dz = v.d_z("dense");
        e.terms.push_back({{std::ptrdiff_t(weight[0])}, double(v.in[weight[0]]), double(dz[weight[1]]), false});
    } else {
        v.conv_geometry_into(e);
        const T* dz = v.d_z("conv");
        const std::size_t h = v.in_shape[0], w = v.in_shape[1], c_prev = v.in_shape[2];
        const std::size_t h_out = v.out_shape[0], w_out = v.out_shape[1], filters = v.out_shape[2];
        const std::size_t di = weight[0], dj = weight[1], c = weight[2], f = weight[3];
        for (std::size_t oy = 0; oy < h_out; ++oy)
            for (std::size_t ox = 0; ox < w_out; ++ox) {
                const std::ptrdiff_t r = std::ptrdiff_t(oy * e.stride.h + di) - std::ptrdiff_t(e.pad_top);
                const std::ptrdiff_t q = std::ptrdiff_t(ox * e.stride.w + dj) - std::ptrdiff_t(e.pad_left);
                const bool inside = r >= 0 && q >= 0 && std::size_t(r) < h && std::size_t(q) < w;
                ExplanationTerm t;
                t.from = at(r, q, std::ptrdiff_t(c));
                t.padding = !inside;
                t.x = inside ? double(v.in[(std::size_t(r) * w + std::size_t(q)) * c_prev + c]) : 0.0;
                t.w = double(dz[(oy * w_out + ox) * filters + f]);
                e.terms.push_back(std::move(t));
            }
    }
    e.sum = sum_of(e.terms);
    return e;
}

template <typename T>
std::vector<Region> receptive_field(const Network<T>& network, std::size_t layer, std::size_t y, std::size_t x)
{
    if (layer >= network.layer_count()) throw ShapeError("layer " + std::to_string(layer) + " does not exist");
    const Shape& out = network.output_shape(layer);
    if (out.rank() != 3 || y >= out[0] || x >= out[1])
        throw ShapeError("(" + std::to_string(y) + ", " + std::to_string(x) + ") is not a position of " +
                         network.layer(layer).name() + "'s maps " + out.str());
    std::vector<Region> regions(layer + 1);
    // Rows and columns, unclipped, of the window on the current tensor.
    std::ptrdiff_t top = std::ptrdiff_t(y), bottom = top, left = std::ptrdiff_t(x), right = left;
    bool whole = false;
    for (std::size_t j = layer + 1; j-- > 0;) {
        const LayerSpec spec = network.layer(j).spec();
        const Shape& in = j == 0 ? network.input_shape() : network.output_shape(j - 1);
        if (spec.kind == "conv2d") {
            const std::ptrdiff_t pt = std::ptrdiff_t(conv_pad_before(in[0], spec.kernel.h, spec.stride.h, spec.padding));
            const std::ptrdiff_t pl = std::ptrdiff_t(conv_pad_before(in[1], spec.kernel.w, spec.stride.w, spec.padding));
            top = top * std::ptrdiff_t(spec.stride.h) - pt;
            bottom = bottom * std::ptrdiff_t(spec.stride.h) - pt + std::ptrdiff_t(spec.kernel.h) - 1;
            left = left * std::ptrdiff_t(spec.stride.w) - pl;
            right = right * std::ptrdiff_t(spec.stride.w) - pl + std::ptrdiff_t(spec.kernel.w) - 1;
        } else if (spec.kind == "max_pooling2d" || spec.kind == "average_pooling2d") {
            top *= std::ptrdiff_t(spec.stride.h);
            bottom = bottom * std::ptrdiff_t(spec.stride.h) + std::ptrdiff_t(spec.kernel.h) - 1;
            left *= std::ptrdiff_t(spec.stride.w);
            right = right * std::ptrdiff_t(spec.stride.w) + std::ptrdiff_t(spec.kernel.w) - 1;
        } else if (spec.kind == "zero_padding2d") {
            top -= std::ptrdiff_t(spec.margins.top);
            bottom -= std::ptrdiff_t(spec.margins.top);
            left -= std::ptrdiff_t(spec.margins.left);
            right -= std::ptrdiff_t(spec.margins.left);
        } else if (spec.kind == "dense" || spec.kind == "flatten") {
            whole = true;
        }
        if (in.rank() != 3) whole = true; // behind a flatten: every cell counts
        const std::ptrdiff_t h = in.rank() == 3 ? std::ptrdiff_t(in[0]) : 1, w = in.rank() == 3 ? std::ptrdiff_t(in[1]) : 1;
        if (whole) {
            top = 0, left = 0, bottom = h - 1, right = w - 1;
        } else {
            top = std::clamp<std::ptrdiff_t>(top, 0, h - 1);
            left = std::clamp<std::ptrdiff_t>(left, 0, w - 1);
            bottom = std::clamp<std::ptrdiff_t>(bottom, 0, h - 1);
            right = std::clamp<std::ptrdiff_t>(right, 0, w - 1);
        }
        regions[j] = {std::size_t(top), std::size_t(left), std::size_t(bottom), std::size_t(right)};
    }
    return regions;
}

template <typename T>
std::size_t layer_index(const Network<T>& network, const std::string& name)
{
    std::string names;
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        if (network.layer(i).name() == name) return i;
        if (i) names += ", ";
        names += network.layer(i).name();
    }
    throw ShapeError("the model has no layer '" + name + "'; its layers are " + names);
}

#define CS_EXPLANATION(T)                                                                                            \
    template Explanation explain_forward(const Network<T>&, const arma::Col<T>&, const Workspace<T>&, std::size_t,   \
                                         const Cell&);                                                               \
    template Explanation explain_gradient(const Network<T>&, const arma::Col<T>&, const Workspace<T>&, std::size_t,  \
                                          const Cell&);                                                              \
    template Explanation explain_weight_gradient(const Network<T>&, const arma::Col<T>&, const Workspace<T>&,        \
                                                 std::size_t, const Cell&);                                          \
    template std::vector<Region> receptive_field(const Network<T>&, std::size_t, std::size_t, std::size_t);          \
    template std::size_t layer_index(const Network<T>&, const std::string&);

CS_EXPLANATION(float)
CS_EXPLANATION(double)

} // namespace cs
