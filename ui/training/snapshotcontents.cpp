#include "snapshotcontents.h"

#include "loss.hpp"

#include <algorithm>

cs::Tensor<float> dropBatchAxis(const cs::Tensor<float>& t)
{
    cs::Tensor<float> out = t;
    if (t.rank() == 4) out.reshape({t.dim(1), t.dim(2), t.dim(3)});
    else if (t.rank() == 2) out.reshape({t.dim(1)});
    return out;
}

void describeParameters(TrainingSnapshot& s, const cs::Tensor<float>& pinned, cs::Workspace<float>& workspace,
                        const arma::Col<float>* gradients)
{
    const cs::Network<float>& network = *s.network;
    const arma::Col<float>& params = *s.parameters;
    const cs::Tensor<float>& logits = network.forward(params, pinned, workspace);
    s.input = dropBatchAxis(pinned);
    s.layers.clear();
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        const cs::Layer<float>& layer = network.layer(i);
        s.layers.push_back({QString::fromStdString(layer.name()), QString::fromStdString(layer.kind()),
                            dropBatchAxis(workspace.output(i))});
    }
    cs::Tensor<float> probs;
    cs::softmax(logits, probs);
    s.probabilities.assign(probs.data(), probs.data() + probs.size());
    s.predicted = int(std::max_element(s.probabilities.begin(), s.probabilities.end()) - s.probabilities.begin());

    // The kernels and their dW, copied out of the flat vectors.
    s.kernels = convolutionKernels(network, params);
    s.kernelGradients.clear();
    s.gradientNorms.clear();
    if (!gradients) return;
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        const cs::Layer<float>& layer = network.layer(i);
        const QString name = QString::fromStdString(layer.name());
        for (const cs::ParameterShape& p : network.layer_parameter_shapes(i)) {
            if (p.name != "kernel") continue;
            const std::size_t n = p.shape.elements();
            const cs::Tensor<float> gradient = gradients->n_elem == params.n_elem
                                                   ? cs::Tensor<float>(p.shape, gradients->subvec(p.offset, p.offset + n - 1))
                                                   : cs::Tensor<float>(p.shape);
            s.gradientNorms.emplace_back(name, double(arma::norm(gradient.flat())));
            if (layer.kind() == "conv2d") s.kernelGradients.push_back({name, QStringLiteral("kernel"), gradient});
        }
    }
}

std::vector<LayerOutput> convolutionKernels(const cs::Network<float>& network, const arma::Col<float>& params)
{
    std::vector<LayerOutput> kernels;
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        const cs::Layer<float>& layer = network.layer(i);
        if (layer.kind() != "conv2d") continue;
        for (const cs::ParameterShape& p : network.layer_parameter_shapes(i))
            if (p.name == "kernel")
                kernels.push_back({QString::fromStdString(layer.name()), QStringLiteral("kernel"),
                                   cs::Tensor<float>(p.shape, params.subvec(p.offset, p.offset + p.shape.elements() - 1))});
    }
    return kernels;
}
