#include "gradientcompute.h"

#include "saliency.hpp"

GradientSnapshot computeGradients(cs::Sequential<float>& model, const cs::Tensor<float>& sample, int target)
{
    if (target < 0) throw cs::ShapeError("computeGradients: no class chosen");
    cs::SampleGradients<float> g = cs::sample_gradients(model, sample, std::size_t(target));
    GradientSnapshot s;
    s.target = target;
    s.predicted = int(g.predicted);
    s.loss = g.loss;
    s.probabilities = std::move(g.probabilities);
    s.input = sample;
    const cs::Shape& in = model.input_shape();
    s.input.reshape(in);
    s.saliency = std::move(g.input_gradient);
    for (std::size_t i = 0; i < model.layer_count(); ++i) {
        const auto& layer = model.layer(i);
        const QString name = QString::fromStdString(layer.name()), kind = QString::fromStdString(layer.kind());
        s.activations.push_back({name, kind, std::move(g.outputs[i])});
        s.gradients.push_back({name, kind, std::move(g.output_gradients[i])});
    }
    return s;
}
