#include "blas.h"

#include <forge/error.h>

#include <cblas.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

// OpenBLAS's DYNAMIC_ARCH entry points (exported by Debian's builds): quit forgets the chosen
// kernel set, init chooses again, reading OPENBLAS_CORETYPE. Weak, for builds without them.
extern "C" void gotoblas_dynamic_quit(void) __attribute__((weak));
extern "C" void gotoblas_dynamic_init(void) __attribute__((weak));

namespace forge::cpu {
namespace {

// The kernel set forge chose in place of OpenBLAS's fallback; nullptr when it kept OpenBLAS's.
const char* kernels_forced_by_forge = nullptr;

// The kernel set for what this CPU supports (nullptr: none better than OpenBLAS's choice).
const char* kernels_for_this_cpu() {
#if defined(__x86_64__)
  const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
  if (avx512 && __builtin_cpu_supports("avx512bf16")) return "Cooperlake";
  if (avx512) return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return nullptr;
}

// OpenBLAS falls back to its SSE3 kernels (Prescott) on x86 CPUs newer than its tables, such
// as Intel's Emerald Rapids under 0.3.21: three to four times slower than the AVX-512 ones.
// Choose from what the CPU supports instead, before the first product.
void replace_fallback_kernels() {
  if (std::getenv("OPENBLAS_CORETYPE") || !gotoblas_dynamic_quit || !gotoblas_dynamic_init) return;
  if (std::strcmp(openblas_get_corename(), "Prescott") != 0) return;
  const char* name = kernels_for_this_cpu();
  if (!name) return;
  setenv("OPENBLAS_CORETYPE", name, 0);
  gotoblas_dynamic_quit();
  gotoblas_dynamic_init();
  unsetenv("OPENBLAS_CORETYPE");
  kernels_forced_by_forge = name;
}

// OpenBLAS stays on the calling thread: kernels split products across forge's own pool, so
// no second set of threads spins beside it.
void single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] {
    replace_fallback_kernels();
    openblas_set_num_threads(1);
  });
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
  single_threaded();
  // "OpenBLAS 0.3.21 DYNAMIC_ARCH ..." and the kernel set it chose for this CPU (an
  // OPENBLAS_CORETYPE variable in the environment overrides that choice).
  std::string config = openblas_get_config();
  std::string out =
      cat(config.substr(0, config.find(' ', config.find(' ') + 1)), " ", openblas_get_corename());
  if (const char* forced = std::getenv("OPENBLAS_CORETYPE"); forced && *forced)
    out += cat(" (chosen by OPENBLAS_CORETYPE=", forced, ")");
  else if (kernels_forced_by_forge)
    out += " (chosen by forge in place of OpenBLAS's SSE3 fallback for CPUs it does not know)";
  return out;
}

}  // namespace forge::cpu
