#include "backend/cuda/allocator.h"

#include <forge/error.h>

#include "backend/cuda/context.h"
#include "cuda_check.h"

namespace forge::cuda {
namespace {

std::string mib(std::size_t bytes) {
  return cat(static_cast<double>(bytes) / (1024.0 * 1024.0), " MiB");
}

std::size_t pool_in_use(int device) {
  cudaMemPool_t pool = nullptr;
  std::uint64_t used = 0;
  FORGE_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, device));
  FORGE_CUDA_CHECK(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used));
  return used;
}

}  // namespace

void* allocate(std::size_t bytes, int device) {
  cudaStream_t stream = activate(device);
  if (bytes == 0) return nullptr;  // kernels never touch an empty tensor's memory
  void* data = nullptr;
  cudaError_t status = cudaMallocAsync(&data, bytes, stream);
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    // Frees still queued on the stream return their blocks to the pool once they have run.
    FORGE_CUDA_CHECK(cudaStreamSynchronize(stream));
    status = cudaMallocAsync(&data, bytes, stream);
  }
  if (status == cudaErrorMemoryAllocation) {
    cudaGetLastError();
    throw Error(cat("out of GPU memory on cuda:", device, " allocating ", mib(bytes), " (",
                    mib(pool_in_use(device)),
                    " already in use by tensors); lower train.micro_batch or the model size"));
  }
  FORGE_CUDA_CHECK(status);
  return data;
}

void deallocate(void* data, std::size_t, int device) {
  if (!data) return;
  cudaStream_t stream = activate(device);
  const cudaError_t status = cudaFreeAsync(data, stream);
  // Tensors that outlive the CUDA runtime (statics freed at exit) went with their context.
  if (status == cudaErrorCudartUnloading || status == cudaErrorContextIsDestroyed) return;
  FORGE_CUDA_CHECK(status);
}

}  // namespace forge::cuda
