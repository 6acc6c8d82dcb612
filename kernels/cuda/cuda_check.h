#pragma once

// Checking macros for CUDA runtime and cuBLASLt calls, usable from host code compiled by either
// compiler. A failed call throws forge::Error naming the call, the error and where it happened.

#include <cuda_runtime.h>

namespace forge::cuda {

[[noreturn]] void cuda_failed(cudaError_t status, const char* expr, const char* file, int line);
inline void check_cuda(cudaError_t status, const char* expr, const char* file, int line) {
  if (status != cudaSuccess) cuda_failed(status, expr, file, line);
}

}  // namespace forge::cuda

#define FORGE_CUDA_CHECK(expr) ::forge::cuda::check_cuda((expr), #expr, __FILE__, __LINE__)
// After every kernel launch: a bad launch configuration is reported here, by the launch that
// made it, not by the next unrelated call.
#define FORGE_CUDA_LAUNCHED() FORGE_CUDA_CHECK(cudaGetLastError())
