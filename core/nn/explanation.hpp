// Explanation: one number of a pass through the network, as the sum that
// made it (CNN Explainer's click, for every layer and in both directions).
// These are the course's four functions, one output at a time.
//
// Everything is read from a workspace after a pass of ONE sample, with the
// parameters of that pass: the values are those the core computed, and the
// terms are the core's inputs and weights (each product and the sum are
// taken in double). Notation: A_i is layer i's output, A_-1 the input,
// (pt, pl) the leading padding of 'same', (sh, sw) the stride.
//
// explain_forward(layer i, a cell of A_i), after a forward pass:
//   conv   A_i[y,x,f] = act(z),  z = sum over di, dj, c of
//            A_{i-1}[y*sh - pt + di, x*sw - pl + dj, c] * W[di,dj,c,f]  + b[f]
//          one term per tap, (di, dj, c) in C order; a tap in the padding
//          keeps its coordinates (outside the map) and x = 0.
//   pool   max: A_i[y,x,c] = the largest of A_{i-1}[y*sh + di, x*sw + dj, c],
//          the winner the first maximum in row-major order (the core's own);
//          avg: their mean.
//   dense  A_i[u] = act(z),  z = sum over k of A_{i-1}[k] * W[k,u] + b[u],
//          the terms sorted by |x * w|, the largest contribution first.
//   other  one term: activation f(x); rescaling x * scale + offset; zero
//          padding, flatten and dropout (off outside training) copy x.
// explain_gradient(layer i, a cell of A_{i-1}), after a backward pass with
// the input gradient (sample_gradients leaves one): dL/dA_{i-1}[cell], as
// layer i's backward wrote it. A term's x is the gradient arriving at the
// output cell `from`, w what it is multiplied by:
//   conv   sum over every output (oy, ox) whose window covers the cell and
//          every filter f of dZ[oy,ox,f] * W[di,dj,c,f] (conv_backward's
//          dA_prev), with dZ = dA_i * act'(z);
//   pool   sum over every window that covers the cell of dA_i * share:
//          max: 1 if the cell is the window's winner, else 0; avg 1/(kh*kw);
//   dense  sum over u of dZ[u] * W[k,u];
//   other  activation: dA_i * act'(z); rescaling: dA_i * scale; the rest
//          pass dA_i on (0 for a zero padding's margin).
// explain_weight_gradient(layer i, an index of its kernel), after a backward
// pass: dL/dW, what conv_backward's dW (or a dense layer's) holds:
//   conv   dW[di,dj,c,f] = sum over (oy, ox) of A_{i-1}[oy*sh - pt + di, ox*sw - pl + dj, c] * dZ[oy,ox,f]
//   dense  dW[k,u] = A_{i-1}[k] * dZ[u]
//
// Each throws ShapeError naming the layer and its shape when the cell is not
// one of its cells, the workspace holds more than one sample, or (for
// gradients) the backward pass has not been run through it.
#pragma once

#include "network.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cs {

// A cell of a per-sample tensor: (y, x, c) of maps, (k) of units.
using Cell = std::vector<std::size_t>;

struct ExplanationTerm {
    std::vector<std::ptrdiff_t> from; // a cell of the tensor the term reads (outside it for a padding tap)
    double x = 0;                     // the value read there (0 for padding)
    double w = 1;                     // what it is multiplied by
    bool padding = false;
    double product() const { return x * w; }
};

struct Explanation {
    std::string layer;       // the layer's Keras name
    std::size_t layer_index = 0;
    std::string kind;        // "conv", "pool", "dense", "activation", "rescaling", "padding", "flatten", "dropout"
    std::string quantity;    // "A" (forward), "dA" (input gradient), "dW" (kernel gradient)
    Cell cell;               // in the layer's output (A), its input (dA), its kernel (dW)
    std::string source;      // whose cells the terms' `from` are: a layer's name, or "input"
    Shape source_shape;      // and that tensor's per-sample shape
    double value = 0;        // the number the core computed at `cell`
    double sum = 0;          // the sum of the terms' products, + bias (+ offset): z
    std::optional<double> bias; // conv and dense forward with a bias; rescaling's offset
    Activation activation = Activation::linear; // applied to the sum (forward) or whose derivative dZ holds
    double activated = 0;       // forward: activation(sum), recomputed in double; equals value to float precision
    std::vector<ExplanationTerm> terms;

    // conv (forward and its gradients): the window's geometry.
    KernelShape kernel{0, 0};
    Stride stride{1, 1};
    Padding padding = Padding::valid;
    std::size_t pad_top = 0, pad_left = 0;
    std::ptrdiff_t corner_row = 0, corner_col = 0; // the window's first tap (forward)

    // pool
    std::optional<PoolMode> pool_mode;
    std::optional<Cell> winner; // max pooling forward: the cell of A_{i-1} that won
};

// The window of a tensor that one cell depends on: rows top..bottom and
// columns left..right, inclusive, clipped to the tensor.
struct Region {
    std::size_t top = 0, left = 0, bottom = 0, right = 0;
    friend bool operator==(const Region&, const Region&) = default;
};

template <typename T>
Explanation explain_forward(const Network<T>& network, const arma::Col<T>& params, const Workspace<T>& workspace,
                            std::size_t layer, const Cell& cell);

template <typename T>
Explanation explain_gradient(const Network<T>& network, const arma::Col<T>& params, const Workspace<T>& workspace,
                             std::size_t layer, const Cell& cell);

template <typename T>
Explanation explain_weight_gradient(const Network<T>& network, const arma::Col<T>& params,
                                    const Workspace<T>& workspace, std::size_t layer, const Cell& weight);

// The receptive field of cell (y, x) of layer `layer`'s maps, on every map
// before it: regions[j] is the window of A_{j-1} (regions[0]: the input),
// for j = 0..layer. A dense layer or flatten on the way makes it the whole
// map. ShapeError unless the layer's output is maps and (y, x) one of its
// positions.
template <typename T>
std::vector<Region> receptive_field(const Network<T>& network, std::size_t layer, std::size_t y, std::size_t x);

// "(3, 4, 2)", "(7,)" as NumPy prints an index; coordinates may be negative (a padding tap).
std::string cell_text(const Cell& cell);
std::string cell_text(const std::vector<std::ptrdiff_t>& cell);

// The layer named `name`; ShapeError listing the names when there is none.
template <typename T>
std::size_t layer_index(const Network<T>& network, const std::string& name);

} // namespace cs
