#include "network_frames.hpp"

#include "bitmap_font.hpp"
#include "errors.hpp"
#include "frame_palette.hpp"
#include "saliency.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cs {

namespace {

constexpr std::size_t margin = 8;        // around the frame
constexpr std::size_t gap = 6;           // between tiles (their 1-pixel border inside it)
constexpr std::size_t caption_scale = 2; // "step 1,234"
constexpr std::size_t top = margin + glyph_height * caption_scale + 10; // below the caption
constexpr std::size_t title_height = glyph_height + 6;                   // a title over tiles
constexpr std::size_t max_side = 4096;

// Kernels: filters a row, and the widest row's target in pixels.
constexpr std::size_t kernels_per_row = 16;
constexpr std::size_t kernels_width = 624;
// Maps: the grid's target size.
constexpr std::size_t maps_width = 640, maps_height = 560;
// Network: a column's target height, its largest cell, the bars' length.
constexpr std::size_t column_height = 240, column_max_cell = 4, bar_length = 100;
constexpr std::size_t bar_pitch = glyph_height + 4;

// (h, w, c) of a per-sample shape; a flat (n,) is one map 1 x n.
struct Maps {
    std::size_t h, w, c;
};
Maps maps_of(const Shape& s)
{
    if (s.rank() == 3) return {s[0], s[1], s[2]};
    return {1, s.elements(), 1};
}

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

// The largest cell that fits `cells` cells in `pixels` (less a tile's gap), from 1 to `most`.
std::size_t fitting_cell(std::size_t pixels, std::size_t cells, std::size_t most)
{
    const std::size_t room = pixels > gap ? pixels - gap : 0;
    return std::clamp<std::size_t>(room / std::max<std::size_t>(cells, 1), 1, most);
}

std::string shape_text(const Shape& s)
{
    std::string t;
    for (std::size_t a = 0; a < s.rank(); ++a) {
        if (a) t += 'x';
        t += std::to_string(s[a]);
    }
    return t;
}

bool draws_maps(const std::string& kind)
{
    return kind == "conv2d" || kind == "max_pooling2d" || kind == "average_pooling2d";
}

void draw_border(IndexedImage& image, const FrameTile& t)
{
    const std::size_t x0 = t.x - 1, y0 = t.y - 1, x1 = t.x + t.cols * t.cell, y1 = t.y + t.rows * t.cell;
    for (std::size_t x = x0; x <= x1; ++x) image.at(x, y0) = image.at(x, y1) = colour_border;
    for (std::size_t y = y0; y <= y1; ++y) image.at(x0, y) = image.at(x1, y) = colour_border;
}

void fill_cell(IndexedImage& image, const FrameTile& t, std::size_t i, std::size_t j, std::uint8_t colour)
{
    for (std::size_t dy = 0; dy < t.cell; ++dy)
        std::fill_n(&image.at(t.x + j * t.cell, t.y + i * t.cell + dy), t.cell, colour);
}

} // namespace

