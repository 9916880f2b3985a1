#include "sequential.hpp"

#include "checked_arithmetic.hpp"
#include "conv2d_layer.hpp"
#include "dense_layer.hpp"
#include "flatten_layer.hpp"
#include "pool2d_layer.hpp"

#include <map>

namespace cs {

template <typename T>
Sequential<T>::Sequential(const Shape& input)
{
    if (input.rank() != 3 || input.elements() == 0)
        throw ShapeError("Sequential: the input must be one sample (h, w, c), not " + input.str());
    shapes_.push_back(input);
    activations_per_sample_ = input.elements();
}

template <typename T>
void Sequential<T>::add(std::unique_ptr<Layer<T>> layer)
{
    if (built_) throw ShapeError("Sequential: cannot add layers after build()");
    // Everything that can throw first, so that a refused layer leaves the model as it was.
    const Shape& in = shapes_.back();
    const Shape out = layer->output_shape(in);
    const std::size_t parameters = checked_add(parameter_count_, layer->parameter_count(in), "the model's parameters");
    const std::size_t activations =
        checked_add(activations_per_sample_, layer->forward_elements(in), "the model's activations per sample");
    // Keras' default names: the first of a kind is "dense", then "dense_1"...
    std::size_t same_kind = 0;
    for (const auto& l : layers_) same_kind += l->kind() == layer->kind();
    layer->set_name(same_kind ? layer->kind() + "_" + std::to_string(same_kind) : layer->kind());
    offsets_.push_back(parameter_count_);
    shapes_.push_back(out);
    layers_.push_back(std::move(layer));
    parameter_count_ = parameters;
    activations_per_sample_ = activations;
}

template <typename T>
void Sequential<T>::build(std::uint64_t seed)
{
    allocate();
    initialize(seed);
}

template <typename T>
void Sequential<T>::allocate()
{
    if (built_) throw ShapeError("Sequential: already built");
    check_complete();
    // parameter_count_ and offsets_ were summed with overflow checks in add():
    // every layer's views lie inside these two buffers.
    params_.zeros(parameter_count_);
    grads_.zeros(parameter_count_);
    for (std::size_t i = 0; i < layers_.size(); ++i)
        layers_[i]->bind(shapes_[i], params_.memptr() + offsets_[i], grads_.memptr() + offsets_[i]);
    outputs_.resize(layers_.size());
    d_outputs_.resize(layers_.size() + 1);
    built_ = true;
}

template <typename T>
void Sequential<T>::check_complete() const
{
    if (layers_.empty()) throw ShapeError("Sequential: no layers");
    if (shapes_.back().rank() != 1)
        throw ShapeError("Sequential: the last layer must give flat logits, not " + shapes_.back().str());
}

template <typename T>
std::vector<ParameterShape> Sequential<T>::parameter_shapes() const
{
    std::vector<ParameterShape> all;
    for (std::size_t i = 0; i < layers_.size(); ++i)
        for (ParameterShape& p : layers_[i]->parameter_shapes(shapes_[i]))
            all.push_back({layers_[i]->name() + "/" + p.name, p.shape});
    return all;
}

template <typename T>
void Sequential<T>::initialize(std::uint64_t seed)
{
    HeNormal init(seed);
    for (auto& layer : layers_) layer->initialize(init);
    grads_.zeros();
}

template <typename T>
void Sequential<T>::set_parameters(const arma::Col<T>& values)
{
    if (values.n_elem != params_.n_elem)
        throw ShapeError("Sequential: " + std::to_string(values.n_elem) + " parameters given, the model has " +
                         std::to_string(params_.n_elem));
    params_ = values; // copies into the same buffer: the layers' views stay valid
}

template <typename T>
std::vector<LayerSpec> Sequential<T>::architecture() const
{
    std::vector<LayerSpec> specs;
    for (const auto& l : layers_) specs.push_back(l->spec());
    return specs;
}

template <typename T>
const Tensor<T>& Sequential<T>::forward(const Tensor<T>& batch)
{
    const Shape& s = shapes_.front();
    if (batch.rank() != 4 || batch.dim(1) != s[0] || batch.dim(2) != s[1] || batch.dim(3) != s[2] ||
        batch.dim(0) == 0)
        throw ShapeError("Sequential: batch " + batch.shape().str() + " does not match the model's input " +
                         s.str());
    input_ = &batch;
    const Tensor<T>* x = &batch;
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        layers_[i]->forward(*x, outputs_[i]);
        x = &outputs_[i];
    }
    return *x;
}

template <typename T>
void Sequential<T>::backward(const Tensor<T>& d_logits, bool input_gradient)
{
    if (!input_ || !(d_logits.shape() == outputs_.back().shape()))
        throw ShapeError("Sequential: backward needs dL/dlogits of the last forward's shape");
    d_outputs_.back().resize(d_logits.shape());
    d_outputs_.back().flat() = d_logits.flat();
    for (std::size_t i = layers_.size(); i-- > 0;) {
        const Tensor<T>& in = i == 0 ? *input_ : outputs_[i - 1];
        Tensor<T>* d_in = i > 0 || input_gradient ? &d_outputs_[i] : nullptr;
        layers_[i]->backward(in, outputs_[i], d_outputs_[i + 1], d_in);
    }
}

template <typename T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& s)
{
    if (s.kind == "conv2d") return std::make_unique<Conv2D<T>>(s.units, s.kernel, s.padding, s.activation, s.stride);
    if (s.kind == "max_pooling2d") return std::make_unique<Pool2D<T>>(s.kernel, s.stride, PoolMode::max);
    if (s.kind == "average_pooling2d") return std::make_unique<Pool2D<T>>(s.kernel, s.stride, PoolMode::avg);
    if (s.kind == "flatten") return std::make_unique<Flatten<T>>();
    if (s.kind == "dense") return std::make_unique<Dense<T>>(s.units, s.activation);
    throw ShapeError("unknown layer kind '" + s.kind + "'");
}

template <typename T>
std::unique_ptr<Sequential<T>> make_model(const Shape& input, const std::vector<LayerSpec>& layers,
                                          std::uint64_t seed)
{
    auto model = std::make_unique<Sequential<T>>(input);
    for (const auto& spec : layers) model->add(make_layer<T>(spec));
    model->build(seed);
    return model;
}

template class Sequential<float>;
template class Sequential<double>;
template std::unique_ptr<Layer<float>> make_layer<float>(const LayerSpec&);
template std::unique_ptr<Layer<double>> make_layer<double>(const LayerSpec&);
template std::unique_ptr<Sequential<float>> make_model<float>(const Shape&, const std::vector<LayerSpec>&,
                                                             std::uint64_t);
template std::unique_ptr<Sequential<double>> make_model<double>(const Shape&, const std::vector<LayerSpec>&,
                                                               std::uint64_t);

} // namespace cs
