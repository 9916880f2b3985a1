// What a snapshot shows of a model at some parameters, computed the same way
// for the live model (the worker, after a slice of steps) and for a kept
// step of the timeline (the window, on demand).
#pragma once

#include "trainingtypes.h"

#include "workspace.hpp"

// Fills, from s.network and s.parameters (both set by the caller):
//   s.input, s.layers      the pinned sample (1, h, w, c) through every layer
//   s.probabilities, s.predicted
//   s.kernels              every convolution's kernels (kh, kw, c_prev, c_new)
//   s.kernelGradients, s.gradientNorms
//                          from `gradients` (the flat dL/dparameters of the same
//                          parameters, e.g. the last step's), when given; zeros
//                          if it does not fit the parameters
// The pass runs through `workspace`, which it overwrites.
void describeParameters(TrainingSnapshot& s, const cs::Tensor<float>& pinned, cs::Workspace<float>& workspace,
                        const arma::Col<float>* gradients);

// Every convolution's kernels (kh, kw, c_prev, c_new) in `params`, in layer order.
std::vector<LayerOutput> convolutionKernels(const cs::Network<float>& network, const arma::Col<float>& params);

// A batch tensor's sample without its batch axis: (1, h, w, c) -> (h, w, c), (1, k) -> (k).
cs::Tensor<float> dropBatchAxis(const cs::Tensor<float>& t);
