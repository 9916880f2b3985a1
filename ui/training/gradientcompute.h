// The backward view's numbers for one sample: cs::sample_gradients (one
// forward and one backward of the sample through the caller's workspace, on
// a parameter snapshot, the loss taken for a chosen class) packaged as the per-layer tensors the
// network view's columns show.
//
//   activations[i]  A_i, the output of layer i (sequential colour scale)
//   gradients[i]    dA_i = dL/dA_i for L = -log p[target] (diverging scale):
//                   after pool 2, conv 2, pool 1, conv 1 ...
//   saliency        dL/dx, the gradient on the input image
// Negative (blue) dA: more of that activation would raise p[target].
#pragma once

#include "trainingtypes.h"

#include "network.hpp"

#include <vector>

struct GradientSnapshot {
    int target = -1;    // the class the loss was taken for
    int predicted = -1;
    double loss = 0;    // -log p[target]
    std::vector<float> probabilities;
    cs::Tensor<float> input;    // (h, w, c)
    cs::Tensor<float> saliency; // dL/dx, (h, w, c)
    std::vector<LayerOutput> activations, gradients; // one per layer
};

Q_DECLARE_METATYPE(GradientSnapshot)

// sample (h, w, c) or (1, h, w, c). Throws cs::ShapeError when the sample
// does not fit the model or target is not a class.
GradientSnapshot computeGradients(const cs::Network<float>& network, const arma::Col<float>& parameters,
                                  const cs::Tensor<float>& sample, int target, cs::Workspace<float>& workspace);
