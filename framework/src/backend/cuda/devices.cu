#include "backend/devices.h"

#include <cuda_runtime.h>

namespace forge {

std::vector<GpuInfo> visible_gpus() {
  std::vector<GpuInfo> gpus;
  int count = 0;
  // No driver or no device is a normal answer here, not an error.
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return gpus;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    gpus.push_back({i, prop.name, prop.totalGlobalMem, prop.major, prop.minor});
  }
  return gpus;
}

}  // namespace forge
