// The number of threads OpenBLAS may use for our GEMMs.
#pragma once

namespace cs {

void set_blas_threads(int threads);
int blas_threads();

} // namespace cs
