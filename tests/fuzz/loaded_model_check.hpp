// What any model a reader accepted must satisfy (fuzz_model, fuzz_keras,
// fuzz_keras_child): within the limits, finite weights, and, if small, a
// forward pass of the right shape. Aborts (a finding) otherwise.
#pragma once

#include "model_file.hpp"

#include <cstdlib>

namespace fuzz {

inline void check_loaded_model(const cs::Sequential<float>& model)
{
    if (model.parameter_count() > cs::model_max_parameters ||
        model.activations_per_sample() > cs::model_max_activations || model.layer_count() > cs::model_max_layers)
        std::abort();
    if (model.parameters().n_elem != model.parameter_count() || !model.parameters().is_finite()) std::abort();
    if (model.activations_per_sample() <= (1u << 16)) {
        const cs::Shape& in = model.input_shape();
        const cs::Tensor<float> batch(cs::Shape{2, in[0], in[1], in[2]});
        cs::Workspace<float> workspace;
        if (!(model.forward(batch, workspace).shape() == cs::Shape{2, model.classes()})) std::abort();
    }
}

} // namespace fuzz
