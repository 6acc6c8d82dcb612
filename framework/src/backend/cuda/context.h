#pragma once

// The CUDA devices forge works on. Each has one stream that every kernel, copy and
// stream-ordered allocation on that device goes through, so work on one device needs no
// further synchronisation.

#include <forge/tensor.h>

#include <cuda_runtime.h>

#include <cstdint>

namespace forge::cuda {

// Makes device `index` current and returns its stream. Throws forge::Error naming the device
// when no such GPU is visible.
cudaStream_t activate(int index);
// The largest dynamic shared memory a block may use on device `index`, in bytes.
std::int64_t max_shared_memory(int index);

// Kernels that find bad input (an id out of range) write the first failing index into a
// device flag with atomicMin; the host reads it back, which waits for the stream.
inline constexpr std::int32_t kNoFailure = 0x7f7f7f7f;  // what a fill with 0x7f bytes leaves
Tensor make_flag(Device device, cudaStream_t stream);
// One i32 value from device memory (waits for the stream).
std::int32_t read_int(const std::int32_t* device_data, cudaStream_t stream);

}  // namespace forge::cuda
