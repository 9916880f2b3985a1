// Helpers shared by the core tests: tensors from literals, tolerant
// comparison, and central-difference gradient checks.
#pragma once

#include "tensor.hpp"

#include <QTest>

#include <cmath>
#include <csignal>
#include <functional>
#include <random>
#include <vector>

#include <sys/resource.h>

namespace cs::test {

// Lowers the largest file this process may write (as a full disk would stop
// it) and turns the signal that would kill the process into EFBIG, for one scope.
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        getrlimit(RLIMIT_FSIZE, &m_saved);
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit r = m_saved;
        r.rlim_cur = bytes;
        setrlimit(RLIMIT_FSIZE, &r);
    }
    ~FileSizeLimit()
    {
        setrlimit(RLIMIT_FSIZE, &m_saved);
        std::signal(SIGXFSZ, m_oldHandler);
    }

private:
    rlimit m_saved{};
    void (*m_oldHandler)(int) = nullptr;
};

template <typename T = double>
Tensor<T> tensor(const Shape& shape, std::vector<double> values)
{
    arma::Col<T> data(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) data[i] = T(values[i]);
    return Tensor<T>(shape, std::move(data));
}

template <typename T = double>
Tensor<T> random_tensor(const Shape& shape, std::uint64_t seed, double lo = -1, double hi = 1)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(lo, hi);
    Tensor<T> t(shape);
    for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = T(u(rng));
    return t;
}

// Every element of `actual` within `tol` of `expected`; names the first miss.
template <typename T>
bool all_close(const Tensor<T>& actual, const Tensor<T>& expected, double tol = 1e-6)
{
    if (!(actual.shape() == expected.shape())) {
        qWarning("shape %s, expected %s", actual.shape().str().c_str(), expected.shape().str().c_str());
        return false;
    }
    for (std::size_t i = 0; i < actual.size(); ++i)
        if (std::abs(double(actual.data()[i]) - double(expected.data()[i])) > tol) {
            qWarning("element %zu: %.9g, expected %.9g", i, double(actual.data()[i]), double(expected.data()[i]));
            return false;
        }
    return true;
}

// Relative error |a - b| / |a + b| (mlpack's measure) between an analytic
// gradient and central differences of `loss` with respect to `x`.
inline double gradient_error(const std::function<double()>& loss, double* x, std::size_t n, const double* analytic,
                             const std::vector<std::size_t>& which = {}, double eps = 1e-6)
{
    double diff2 = 0, sum2 = 0;
    const auto check = [&](std::size_t i) {
        const double saved = x[i];
        x[i] = saved + eps;
        const double up = loss();
        x[i] = saved - eps;
        const double down = loss();
        x[i] = saved;
        const double numeric = (up - down) / (2 * eps);
        diff2 += (numeric - analytic[i]) * (numeric - analytic[i]);
        sum2 += (numeric + analytic[i]) * (numeric + analytic[i]);
    };
    if (which.empty())
        for (std::size_t i = 0; i < n; ++i) check(i);
    else
        for (std::size_t i : which) check(i);
    return sum2 == 0 ? std::sqrt(diff2) : std::sqrt(diff2) / std::sqrt(sum2);
}

// sum(Y * R): a scalar whose gradient with respect to Y is R.
template <typename T>
double dot(const Tensor<T>& y, const Tensor<T>& r)
{
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += double(y.data()[i]) * double(r.data()[i]);
    return s;
}

} // namespace cs::test
