// What a click on a cell of the network view asks, and the core's answer
// (cs::explain_*, core/nn/explanation.hpp) for the sample shown, with the
// parameters shown.
//
//   activations shown: the column of layer L, cell (y, x, c) or (k):
//     explain_forward(L, cell), and for maps the receptive field on every
//     map before (field[j] is the window on A_{j-1}, field[0] on the input).
//   gradients shown: the column of layer L shows dA_L, which layer L+1's
//     backward wrote: explain_gradient(L+1, cell). A flatten between them is
//     looked through (its unit k is the same number as the map's cell), so
//     a click on the last pooling's dA shows the dense layer's sum. The
//     input column shows dL/dx: explain_gradient(0, cell).
//   a weight of a kernel (gradients shown): its dL/dW for this sample,
//     explain_weight_gradient (the Weight Gradients dock shows the batch's).
// One forward pass (and backward, for gradients) of one sample through the
// caller's workspace: well under a millisecond for LeNet-5, so the panel
// runs it on the GUI thread, as the lens does.
#pragma once

#include "explanation.hpp"
#include "network.hpp"

#include <optional>
#include <vector>

struct CellQuestion {
    int layer = -1; // the column's layer; -1: the input
    cs::Cell cell;  // (row, column, channel) of maps, (unit) of a strip
    bool gradient = false;
    int target = -1; // gradient: the class the loss is taken for
    // A weight of layer `layer`'s kernel (di, dj, c, f) instead of a cell:
    // its dL/dW for the sample (explain_weight_gradient); needs gradient.
    bool weight = false;
};

struct CellAnswer {
    cs::Explanation explanation;
    std::vector<cs::Region> field; // forward, maps: the receptive field
    // Gradient through a flatten: the flatten's index and the cell's unit there (-1: none).
    int flatten = -1;
    std::size_t unit = 0;
    // Gradient at a pooling's output: where that gradient goes next (the
    // pooling's own forward window: to its winner, or shared by the window).
    std::optional<cs::Explanation> onward;
};

// Throws cs::ShapeError when the question does not fit the network (a cell
// outside, the input's activations: nothing computed them).
CellAnswer explainCell(const cs::Network<float>& network, const arma::Col<float>& parameters,
                       const cs::Tensor<float>& sample, const CellQuestion& question, cs::Workspace<float>& workspace);
