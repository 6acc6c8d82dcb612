#pragma once

// Token embedding lookup, and its deterministic backward: the positions are sorted by id (a
// stable radix sort), so each table row sums its positions' gradients in order of position,
// with no atomics. Dimension letters: N ids, V table rows, C channels.

#include "common.cuh"

namespace forge::cuda {

// ---- kernels ----

// out[n] = table[ids[n]]; an id outside [0, V) marks `bad` (its first position) instead.
template <class T>
__global__ void embedding_kernel(std::int64_t N, std::int64_t V, std::int64_t C,
                                 const std::int32_t* ids, const T* table, T* out,
                                 std::int32_t* bad) {
  for (std::int64_t i = global_index(); i < N * C; i += global_stride()) {
    const std::int64_t n = i / C, c = i % C;
    const std::int64_t id = ids[n];
    if (id < 0 || id >= V) {
      if (c == 0) atomicMin(bad, static_cast<std::int32_t>(n));
      continue;
    }
    out[i] = table[id * C + c];
  }
}

template <class I>
__global__ void iota_kernel(std::int64_t N, I* values) {
  for (std::int64_t i = global_index(); i < N; i += global_stride()) values[i] = static_cast<I>(i);
}

// The first k in [0, N) with sorted[k] >= v.
__device__ __forceinline__ std::int64_t lower_bound(const std::int32_t* sorted, std::int64_t N,
                                                    std::int64_t v) {
  std::int64_t lo = 0, hi = N;
  while (lo < hi) {
    const std::int64_t mid = (lo + hi) / 2;
    if (sorted[mid] < v)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// One block per table row v: dtable[v] = sum of dout[positions[k]] over the k whose sorted id
// is v, in order of k (the stable sort keeps positions in order).
template <class T>
__global__ void embedding_backward_kernel(std::int64_t N, std::int64_t V, std::int64_t C,
                                          const std::int32_t* sorted_ids,
                                          const std::int32_t* positions, const T* dout, T* dtable) {
  for (std::int64_t v = blockIdx.x; v < V; v += gridDim.x) {
    const std::int64_t begin = lower_bound(sorted_ids, N, v),
                       end = lower_bound(sorted_ids, N, v + 1);
    for (std::int64_t c = threadIdx.x; c < C; c += blockDim.x) {
      float total = 0.0f;
      for (std::int64_t k = begin; k < end; ++k)
        total += to_float(dout[static_cast<std::int64_t>(positions[k]) * C + c]);
      dtable[v * C + c] = from_float<T>(total);
    }
  }
}

// ---- launchers ----

template <class T>
void launch_embedding(std::int64_t N, std::int64_t V, std::int64_t C, const std::int32_t* ids,
                      const T* table, T* out, std::int32_t* bad, cudaStream_t stream) {
  if (N * C == 0) return;
  embedding_kernel<<<grid_for(N * C), kThreads, 0, stream>>>(N, V, C, ids, table, out, bad);
  FORGE_CUDA_LAUNCHED();
}

inline void launch_iota(std::int64_t N, std::int32_t* values, cudaStream_t stream) {
  if (N == 0) return;
  iota_kernel<<<grid_for(N), kThreads, 0, stream>>>(N, values);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_embedding_backward(std::int64_t N, std::int64_t V, std::int64_t C,
                               const std::int32_t* sorted_ids, const std::int32_t* positions,
                               const T* dout, T* dtable, cudaStream_t stream) {
  if (V * C == 0) return;
  embedding_backward_kernel<<<grid_for(V, 1), row_threads(std::min<std::int64_t>(C, 256)), 0,
                              stream>>>(N, V, C, sorted_ids, positions, dout, dtable);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
