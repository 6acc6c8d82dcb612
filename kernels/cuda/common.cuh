#pragma once

// Shared pieces of the CUDA kernels: float loads and stores of each element type, warp and
// block reductions, the strided layouts of the elementwise kernels and dtype dispatch.

#include <forge/error.h>

#include "backend/cuda/context.h"
#include "core/op_table.h"
#include "cuda_check.h"

#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>

namespace forge::cuda {

using bf16 = __nv_bfloat16;
static_assert(sizeof(bf16) == sizeof(bf16_t), "forge's bf16_t and CUDA's bfloat16 share bits");

inline constexpr int kThreads = 256;  // threads per block of the elementwise kernels
inline constexpr int kMaxDims = 8;    // dims of a strided layout, after merging

// ---- device helpers ----

__device__ __forceinline__ float to_float(float x) { return x; }
__device__ __forceinline__ float to_float(bf16 x) { return __bfloat162float(x); }

template <class T>
__device__ __forceinline__ T from_float(float x) {
  if constexpr (std::is_same_v<T, bf16>)
    return __float2bfloat16_rn(x);  // nearest even, as bf16_t rounds on the host
  else
    return static_cast<T>(x);
}

template <class V>
__device__ __forceinline__ V warp_sum(V v) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
  return v;
}
__device__ __forceinline__ float warp_max(float v) {
  for (int offset = 16; offset > 0; offset >>= 1)
    v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
  return v;
}

// The sum (or max) over a block whose size is a multiple of 32, at most 1024; every thread
// gets the result. The order of additions depends on the block size alone.
template <class V>
__device__ V block_sum(V v) {
  __shared__ V partial[32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  v = warp_sum(v);
  __syncthreads();  // an earlier call's readers are done with `partial`
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = lane < static_cast<int>(blockDim.x >> 5) ? partial[lane] : V(0);
  return warp_sum(v);
}
__device__ inline float block_max(float v) {
  __shared__ float partial[32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  v = warp_max(v);
  __syncthreads();
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  v = lane < static_cast<int>(blockDim.x >> 5) ? partial[lane] : -INFINITY;
  return warp_max(v);
}

// The first global index of this thread and the stride of a grid-stride loop.
__device__ __forceinline__ std::int64_t global_index() {
  return static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}
__device__ __forceinline__ std::int64_t global_stride() {
  return static_cast<std::int64_t>(gridDim.x) * blockDim.x;
}

// K operands walked over one shape: element i (row-major) of the shape sits at offset
// at[k] of operand k.
template <int K>
struct Layout {
  int ndim = 0;
  std::int64_t size[kMaxDims] = {};
  std::int64_t stride[K][kMaxDims] = {};

  __device__ void offsets(std::int64_t i, std::int64_t (&at)[K]) const {
    for (int k = 0; k < K; ++k) at[k] = 0;
    for (int d = ndim - 1; d >= 0; --d) {
      const std::int64_t index = i % size[d];
      i /= size[d];
      for (int k = 0; k < K; ++k) at[k] += index * stride[k][d];
    }
  }
};

// ---- host helpers ----

// The layout of `shape` with operand k's strides from strides[k], size-1 dims dropped and
// neighbouring dims merged wherever every operand is contiguous across them.
template <int K>
Layout<K> make_layout(const char* op, const Shape& shape,
                      const std::array<const Shape*, K>& strides) {
  Layout<K> layout;
  for (std::size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    bool merges = layout.ndim > 0;
    for (int k = 0; k < K && merges; ++k)
      merges = layout.stride[k][layout.ndim - 1] == (*strides[k])[d] * shape[d];
    if (merges) {
      layout.size[layout.ndim - 1] *= shape[d];
      for (int k = 0; k < K; ++k) layout.stride[k][layout.ndim - 1] = (*strides[k])[d];
      continue;
    }
    if (layout.ndim == kMaxDims)
      throw Error(cat("[", op, "] the cuda backend walks at most ", kMaxDims,
                      " non-mergeable dims; shape ", shape_str(shape),
                      " has more: make the tensor contiguous first"));
    layout.size[layout.ndim] = shape[d];
    for (int k = 0; k < K; ++k) layout.stride[k][layout.ndim] = (*strides[k])[d];
    ++layout.ndim;
  }
  return layout;
}

// Blocks for a grid-stride loop over n items; at least one (callers return early for n = 0).
inline unsigned grid_for(std::int64_t n, int threads = kThreads) {
  constexpr std::int64_t kMaxBlocks = std::int64_t{1} << 20;
  return static_cast<unsigned>(
      std::clamp<std::int64_t>((n + threads - 1) / threads, 1, kMaxBlocks));
}

// Threads for one block per row of `n` elements: a multiple of 32, at most 1024.
inline int row_threads(std::int64_t n) {
  return static_cast<int>(std::clamp<std::int64_t>((n + 31) / 32 * 32, 32, 1024));
}

// The stream of the device that the call's output lives on, made current.
inline cudaStream_t stream_of(const OpCall& call) { return activate(call.out->device().index); }

template <class T>
const T* in_ptr(const Tensor* t) {
  return t ? static_cast<const T*>(t->data_ptr()) : nullptr;
}
template <class T>
T* out_ptr(const Tensor* t) {
  return t ? static_cast<T*>(t->data_ptr()) : nullptr;
}

// Calls fn with a typed null pointer of the device element type of `dtype`.
template <class Fn>
void by_float_type(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::f32:
      return fn(static_cast<float*>(nullptr));
    case DType::bf16:
      return fn(static_cast<bf16*>(nullptr));
    default:
      break;
  }
  FORGE_CHECK(false, "a cuda float kernel was called for ", dtype_name(dtype));
}
template <class Fn>
void by_any_type(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::f32:
      return fn(static_cast<float*>(nullptr));
    case DType::bf16:
      return fn(static_cast<bf16*>(nullptr));
    case DType::i32:
      return fn(static_cast<std::int32_t*>(nullptr));
    case DType::f64:
      return fn(static_cast<double*>(nullptr));
  }
}

}  // namespace forge::cuda
