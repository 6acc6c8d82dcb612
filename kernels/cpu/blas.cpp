#include "blas.h"

#include <forge/error.h>

#include <cblas.h>

#include <cstdlib>
#include <mutex>

namespace forge::cpu {
namespace {

// OpenBLAS stays on the calling thread: kernels split products across forge's own pool, so
// no second set of threads spins beside it.
void single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
}

CBLAS_TRANSPOSE op(bool transposed) { return transposed ? CblasTrans : CblasNoTrans; }

}  // namespace

void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, float alpha,
          const float* a, std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
          std::int64_t ldc) {
  single_threaded();
  cblas_sgemm(CblasRowMajor, op(ta), op(tb), static_cast<blasint>(m), static_cast<blasint>(n),
              static_cast<blasint>(k), alpha, a, static_cast<blasint>(lda), b,
              static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

void gemm(bool ta, bool tb, std::int64_t m, std::int64_t n, std::int64_t k, double alpha,
          const double* a, std::int64_t lda, const double* b, std::int64_t ldb, double beta,
          double* c, std::int64_t ldc) {
  single_threaded();
  cblas_dgemm(CblasRowMajor, op(ta), op(tb), static_cast<blasint>(m), static_cast<blasint>(n),
              static_cast<blasint>(k), alpha, a, static_cast<blasint>(lda), b,
              static_cast<blasint>(ldb), beta, c, static_cast<blasint>(ldc));
}

std::string blas_description() {
  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." and the kernel set it chose for this CPU (an
  // OPENBLAS_CORETYPE variable in the environment overrides that choice).
  std::string config = openblas_get_config();
  std::string out =
      cat(config.substr(0, config.find(' ', config.find(' ') + 1)), " ", openblas_get_corename());
  if (const char* forced = std::getenv("OPENBLAS_CORETYPE"); forced && *forced)
    out += cat(" (chosen by OPENBLAS_CORETYPE=", forced, ")");
  return out;
}

}  // namespace forge::cpu
