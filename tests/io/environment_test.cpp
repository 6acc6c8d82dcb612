// describe_environment: what env.json records of the machine, here the BLAS kernels.
#include "io/environment.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace forge {
namespace {

// OpenBLAS 0.3.21 does not know some current x86 CPUs (Intel's Emerald Rapids) and runs its
// SSE3 kernels there; forge must choose the vector kernels the CPU has instead.
TEST(Environment, BlasRunsVectorKernelsWhereTheCpuHasThem) {
  if (std::getenv("OPENBLAS_CORETYPE")) GTEST_SKIP() << "OPENBLAS_CORETYPE chooses the kernels";
#if defined(__x86_64__)
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
    GTEST_SKIP() << "this CPU has no AVX2";
  const std::string blas = describe_environment(1, "test")["blas"];
  EXPECT_EQ(blas.find("Prescott"), std::string::npos) << blas;
  EXPECT_NE(blas.find("OpenBLAS"), std::string::npos) << blas;
#else
  GTEST_SKIP() << "x86 only";
#endif
}

}  // namespace
}  // namespace forge
