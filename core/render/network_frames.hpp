// Frames of a network's state at one parameter vector, drawn without Qt in
// the palette of frame_palette.hpp: what `convscope-cli timeline` animates
// over the steps a ParameterTimeline kept. Three views:
//
//   kernels  every conv2d layer's kernel (kh, kw, c_prev, c_new) as a block
//            of kh x kw tiles, a row per input channel and a column per
//            filter (16 a row, then the row wraps); blue negative, white 0,
//            red positive, on a scale symmetric about 0 for each layer
//   maps     one layer's output for the sample: (h, w, c) as c tiles of
//            h x w in a near-square grid (a flat output (n,) as one tile
//            1 x n) on the grey ramp, each value an integer number of pixels
//            on a side, so that the frame is about 640 pixels wide
//   network  the sample and every conv2d and pooling layer's maps as
//            columns, left to right (as the window's network view), then the
//            class probabilities as bars (the label's green)
// Every frame has the caption "step 1,234" at its top left, and the same
// size: the layout depends on the network and the view alone.
//
// Colour scales: one per drawn tensor for the whole animation. Kernels run
// from -s to s, s the largest |w| of the layer in any frame; maps from the
// smallest to the largest value of the layer in any frame. So measure()
// every frame before render()ing any. Scaling each frame on its own would
// stretch every frame's contrast: the colours would flicker, and weights
// that grow would look the same throughout. A scale from the last frame
// alone would clip the early frames. With the range of all frames nothing
// clips, frames compare, and growth shows as growth.
#pragma once

#include "gif_file.hpp"
#include "network.hpp"
#include "parameter_timeline.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cs {

enum class FrameViewKind { kernels, maps, network };

struct FrameView {
    FrameViewKind kind = FrameViewKind::kernels;
    std::size_t layer = 0; // maps: the layer whose output is drawn
};

// Where one drawn tensor sits in the frame.
struct FrameTile {
    std::string layer;              // the layer's name, or "input"
    std::size_t index = 0;          // kernels: c_prev index * filters + filter; maps: the channel
    std::size_t x = 0, y = 0;       // the top-left pixel of its first cell
    std::size_t rows = 0, cols = 0; // cells: (kh, kw) of a kernel, (h, w) of a map
    std::size_t cell = 1;           // pixels on a cell's side
};

class FrameRenderer {
public:
    // The network must outlive the renderer. sample: one input (h, w, c) or
    // (1, h, w, c) of the network's input shape, for maps and network;
    // class_names (one per class, else "0", "1"...) and label (or -1) for
    // the network view's bars. ShapeError if the sample does not fit, the
    // view has nothing to draw (kernels without a conv2d layer) or the
    // frame would be over 4096 pixels on a side.
    FrameRenderer(const Network<float>& network, FrameView view, const Tensor<float>& sample = {},
                  std::vector<std::string> class_names = {}, int label = -1);

    // Widens the colour scales to what `params` gives.
    void measure(const arma::Col<float>& params);
    // The frame of `params`, captioned with `step` (measured first if
    // nothing has been). ShapeError if params is not the network's size.
    IndexedImage render(const arma::Col<float>& params, std::uint64_t step);

    std::size_t width() const { return width_; }
    std::size_t height() const { return height_; }
    const std::vector<FrameTile>& tiles() const { return tiles_; }

private:
    // The tiles of one tensor and its colour range.
    struct Panel {
        std::ptrdiff_t layer;   // -1: the input
        std::size_t first, count; // its tiles
        std::size_t channels = 1; // c of (h, w, c); a kernel's c_new
        float lo, hi;           // kernels: hi is the scale
    };
    struct Label {
        std::size_t x, y;
        std::string text;
    };
    void check_parameters(const arma::Col<float>& params) const;
    const float* kernel_of(const arma::Col<float>& params, std::size_t layer) const;
    const float* values_of(const Panel& panel) const; // after a pass through workspace_
    void add_panel(std::ptrdiff_t layer, std::size_t channels);
    void layout_kernels();
    void layout_maps();
    void layout_network();

    const Network<float>& network_;
    FrameView view_;
    Tensor<float> sample_; // (h, w, c)
    std::vector<std::string> class_names_;
    int label_;
    Workspace<float> workspace_;
    std::vector<Panel> panels_;
    std::vector<FrameTile> tiles_;
    std::vector<Label> labels_;
    std::size_t bars_x_ = 0, bars_y_ = 0, bar_names_width_ = 0;
    std::size_t width_ = 0, height_ = 0;
    bool measured_ = false;
};

// The frames of kept steps (step, parameters), ascending: every one
// measured, then every one drawn.
std::vector<IndexedImage> render_frames(FrameRenderer& renderer,
                                        const std::vector<std::pair<std::uint64_t, ParameterTimeline::Parameters>>& steps);

// 1234567 -> "1,234,567".
std::string grouped_digits(std::uint64_t n);

} // namespace cs
