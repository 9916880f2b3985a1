#include "optimizer.hpp"

#include "cpu_dispatch.hpp"
#include "errors.hpp"

#include <cmath>
#include <sstream>

namespace cs {

void check_learning_rate(double lr)
{
    if (!std::isfinite(lr) || lr < 0) {
        std::ostringstream text;
        text << "the learning rate must be a finite number of 0 or more, not " << lr;
        throw SettingError(text.str());
    }
}

void check_optimizer_name(const std::string& name)
{
    if (name != "adam" && name != "sgd") throw SettingError("optimizer must be 'adam' or 'sgd', not '" + name + "'");
}

template <typename T>
void Optimizer<T>::set_learning_rate(double lr)
{
    check_learning_rate(lr);
    lr_ = lr;
}

template <typename T>
void Optimizer<T>::step(arma::Col<T>& params, const arma::Col<T>& grads)
{
    begin_step(params.n_elem);
    update(params.memptr(), grads.memptr(), 0, params.n_elem);
}

template <typename T>
void Optimizer<T>::reset()
{
    t_ = 0;
    for (auto* s : state()) s->reset();
}

template <typename T>
Adam<T>::Adam(double lr, double beta1, double beta2, double epsilon)
    : Optimizer<T>(lr), beta1_(beta1), beta2_(beta2), epsilon_(epsilon)
{
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0))
        throw SettingError("Adam: need 0 <= beta1, beta2 < 1 and epsilon > 0");
}

namespace {

// The update loops, outside the virtual step()s: GCC builds clones of
// free functions only (cpu_dispatch.hpp).
template <typename T>
CS_AVX2_CLONES void adam_update(T* __restrict w, T* __restrict m, T* __restrict v, const T* __restrict g,
                                std::size_t n, T b1, T b2, T c1, T c2, T lr, T eps)
{
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = b1 * m[i] + (T(1) - b1) * g[i];
        v[i] = b2 * v[i] + (T(1) - b2) * g[i] * g[i];
        w[i] -= lr * (m[i] * c1) / (std::sqrt(v[i] * c2) + eps);
    }
}

template <typename T>
CS_AVX2_CLONES void sgd_update(T* __restrict w, T* __restrict u, const T* __restrict g, std::size_t n, T mu, T lr)
{
    for (std::size_t i = 0; i < n; ++i) {
        u[i] = mu * u[i] - lr * g[i];
        w[i] += u[i];
    }
}

} // namespace

template <typename T>
void Adam<T>::begin_step(std::size_t n)
{
    if (m_.n_elem != n) {
        m_.zeros(n);
        v_.zeros(n);
    }
    const std::uint64_t t = ++this->t_;
    c1_ = T(1.0 / (1.0 - std::pow(beta1_, double(t)))); // bias corrections
    c2_ = T(1.0 / (1.0 - std::pow(beta2_, double(t))));
}

template <typename T>
void Adam<T>::update(T* params, const T* grads, std::size_t lo, std::size_t hi)
{
    adam_update(params + lo, m_.memptr() + lo, v_.memptr() + lo, grads + lo, hi - lo, T(beta1_), T(beta2_), c1_, c2_,
                T(this->lr_), T(epsilon_));
}

template <typename T>
SGD<T>::SGD(double lr, double momentum) : Optimizer<T>(lr), momentum_(momentum)
{
    if (!(momentum >= 0 && momentum < 1)) throw SettingError("SGD: momentum must be in [0, 1)");
}

template <typename T>
void SGD<T>::begin_step(std::size_t n)
{
    if (velocity_.n_elem != n) velocity_.zeros(n);
    ++this->t_;
}

template <typename T>
void SGD<T>::update(T* params, const T* grads, std::size_t lo, std::size_t hi)
{
    sgd_update(params + lo, velocity_.memptr() + lo, grads + lo, hi - lo, T(momentum_), T(this->lr_));
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const std::string& name, std::optional<double> lr)
{
    check_optimizer_name(name);
    if (name == "sgd") return std::make_unique<SGD<T>>(lr.value_or(0.01));
    return std::make_unique<Adam<T>>(lr.value_or(0.001));
}

template class Optimizer<float>;
template class Optimizer<double>;
template class Adam<float>;
template class Adam<double>;
template class SGD<float>;
template class SGD<double>;
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const std::string&, std::optional<double>);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const std::string&, std::optional<double>);

} // namespace cs
