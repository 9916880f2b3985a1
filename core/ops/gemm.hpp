// C = alpha op(A) op(B) + beta C on raw column-major buffers (BLAS ?gemm).
//
//   op(A) (M, K), op(B) (K, N), C (M, N); op(X) = X or X^T.
//   A is stored (M, K), or (K, M) when transposed; B (K, N), or (N, K).
// Armadillo can only alias memory it may write, so read-only operands (a
// layer's weights, its input batch) go to BLAS directly rather than through a
// const_cast into an Armadillo view.
#pragma once

#include <cstddef>

namespace cs {

template <typename T>
void gemm(bool transpose_a, bool transpose_b, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
          const T* B, T beta, T* C);

} // namespace cs
