#include "loss.hpp"

#include <algorithm>
#include <cmath>

namespace cs {

template <typename T>
void softmax(const Tensor<T>& logits, Tensor<T>& probs)
{
    if (logits.rank() != 2) throw ShapeError("softmax: logits must be (m, k), not " + logits.shape().str());
    probs.resize(logits.shape());
    const std::size_t m = logits.dim(0), k = logits.dim(1);
    for (std::size_t n = 0; n < m; ++n) {
        const T* z = logits.data() + n * k;
        T* p = probs.data() + n * k;
        const T top = *std::max_element(z, z + k);
        T sum = 0;
        for (std::size_t j = 0; j < k; ++j) sum += (p[j] = std::exp(z[j] - top));
        for (std::size_t j = 0; j < k; ++j) p[j] /= sum;
    }
}

template <typename T>
LossResult softmax_cross_entropy(const Tensor<T>& logits, const std::uint8_t* labels, Tensor<T>& probs,
                                 Tensor<T>& d_logits, std::size_t mean_over)
{
    softmax(logits, probs);
    const std::size_t m = logits.dim(0), k = logits.dim(1);
    d_logits.resize(logits.shape());
    const T divisor = T(mean_over ? mean_over : m);
    LossResult r;
    double total = 0;
    for (std::size_t n = 0; n < m; ++n) {
        if (labels[n] >= k)
            throw ShapeError("softmax_cross_entropy: label " + std::to_string(labels[n]) + " out of range for " +
                             std::to_string(k) + " classes");
        const T* z = logits.data() + n * k;
        const T* p = probs.data() + n * k;
        T* dz = d_logits.data() + n * k;
        // logsumexp(z) - z[y], with the max taken out before exp.
        const T top = *std::max_element(z, z + k);
        double sum = 0;
        for (std::size_t j = 0; j < k; ++j) sum += std::exp(double(z[j] - top));
        total += double(top) + std::log(sum) - double(z[labels[n]]);
        if (std::size_t(std::max_element(z, z + k) - z) == labels[n]) ++r.correct;
        for (std::size_t j = 0; j < k; ++j) dz[j] = (p[j] - (j == labels[n] ? T(1) : T(0))) / divisor;
    }
    r.loss = total / double(m);
    return r;
}

template void softmax<float>(const Tensor<float>&, Tensor<float>&);
template void softmax<double>(const Tensor<double>&, Tensor<double>&);
template LossResult softmax_cross_entropy<float>(const Tensor<float>&, const std::uint8_t*, Tensor<float>&,
                                                 Tensor<float>&, std::size_t);
template LossResult softmax_cross_entropy<double>(const Tensor<double>&, const std::uint8_t*, Tensor<double>&,
                                                  Tensor<double>&, std::size_t);

} // namespace cs
