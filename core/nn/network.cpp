#include "network.hpp"

#include "checked_arithmetic.hpp"

#include <cstring>

namespace cs {

template <typename T>
Network<T>::Network(const Shape& input)
{
    if (input.rank() != 3 || input.elements() == 0)
        throw ShapeError("Sequential: the input must be one sample (h, w, c), not " + input.str());
    shapes_.push_back(input);
    activations_per_sample_ = input.elements();
}

template <typename T>
void Network<T>::add(std::unique_ptr<Layer<T>> layer)
{
    // Everything that can throw first, so that a refused layer leaves the network as it was.
    const Shape& in = shapes_.back();
    const Shape out = layer->output_shape(in);
    const std::size_t parameters = checked_add(parameter_count_, layer->parameter_count(in), "the model's parameters");
    const std::size_t activations =
        checked_add(activations_per_sample_, layer->forward_elements(in), "the model's activations per sample");
    // A layer without a name gets Keras' default: the first of a kind is
    // "dense", then "dense_1"... (a name read from a file is kept).
    if (layer->name().empty()) {
        std::size_t same_kind = 0;
        for (const auto& l : layers_) same_kind += l->kind() == layer->kind();
        layer->set_name(same_kind ? layer->kind() + "_" + std::to_string(same_kind) : layer->kind());
    }
    offsets_.push_back(parameter_count_);
    shapes_.push_back(out);
    layers_.push_back(std::move(layer));
    parameter_count_ = parameters;
    activations_per_sample_ = activations;
}

template <typename T>
void Network<T>::check_complete() const
{
    if (layers_.empty()) throw ShapeError("Sequential: no layers");
    if (shapes_.back().rank() != 1)
        throw ShapeError("Sequential: the last layer must give flat logits, not " + shapes_.back().str());
}

template <typename T>
std::vector<ParameterShape> Network<T>::layer_parameter_shapes(std::size_t i) const
{
    std::vector<ParameterShape> shapes = layers_.at(i)->parameter_shapes(shapes_[i]);
    for (ParameterShape& p : shapes) p.offset += offsets_[i];
    return shapes;
}

template <typename T>
std::vector<ParameterShape> Network<T>::parameter_shapes() const
{
    std::vector<ParameterShape> all;
    for (std::size_t i = 0; i < layers_.size(); ++i)
        for (ParameterShape& p : layer_parameter_shapes(i))
            all.push_back({layers_[i]->name() + "/" + p.name, p.shape, p.offset});
    return all;
}

template <typename T>
std::size_t Network<T>::forward_multiply_adds() const
{
    std::size_t total = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) total += layers_[i]->forward_multiply_adds(shapes_[i]);
    return total;
}

template <typename T>
std::size_t Network<T>::training_multiply_adds() const
{
    std::size_t total = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        const std::size_t forward = layers_[i]->forward_multiply_adds(shapes_[i]);
        total += forward * (i == 0 ? 2 : 3); // backward() skips the input's gradient
    }
    return total;
}

template <typename T>
std::vector<LayerSpec> Network<T>::architecture() const
{
    std::vector<LayerSpec> specs;
    for (const auto& l : layers_) specs.push_back(l->spec());
    return specs;
}

template <typename T>
void Network<T>::initialize(arma::Col<T>& params, std::uint64_t seed) const
{
    params.zeros(parameter_count_);
    HeNormal init(seed);
    for (std::size_t i = 0; i < layers_.size(); ++i)
        layers_[i]->initialize(init, shapes_[i], params.memptr() + offsets_[i]);
}

template <typename T>
void Network<T>::check_parameters(const arma::Col<T>& params) const
{
    if (params.n_elem != parameter_count_)
        throw ShapeError("Sequential: " + std::to_string(params.n_elem) + " parameters given, the model has " +
                         std::to_string(parameter_count_));
}

template <typename T>
const Tensor<T>& Network<T>::forward(const arma::Col<T>& params, const Tensor<T>& batch, Workspace<T>& ws,
                                     const PassMode& mode) const
{
    check_complete();
    check_parameters(params);
    const Shape& s = shapes_.front();
    if (batch.rank() != 4 || batch.dim(1) != s[0] || batch.dim(2) != s[1] || batch.dim(3) != s[2] ||
        batch.dim(0) == 0)
        throw ShapeError("Sequential: batch " + batch.shape().str() + " does not match the model's input " +
                         s.str());
    // A workspace that served another network starts afresh (sizes only
    // change here, never in a warm workspace).
    if (ws.outputs_.size() != layers_.size()) {
        ws.outputs_.assign(layers_.size(), {});
        ws.d_outputs_.assign(layers_.size() + 1, {});
        ws.scratch_.assign(layers_.size(), {});
    }
    ws.forward_layers_ = 0; // until this pass has filled the workspace
    // Backward reads the input again: the workspace keeps its own copy, so
    // nothing of the caller's has to outlive the pass.
    if (&batch != &ws.input_) {
        ws.input_.resize(batch.shape());
        std::memcpy(ws.input_.data(), batch.data(), batch.size() * sizeof(T));
    }
    const Tensor<T>* x = &ws.input_;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        // Two dropout layers never draw the same mask (a large odd multiplier
        // keeps the layers' seeds far apart).
        const PassMode layer_mode{mode.training, mode.seed ^ (0x9e3779b97f4a7c15ull * (i + 1)), mode.first_sample};
        layers_[i]->forward(params.memptr() + offsets_[i], *x, ws.outputs_[i], ws.scratch_[i], layer_mode);
        x = &ws.outputs_[i];
    }
    ws.forward_layers_ = layers_.size();
    return *x;
}

template <typename T>
void Network<T>::backward(const arma::Col<T>& params, const Tensor<T>& d_logits, Workspace<T>& ws,
                          bool input_gradient) const
{
    check_parameters(params);
    if (ws.forward_layers_ != layers_.size() || !(d_logits.shape() == ws.outputs_.back().shape()))
        throw ShapeError("Sequential: backward needs dL/dlogits of the shape of the last forward through this "
                         "workspace");
    if (ws.d_params_.n_elem != parameter_count_) ws.d_params_.zeros(parameter_count_);
    ws.d_outputs_.back().resize(d_logits.shape());
    ws.d_outputs_.back().flat() = d_logits.flat();
    for (std::size_t i = layers_.size(); i-- > 0;) {
        const Tensor<T>& in = i == 0 ? ws.input_ : ws.outputs_[i - 1];
        Tensor<T>* d_in = i > 0 || input_gradient ? &ws.d_outputs_[i] : nullptr;
        layers_[i]->backward(params.memptr() + offsets_[i], in, ws.outputs_[i], ws.d_outputs_[i + 1], ws.scratch_[i],
                             ws.d_params_.memptr() + offsets_[i], d_in);
    }
}

template class Network<float>;
template class Network<double>;

} // namespace cs
