#include "sequential.hpp"

#include "activation_layer.hpp"
#include "conv2d_layer.hpp"
#include "dense_layer.hpp"
#include "dropout_layer.hpp"
#include "flatten_layer.hpp"
#include "pool2d_layer.hpp"
#include "rescaling_layer.hpp"
#include "zero_padding2d_layer.hpp"

namespace cs {

template <typename T>
Sequential<T>::Sequential(const Shape& input) : network_(std::make_shared<Network<T>>(input))
{
}

template <typename T>
void Sequential<T>::add(std::unique_ptr<Layer<T>> layer)
{
    if (built_) throw ShapeError("Sequential: cannot add layers after build()");
    network_->add(std::move(layer));
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
    network_->check_complete();
    // The parameter count was summed with overflow checks in add().
    params_.zeros(network_->parameter_count());
    built_ = true;
}

template <typename T>
void Sequential<T>::initialize(std::uint64_t seed)
{
    if (!built_) throw ShapeError("Sequential: initialize() before build()");
    network_->initialize(params_, seed);
}

template <typename T>
std::shared_ptr<const Network<T>> Sequential<T>::shared_network() const
{
    if (!built_) throw ShapeError("Sequential: the architecture is shared only once the model is built");
    return network_;
}

template <typename T>
void Sequential<T>::set_parameters(const arma::Col<T>& values)
{
    if (values.n_elem != params_.n_elem)
        throw ShapeError("Sequential: " + std::to_string(values.n_elem) + " parameters given, the model has " +
                         std::to_string(params_.n_elem));
    params_ = values; // same size: copies into the same buffer
}

template <typename T>
std::vector<NamedTensor<T>> Sequential<T>::layer_parameters(std::size_t i)
{
    if (!built_) throw ShapeError("Sequential: no parameters before build()");
    const std::vector<ParameterShape> shapes = network_->layer_parameter_shapes(i);
    // Reserved: a vector that grows copies its tensors, and a copy of a view
    // owns its values.
    std::vector<NamedTensor<T>> views;
    views.reserve(shapes.size());
    for (const ParameterShape& p : shapes)
        views.push_back({p.name, Tensor<T>::view(params_.memptr() + p.offset, p.shape)});
    return views;
}

template <typename T>
const Tensor<T>& Sequential<T>::forward(const Tensor<T>& batch, Workspace<T>& workspace, const PassMode& mode) const
{
    return network().forward(params_, batch, workspace, mode);
}

template <typename T>
void Sequential<T>::backward(const Tensor<T>& d_logits, Workspace<T>& workspace, bool input_gradient) const
{
    network().backward(params_, d_logits, workspace, input_gradient);
}

template <typename T>
std::unique_ptr<Layer<T>> make_layer(const LayerSpec& s)
{
    if (s.kind == "conv2d")
        return std::make_unique<Conv2D<T>>(s.units, s.kernel, s.padding, s.activation, s.stride, s.use_bias);
    if (s.kind == "max_pooling2d") return std::make_unique<Pool2D<T>>(s.kernel, s.stride, PoolMode::max);
    if (s.kind == "average_pooling2d") return std::make_unique<Pool2D<T>>(s.kernel, s.stride, PoolMode::avg);
    if (s.kind == "flatten") return std::make_unique<Flatten<T>>();
    if (s.kind == "dense") return std::make_unique<Dense<T>>(s.units, s.activation, s.use_bias);
    if (s.kind == "dropout") return std::make_unique<Dropout<T>>(s.rate);
    if (s.kind == "activation" || s.kind == "relu") return std::make_unique<ActivationLayer<T>>(s.kind, s.activation);
    if (s.kind == "rescaling") return std::make_unique<Rescaling<T>>(s.scale, s.offset);
    if (s.kind == "zero_padding2d") return std::make_unique<ZeroPadding2D<T>>(s.margins);
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
