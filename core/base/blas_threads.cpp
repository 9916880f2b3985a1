#include "blas_threads.hpp"

// OpenBLAS' own controls (cblas.h would pull in the whole CBLAS API).
extern "C" {
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
}

namespace cs {

void set_blas_threads(int threads) { openblas_set_num_threads(threads < 1 ? 1 : threads); }
int blas_threads() { return openblas_get_num_threads(); }

} // namespace cs
