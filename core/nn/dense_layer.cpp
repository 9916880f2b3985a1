#include "dense_layer.hpp"

#include "activation.hpp"

namespace cs {

template <typename T>
Dense<T>::Dense(std::size_t units, Activation activation) : units_(units), activation_(activation)
{
    if (units == 0) throw ShapeError("Dense: units must be positive");
}

template <typename T>
LayerSpec Dense<T>::spec() const
{
    return {"dense", units_, {0, 0}, {1, 1}, Padding::valid, activation_};
}

template <typename T>
Shape Dense<T>::output_shape(const Shape& input) const
{
    if (input.rank() != 1) throw ShapeError("Dense: input must be flat (n,), not " + input.str() + "; add a Flatten");
    return {units_};
}

template <typename T>
std::vector<ParameterShape> Dense<T>::parameter_shapes(const Shape& input) const
{
    output_shape(input); // ShapeError unless the input is flat
    return {{"kernel", {input[0], units_}}, {"bias", {units_}}};
}

template <typename T>
void Dense<T>::bind(const Shape& input, T* params, T* grads)
{
    inputs_ = input[0];
    kernel_ = Tensor<T>::view(params, {inputs_, units_});
    bias_ = Tensor<T>::view(params + inputs_ * units_, {units_});
    d_kernel_ = Tensor<T>::view(grads, {inputs_, units_});
    d_bias_ = Tensor<T>::view(grads + inputs_ * units_, {units_});
}

template <typename T>
void Dense<T>::initialize(HeNormal& init)
{
    init.fill(kernel_.data(), kernel_.size(), inputs_);
    bias_.zeros();
}

template <typename T>
void Dense<T>::forward(const Tensor<T>& in, Tensor<T>& out)
{
    if (in.rank() != 2 || in.dim(1) != inputs_)
        throw ShapeError("Dense: input " + in.shape().str() + " does not match kernel " + kernel_.shape().str());
    const std::size_t m = in.dim(0);
    out.resize({m, units_});
    const arma::Mat<T> Wm = kernel_.as_matrix(units_, inputs_);
    const arma::Mat<T> X = in.as_matrix(inputs_, m);
    arma::Mat<T> Z = out.as_matrix(units_, m);
    Z = Wm * X;
    Z.each_col() += bias_.flat();
    activate(activation_, out.data(), out.data(), out.size());
}

template <typename T>
void Dense<T>::backward(const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out, Tensor<T>* d_in)
{
    const std::size_t m = in.dim(0);
    d_z_.resize(out.shape());
    activation_backward(activation_, out.data(), d_out.data(), d_z_.data(), out.size());
    const arma::Mat<T> dZ = d_z_.as_matrix(units_, m);
    const arma::Mat<T> X = in.as_matrix(inputs_, m);
    arma::Mat<T> dWm = d_kernel_.as_matrix(units_, inputs_);
    dWm = dZ * X.t();
    d_bias_.flat() = arma::sum(dZ, 1);
    if (d_in) {
        d_in->resize(in.shape());
        const arma::Mat<T> Wm = kernel_.as_matrix(units_, inputs_);
        arma::Mat<T> dX = d_in->as_matrix(inputs_, m);
        dX = Wm.t() * dZ;
    }
}

template class Dense<float>;
template class Dense<double>;

} // namespace cs
