// A TrainingSnapshot as the training worker makes one, for the GUI tests
// that feed a view without a worker: test image `index` of `data` through
// `network` with `params` (computeGradients' forward pass).
#pragma once

#include "gradientcompute.h"
#include "trainingtypes.h"

#include "dataset.hpp"

#include <algorithm>

inline TrainingSnapshot pinnedSnapshot(const cs::Network<float>& network, const arma::Col<float>& params,
                                       const cs::Dataset& data, int index)
{
    const cs::Shape in = network.input_shape();
    const std::size_t n = in.elements();
    cs::Tensor<float> x(in);
    std::copy_n(data.test_images.data() + std::size_t(index) * n, n, x.data());
    cs::Workspace<float> ws;
    const GradientSnapshot g = computeGradients(network, params, x, 0, ws);
    TrainingSnapshot s;
    s.pinnedTest = true;
    s.pinnedIndex = index;
    s.pinnedLabel = data.test_labels[std::size_t(index)];
    s.input = x;
    s.layers = g.activations;
    s.probabilities = g.probabilities;
    s.predicted = g.predicted;
    return s;
}
