#pragma once

// Row-major GEMM through BLAS: c = alpha op(a) op(b) + beta c, op = transpose when flagged;
// overloads for float and double. BLAS is OpenBLAS, kept single-threaded: kernels split
// products across forge's own pool.

#include <cstdint>
#include <string>

namespace forge::cpu {

void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc);
void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
          double* c, std::int64_t ldc);

// "OpenBLAS 0.3.21 Cooperlake": the library and the kernels it runs, for env.json and the
// log; it says so when OPENBLAS_CORETYPE in the environment or forge chose the kernels.
std::string blas_description();

// Block kernels (attention) size their products to about this many multiply-adds: enough for
// BLAS to run at speed, little enough to stay in cache.
inline constexpr std::int64_t kSingleThreadGemm = std::int64_t{1} << 18;

}  // namespace forge::cpu
