#include "gemm.hpp"

#include "errors.hpp"

#include <armadillo>

#include <algorithm>
#include <limits>

namespace cs {

template <typename T>
void gemm(bool transpose_a, bool transpose_b, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
          const T* B, T beta, T* C)
{
    constexpr auto most = std::size_t(std::numeric_limits<arma::blas_int>::max());
    if (M > most || N > most || K > most) throw SizeOverflow("gemm: a dimension does not fit BLAS' integers");
    if (M == 0 || N == 0) return;
    const arma::blas_int m = arma::blas_int(M), n = arma::blas_int(N), k = arma::blas_int(K);
    // Leading dimensions: rows of each operand as stored (at least 1, as BLAS requires).
    const arma::blas_int lda = std::max<arma::blas_int>(transpose_a ? k : m, 1);
    const arma::blas_int ldb = std::max<arma::blas_int>(transpose_b ? n : k, 1);
    const char ta = transpose_a ? 'T' : 'N', tb = transpose_b ? 'T' : 'N';
    if (N == 1) {
        // One column (a batch of one): B is a K-vector either way, and BLAS'
        // matrix-vector product is the faster path for it.
        const arma::blas_int rows = transpose_a ? k : m, cols = transpose_a ? m : k, one = 1;
        arma::blas::gemv<T>(&ta, &rows, &cols, &alpha, A, &lda, B, &one, &beta, C, &one);
        return;
    }
    arma::blas::gemm<T>(&ta, &tb, &m, &n, &k, &alpha, A, &lda, B, &ldb, &beta, C, &m);
}

template void gemm<float>(bool, bool, std::size_t, std::size_t, std::size_t, float, const float*, const float*, float,
                          float*);
template void gemm<double>(bool, bool, std::size_t, std::size_t, std::size_t, double, const double*, const double*,
                           double, double*);

} // namespace cs
