#include "dense_layer.hpp"

#include "activation.hpp"
#include "architecture.hpp"
#include "gemm.hpp"

#include <algorithm>

namespace cs {

template <typename T>
Dense<T>::Dense(std::size_t units, Activation activation, bool use_bias)
    : units_(units), activation_(activation), use_bias_(use_bias)
{
    if (units == 0) throw ShapeError("Dense: units must be positive");
}

template <typename T>
LayerSpec Dense<T>::spec() const
{
    return layers::dense(units_, activation_, use_bias_);
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
    const std::size_t kernel = checked_mul(input[0], units_, "Dense: the kernel's size");
    if (!use_bias_) return {{"kernel", {input[0], units_}, 0}};
    return {{"kernel", {input[0], units_}, 0}, {"bias", {units_}, kernel}};
}

template <typename T>
void Dense<T>::initialize(HeNormal& init, const Shape& input, T* params) const
{
    const std::size_t kernel = input[0] * units_;
    init.fill(params, kernel, input[0]);
    if (use_bias_) std::fill(params + kernel, params + kernel + units_, T(0));
}

template <typename T>
void Dense<T>::forward(const T* params, const Tensor<T>& in, Tensor<T>& out, LayerScratch<T>& /*scratch*/,
                       const PassMode& /*mode*/) const
{
    const std::size_t m = in.dim(0), n_in = in.dim(1);
    const T* Wm = params;             // (units, n_in)
    const T* b = params + units_ * n_in; // (units)
    out.resize({m, units_});
    T* Z = out.data(); // (units, m)
    if (use_bias_) set_each_column(Z, b, units_, m);                                // Z = b
    gemm<T>(false, false, units_, m, n_in, T(1), Wm, in.data(), T(use_bias_ ? 1 : 0), Z); // Z += Wm X
    activate(activation_, out.data(), out.data(), out.size());
}

template <typename T>
void Dense<T>::backward(const T* params, const Tensor<T>& in, const Tensor<T>& out, const Tensor<T>& d_out,
                        LayerScratch<T>& scratch, T* d_params, Tensor<T>* d_in) const
{
    const std::size_t m = in.dim(0), n_in = in.dim(1);
    scratch.d_z.resize(out.shape());
    activation_backward(activation_, out.data(), d_out.data(), scratch.d_z.data(), out.size());
    const T* dZ = scratch.d_z.data(); // (units, m)
    T* dWm = d_params;                // (units, n_in)
    T* db = d_params + units_ * n_in; // (units)
    gemm<T>(false, true, units_, n_in, m, T(1), dZ, in.data(), T(0), dWm); // dWm = dZ X^T
    if (use_bias_) sum_of_columns(dZ, units_, m, db);
    if (d_in) {
        d_in->resize(in.shape());
        gemm<T>(true, false, n_in, m, units_, T(1), params, dZ, T(0), d_in->data()); // dX = Wm^T dZ
    }
}

template <typename T>
std::size_t Dense<T>::forward_multiply_adds(const Shape& input) const
{
    return input.elements() * units_;
}

template class Dense<float>;
template class Dense<double>;

} // namespace cs
