#include "gradientcompute.h"

#include "saliency.hpp"

GradientSnapshot computeGradients(const cs::Network<float>& network, const arma::Col<float>& parameters,
                                  const cs::Tensor<float>& sample, int target, cs::Workspace<float>& workspace)
{
    if (target < 0) throw cs::ShapeError("computeGradients: no class chosen");
    cs::SampleGradients<float> g = cs::sample_gradients(network, parameters, sample, std::size_t(target), workspace);
    GradientSnapshot s;
    s.target = target;
    s.predicted = int(g.predicted);
    s.loss = g.loss;
    s.probabilities = std::move(g.probabilities);
    s.input = sample;
    const cs::Shape& in = network.input_shape();
    s.input.reshape(in);
    s.saliency = std::move(g.input_gradient);
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        const auto& layer = network.layer(i);
        const QString name = QString::fromStdString(layer.name()), kind = QString::fromStdString(layer.kind());
        s.activations.push_back({name, kind, std::move(g.outputs[i])});
        s.gradients.push_back({name, kind, std::move(g.output_gradients[i])});
    }
    return s;
}
