#include "saliency.hpp"

#include "loss.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace cs {

namespace {

// The sample as a batch of one (1, h, w, c).
template <typename T>
Tensor<T> as_batch(const Network<T>& network, const Tensor<T>& sample)
{
    const Shape& in = network.input_shape();
    Tensor<T> batch = sample;
    if (batch.rank() == in.rank()) {
        Shape s{1};
        // (h, w, c) -> (1, h, w, c)
        if (in.rank() == 3) s = Shape{1, in[0], in[1], in[2]};
        else if (in.rank() == 1) s = Shape{1, in[0]};
        if (batch.size() == s.elements()) batch.reshape(s);
    }
    bool fits = batch.rank() == in.rank() + 1 && batch.dim(0) == 1;
    for (std::size_t a = 0; fits && a < in.rank(); ++a) fits = batch.dim(a + 1) == in[a];
    if (!fits)
        throw ShapeError("sample_gradients: a sample " + sample.shape().str() + " does not fit the model's input " +
                         in.str());
    return batch;
}

// One sample of a batch-of-one tensor, the batch axis dropped.
template <typename T>
Tensor<T> drop_batch(const Tensor<T>& t)
{
    Shape s;
    if (t.rank() == 4) s = Shape{t.dim(1), t.dim(2), t.dim(3)};
    else if (t.rank() == 3) s = Shape{t.dim(1), t.dim(2)};
    else s = Shape{t.dim(t.rank() - 1)};
    Tensor<T> out = t;
    out.reshape(s);
    return out;
}

} // namespace

template <typename T>
std::vector<T> classify(const Network<T>& network, const arma::Col<T>& params, const Tensor<T>& sample,
                        Workspace<T>& workspace)
{
    const Tensor<T> batch = as_batch(network, sample);
    Tensor<T> probs;
    softmax(network.forward(params, batch, workspace), probs);
    return std::vector<T>(probs.data(), probs.data() + probs.size());
}

template <typename T>
SampleGradients<T> sample_gradients(const Network<T>& network, const arma::Col<T>& params, const Tensor<T>& sample,
                                    std::size_t target, Workspace<T>& workspace)
{
    if (target >= network.classes())
        throw ShapeError("sample_gradients: class " + std::to_string(target) + " out of range for " +
                         std::to_string(network.classes()) + " classes");
    const Tensor<T> batch = as_batch(network, sample);
    const Tensor<T>& logits = network.forward(params, batch, workspace);
    Tensor<T> probs, d_logits;
    const std::uint8_t label = std::uint8_t(target);
    // dL/dz = p - onehot(t) (m = 1): the loss as if t were the label.
    const LossResult r = softmax_cross_entropy(logits, &label, probs, d_logits);
    network.backward(params, d_logits, workspace, /*input_gradient*/ true);

    SampleGradients<T> g;
    g.target = target;
    g.loss = r.loss;
    g.probabilities.assign(probs.data(), probs.data() + probs.size());
    g.predicted = std::size_t(std::max_element(g.probabilities.begin(), g.probabilities.end()) -
                              g.probabilities.begin());
    g.outputs.reserve(network.layer_count());
    g.output_gradients.reserve(network.layer_count());
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        g.outputs.push_back(drop_batch(workspace.output(i)));
        g.output_gradients.push_back(drop_batch(workspace.output_gradient(i)));
    }
    g.input_gradient = drop_batch(workspace.input_gradient());
    return g;
}

template SampleGradients<float> sample_gradients(const Network<float>&, const arma::Col<float>&, const Tensor<float>&,
                                                 std::size_t, Workspace<float>&);
template SampleGradients<double> sample_gradients(const Network<double>&, const arma::Col<double>&,
                                                  const Tensor<double>&, std::size_t, Workspace<double>&);
template std::vector<float> classify(const Network<float>&, const arma::Col<float>&, const Tensor<float>&,
                                     Workspace<float>&);
template std::vector<double> classify(const Network<double>&, const arma::Col<double>&, const Tensor<double>&,
                                      Workspace<double>&);

} // namespace cs
