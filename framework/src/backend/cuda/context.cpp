#include "backend/cuda/context.h"

#include <forge/error.h>

#include "cuda_check.h"

#include <mutex>
#include <vector>

namespace forge::cuda {
namespace {

struct DeviceState {
  std::once_flag ready;
  cudaStream_t stream = nullptr;
  std::int64_t shared_memory = 0;
};

int visible_count() {
  static const int count = [] {
    int n = 0;
    // No driver or no device is a normal answer here, not an error.
    if (cudaGetDeviceCount(&n) != cudaSuccess) {
      cudaGetLastError();
      n = 0;
    }
    return n;
  }();
  return count;
}

std::string unavailable(int index, int count) {
  std::string why = count == 0   ? "no GPU is visible (check nvidia-smi and CUDA_VISIBLE_DEVICES)"
                    : count == 1 ? "1 GPU is visible (cuda:0)"
                                 : cat(count, " GPUs are visible (cuda:0 to cuda:", count - 1, ")");
  return cat("device cuda:", index, " is not available: ", why);
}

DeviceState& state(int index) {
  const int count = visible_count();
  if (index < 0 || index >= count) throw Error(unavailable(index, count));
  // Never destroyed: tensors freed at exit still find their device's stream.
  static auto* states = new std::vector<DeviceState>(static_cast<std::size_t>(count));
  FORGE_CUDA_CHECK(cudaSetDevice(index));
  DeviceState& s = (*states)[static_cast<std::size_t>(index)];
  std::call_once(s.ready, [&] {
    FORGE_CUDA_CHECK(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking));
    // Freed blocks stay in the pool instead of going back to the driver at each sync: a
    // training step frees and reallocates the same sizes every time.
    cudaMemPool_t pool = nullptr;
    FORGE_CUDA_CHECK(cudaDeviceGetDefaultMemPool(&pool, index));
    std::uint64_t keep = UINT64_MAX;
    FORGE_CUDA_CHECK(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep));
    int bytes = 0;
    FORGE_CUDA_CHECK(
        cudaDeviceGetAttribute(&bytes, cudaDevAttrMaxSharedMemoryPerBlockOptin, index));
    s.shared_memory = bytes;
  });
  return s;
}

}  // namespace

void cuda_failed(cudaError_t status, const char* expr, const char* file, int line) {
  throw Error(cat("CUDA error ", cudaGetErrorName(status), " (", cudaGetErrorString(status),
                  ") in ", expr, " at ", file, ":", line));
}

cudaStream_t activate(int index) { return state(index).stream; }

std::int64_t max_shared_memory(int index) { return state(index).shared_memory; }

}  // namespace forge::cuda

namespace forge::cuda {

Tensor make_flag(Device device, cudaStream_t stream) {
  Tensor flag = Tensor::empty({1}, DType::i32, device);
  FORGE_CUDA_CHECK(cudaMemsetAsync(flag.data_ptr(), 0x7f, sizeof(std::int32_t), stream));
  return flag;
}

std::int32_t read_int(const std::int32_t* device_data, cudaStream_t stream) {
  std::int32_t value = 0;
  FORGE_CUDA_CHECK(
      cudaMemcpyAsync(&value, device_data, sizeof value, cudaMemcpyDeviceToHost, stream));
  FORGE_CUDA_CHECK(cudaStreamSynchronize(stream));
  return value;
}

}  // namespace forge::cuda
