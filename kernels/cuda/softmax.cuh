#pragma once

// Softmax over the last dim and its backward, one block per row of V contiguous values, in
// float. Dimension letters: N rows, V classes.

#include "common.cuh"

namespace forge::cuda {

// ---- kernels ----

template <class T>
__global__ void softmax_kernel(std::int64_t N, std::int64_t V, const T* x, T* y) {
  for (std::int64_t n = blockIdx.x; n < N; n += gridDim.x) {
    const T* row = x + n * V;
    float m = -INFINITY;
    for (std::int64_t j = threadIdx.x; j < V; j += blockDim.x) m = fmaxf(m, to_float(row[j]));
    m = block_max(m);
    float total = 0.0f;
    for (std::int64_t j = threadIdx.x; j < V; j += blockDim.x) total += expf(to_float(row[j]) - m);
    const float inv = 1.0f / block_sum(total);
    for (std::int64_t j = threadIdx.x; j < V; j += blockDim.x)
      y[n * V + j] = from_float<T>(expf(to_float(row[j]) - m) * inv);
  }
}

// dx = y * (dy - sum(dy * y)), per row.
template <class T>
__global__ void softmax_backward_kernel(std::int64_t N, std::int64_t V, const T* y, const T* dy,
                                        T* dx) {
  for (std::int64_t n = blockIdx.x; n < N; n += gridDim.x) {
    const T *yr = y + n * V, *dyr = dy + n * V;
    float dot = 0.0f;
    for (std::int64_t j = threadIdx.x; j < V; j += blockDim.x)
      dot += to_float(yr[j]) * to_float(dyr[j]);
    dot = block_sum(dot);
    for (std::int64_t j = threadIdx.x; j < V; j += blockDim.x)
      dx[n * V + j] = from_float<T>(to_float(yr[j]) * (to_float(dyr[j]) - dot));
  }
}

// ---- launchers ----

template <class T>
void launch_softmax(std::int64_t N, std::int64_t V, const T* x, T* y, cudaStream_t stream) {
  if (N == 0 || V == 0) return;
  softmax_kernel<<<grid_for(N, 1), row_threads(V), 0, stream>>>(N, V, x, y);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_softmax_backward(std::int64_t N, std::int64_t V, const T* y, const T* dy, T* dx,
                             cudaStream_t stream) {
  if (N == 0 || V == 0) return;
  softmax_backward_kernel<<<grid_for(N, 1), row_threads(V), 0, stream>>>(N, V, y, dy, dx);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