std::string grouped_digits(std::uint64_t n)
{
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

FrameRenderer::FrameRenderer(const Network<float>& network, FrameView view, const Tensor<float>& sample,
                             std::vector<std::string> class_names, int label)
    : network_(network), view_(view), class_names_(std::move(class_names)), label_(label)
{
    if (view.kind != FrameViewKind::kernels) {
        const Shape& in = network.input_shape();
        if (sample.size() != in.elements() || in.rank() != 3)
            throw ShapeError("a frame of maps needs one sample " + in.str() + ", not " + sample.shape().str());
        sample_ = Tensor<float>(in, sample.flat());
    }
    if (class_names_.size() != network.classes()) {
        class_names_.clear();
        for (std::size_t k = 0; k < network.classes(); ++k) class_names_.push_back(std::to_string(k));
    }
    if (view.kind == FrameViewKind::kernels) layout_kernels();
    else if (view.kind == FrameViewKind::maps) layout_maps();
    else layout_network();
    width_ = std::max(width_, margin + text_width("step 0,000,000", caption_scale) + margin);
    if (width_ > max_side || height_ > max_side)
        throw ShapeError("the frame would be " + std::to_string(width_) + "x" + std::to_string(height_) +
                         " pixels, over " + std::to_string(max_side) + " on a side: too many maps to draw at once");
}

void FrameRenderer::add_panel(std::ptrdiff_t layer, std::size_t channels)
{
    panels_.push_back({layer, tiles_.size(), 0, channels, std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity()});
    if (view_.kind == FrameViewKind::kernels) panels_.back().hi = 0;
}

void FrameRenderer::layout_kernels()
{
    std::vector<std::size_t> convs;
    for (std::size_t i = 0; i < network_.layer_count(); ++i)
        if (network_.layer(i).kind() == "conv2d") convs.push_back(i);
    if (convs.empty()) throw ShapeError("the model has no conv2d layer: it has no kernels to draw");
    // One cell size for all layers, so that their weights compare in size too.
    std::size_t cell = 12;
    for (const std::size_t i : convs) {
        const Shape k = network_.layer_parameter_shapes(i).at(0).shape; // (kh, kw, c_prev, c_new)
        const std::size_t cols = std::min(k[3], kernels_per_row);
        cell = std::min(cell, fitting_cell(kernels_width / cols, k[1], 12));
    }
    std::size_t y = top;
    for (const std::size_t i : convs) {
        const Shape k = network_.layer_parameter_shapes(i).at(0).shape;
        const std::size_t kh = k[0], kw = k[1], c_prev = k[2], filters = k[3];
        const std::string title = network_.layer(i).name() + ": " + std::to_string(filters) + " kernels " +
                                  std::to_string(kh) + "x" + std::to_string(kw) + "x" + std::to_string(c_prev);
        labels_.push_back({margin, y, title});
        width_ = std::max(width_, margin + text_width(title) + margin);
        y += title_height;
        add_panel(std::ptrdiff_t(i), filters);
        for (std::size_t c = 0; c < c_prev; ++c) {
            for (std::size_t f = 0; f < filters; ++f) {
                const std::size_t x = margin + (f % kernels_per_row) * (kw * cell + gap);
                tiles_.push_back({network_.layer(i).name(), c * filters + f, x + 1,
                                  y + (f / kernels_per_row) * (kh * cell + gap) + 1, kh, kw, cell});
                width_ = std::max(width_, x + kw * cell + gap + margin);
            }
            y += ceil_div(filters, kernels_per_row) * (kh * cell + gap);
        }
        panels_.back().count = tiles_.size() - panels_.back().first;
        y += 8;
    }
    height_ = y - 8 + margin;
}

void FrameRenderer::layout_maps()
{
    const std::size_t i = view_.layer;
    if (i >= network_.layer_count())
        throw ShapeError("the network has " + std::to_string(network_.layer_count()) + " layers, not a layer " +
                         std::to_string(i));
    const Shape& s = network_.output_shape(i);
    const Maps m = maps_of(s);
    const auto cols = std::size_t(std::ceil(std::sqrt(double(m.c))));
    const std::size_t rows = ceil_div(m.c, cols);
    const std::size_t cell =
        std::min(fitting_cell(maps_width / cols, m.w, 32), fitting_cell(maps_height / rows, m.h, 32));
    const std::string title = network_.layer(i).name() + ": " + shape_text(s);
    labels_.push_back({margin, top, title});
    const std::size_t y = top + title_height;
    add_panel(std::ptrdiff_t(i), m.c);
    for (std::size_t ch = 0; ch < m.c; ++ch)
        tiles_.push_back({network_.layer(i).name(), ch, margin + (ch % cols) * (m.w * cell + gap) + 1,
                          y + (ch / cols) * (m.h * cell + gap) + 1, m.h, m.w, cell});
    panels_.back().count = m.c;
    width_ = std::max(margin + cols * (m.w * cell + gap) + margin, margin + text_width(title) + margin);
    height_ = y + rows * (m.h * cell + gap) + margin;
}

void FrameRenderer::layout_network()
{
    std::vector<std::ptrdiff_t> shown{-1};
    for (std::size_t i = 0; i < network_.layer_count(); ++i)
        if (draws_maps(network_.layer(i).kind()) && network_.output_shape(i).rank() == 3)
            shown.push_back(std::ptrdiff_t(i));
    std::size_t x = margin, bottom = top;
    const std::size_t y = top + title_height;
    for (const std::ptrdiff_t i : shown) {
        const Shape& s = i < 0 ? network_.input_shape() : network_.output_shape(std::size_t(i));
        const std::string name = i < 0 ? "input" : network_.layer(std::size_t(i)).name();
        const Maps m = maps_of(s);
        const auto sub = std::max<std::size_t>(1, std::size_t(std::ceil(std::sqrt(m.c / 2.0))));
        const std::size_t rows = ceil_div(m.c, sub);
        const std::size_t cell = fitting_cell(column_height / rows, m.h, column_max_cell);
        labels_.push_back({x, top, name});
        add_panel(i, m.c);
        for (std::size_t ch = 0; ch < m.c; ++ch)
            tiles_.push_back({name, ch, x + (ch % sub) * (m.w * cell + gap) + 1,
                              y + (ch / sub) * (m.h * cell + gap) + 1, m.h, m.w, cell});
        panels_.back().count = m.c;
        bottom = std::max(bottom, y + rows * (m.h * cell + gap));
        x += std::max(sub * (m.w * cell + gap), text_width(name) + gap) + 10;
    }
    labels_.push_back({x, top, "output"});
    for (const std::string& n : class_names_) bar_names_width_ = std::max(bar_names_width_, text_width(n));
    bars_x_ = x;
    bars_y_ = y;
    width_ = x + bar_names_width_ + 4 + bar_length + 4 + text_width("100%") + margin;
    height_ = std::max(bottom, y + class_names_.size() * bar_pitch) + margin;
}

void FrameRenderer::check_parameters(const arma::Col<float>& params) const
{
    if (params.n_elem != network_.parameter_count())
        throw ShapeError("a frame needs the network's " + std::to_string(network_.parameter_count()) +
                         " parameters, not " + std::to_string(params.n_elem));
}

const float* FrameRenderer::kernel_of(const arma::Col<float>& params, std::size_t layer) const
{
    return params.memptr() + network_.layer_parameter_shapes(layer).at(0).offset;
}

const float* FrameRenderer::values_of(const Panel& panel) const
{
    return panel.layer < 0 ? sample_.data() : workspace_.output(std::size_t(panel.layer)).data();
}

void FrameRenderer::measure(const arma::Col<float>& params)
{
    check_parameters(params);
    measured_ = true;
    if (view_.kind == FrameViewKind::kernels) {
        for (Panel& p : panels_) {
            const float* k = kernel_of(params, std::size_t(p.layer));
            const std::size_t n = network_.layer_parameter_shapes(std::size_t(p.layer)).at(0).shape.elements();
            for (std::size_t j = 0; j < n; ++j)
                if (std::isfinite(k[j])) p.hi = std::max(p.hi, std::abs(k[j]));
        }
        return;
    }
    classify(network_, params, sample_, workspace_);
    for (Panel& p : panels_) {
        const float* v = values_of(p);
        const std::size_t n = p.layer < 0 ? sample_.size() : network_.output_shape(std::size_t(p.layer)).elements();
        for (std::size_t j = 0; j < n; ++j)
            if (std::isfinite(v[j])) {
                p.lo = std::min(p.lo, v[j]);
                p.hi = std::max(p.hi, v[j]);
            }
    }
}

IndexedImage FrameRenderer::render(const arma::Col<float>& params, std::uint64_t step)
{
    if (!measured_) measure(params);
    check_parameters(params);
    IndexedImage image(width_, height_, colour_background);
    draw_text(image, margin, margin, "step " + grouped_digits(step), colour_text, caption_scale);
    for (const Label& l : labels_) draw_text(image, l.x, l.y, l.text, colour_text);

    std::vector<float> probabilities;
    if (view_.kind != FrameViewKind::kernels) probabilities = classify(network_, params, sample_, workspace_);
    for (const Panel& p : panels_) {
        const float* v = view_.kind == FrameViewKind::kernels ? kernel_of(params, std::size_t(p.layer)) : values_of(p);
        for (std::size_t t = p.first; t < p.first + p.count; ++t) {
            const FrameTile& tile = tiles_[t];
            draw_border(image, tile);
            for (std::size_t i = 0; i < tile.rows; ++i)
                for (std::size_t j = 0; j < tile.cols; ++j) {
                    if (view_.kind == FrameViewKind::kernels) {
                        // W (kh, kw, c_prev, c_new), C order; index = c_prev index * c_new + filter
                        const std::size_t c_prev = tile.index / p.channels, f = tile.index % p.channels;
                        const std::size_t c_prevs = network_.layer_parameter_shapes(std::size_t(p.layer))[0].shape[2];
                        const float w = v[((i * tile.cols + j) * c_prevs + c_prev) * p.channels + f];
                        fill_cell(image, tile, i, j, diverging_index(w, p.hi));
                    } else {
                        // maps (h, w, c), c fastest
                        const float a = v[(i * tile.cols + j) * p.channels + tile.index];
                        fill_cell(image, tile, i, j, ramp_index(a, p.lo, p.hi));
                    }
                }
        }
    }
    if (view_.kind == FrameViewKind::network) {
        for (std::size_t k = 0; k < probabilities.size(); ++k) {
            const std::size_t y = bars_y_ + k * bar_pitch;
            draw_text(image, bars_x_, y, class_names_[k], colour_text);
            const float p = std::isfinite(probabilities[k]) ? std::clamp(probabilities[k], 0.0f, 1.0f) : 0.0f;
            const auto length = std::size_t(std::lround(p * bar_length));
            const std::size_t x = bars_x_ + bar_names_width_ + 4;
            const std::uint8_t colour = int(k) == label_ ? colour_label_bar : colour_bar;
            for (std::size_t dy = 0; dy < glyph_height; ++dy) std::fill_n(&image.at(x, y + dy), length, colour);
            draw_text(image, x + bar_length + 4, y, std::to_string(std::lround(p * 100)) + "%", colour_text);
        }
    }
    return image;
}

std::vector<IndexedImage> render_frames(FrameRenderer& renderer,
                                        const std::vector<std::pair<std::uint64_t, ParameterTimeline::Parameters>>& steps)
{
    for (const auto& [step, params] : steps) renderer.measure(*params);
    std::vector<IndexedImage> frames;
    frames.reserve(steps.size());
    for (const auto& [step, params] : steps) frames.push_back(renderer.render(*params, step));
    return frames;
}

} // namespace cs
