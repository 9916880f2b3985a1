// C = alpha op(A) op(B) + beta C on raw column-major buffers (BLAS ?gemm).
//
//   op(A) (M, K), op(B) (K, N), C (M, N); op(X) = X or X^T.
//   A is stored (M, K), or (K, M) when transposed; B (K, N), or (N, K).
// Armadillo can only alias memory it may write, so read-only operands (a
// layer's weights, its input batch) go to BLAS directly rather than through a
// const_cast into an Armadillo view.
#pragma once

#include <algorithm>
#include <cstddef>

namespace cs {

template <typename T>
void gemm(bool transpose_a, bool transpose_b, std::size_t M, std::size_t N, std::size_t K, T alpha, const T* A,
          const T* B, T beta, T* C);

// The bias of a layer whose output is Z (M, N) column-major, one column per
// sample or pixel: Z[:, j] += b for every column (forward), and
// db = sum over j of dZ[:, j] (backward), written over db.
template <typename T>
void add_to_each_column(T* Z, const T* b, std::size_t M, std::size_t N)
{
    for (std::size_t j = 0; j < N; ++j, Z += M)
        for (std::size_t i = 0; i < M; ++i) Z[i] += b[i];
}

// Z[:, j] = b for every column: a bias laid down before a GEMM with beta = 1
// adds onto it. One pass over Z instead of two (OpenBLAS' own pass for
// beta = 0, then the bias's), and nothing to zero first.
template <typename T>
void set_each_column(T* __restrict Z, const T* __restrict b, std::size_t M, std::size_t N)
{
    for (std::size_t j = 0; j < N; ++j, Z += M)
        for (std::size_t i = 0; i < M; ++i) Z[i] = b[i];
}

template <typename T>
void sum_of_columns(const T* dZ, std::size_t M, std::size_t N, T* db)
{
    std::fill(db, db + M, T(0));
    for (std::size_t j = 0; j < N; ++j, dZ += M)
        for (std::size_t i = 0; i < M; ++i) db[i] += dZ[i];
}

} // namespace cs
