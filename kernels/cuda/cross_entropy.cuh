#pragma once

// The fused cross-entropy loss: one block per row of V logits keeps only the row's logsumexp,
// never the probabilities. loss = sum_n w_n (lse_n - x[n, t_n] + z lse_n^2) / sum_n w_n over
// the counted rows (target not ignore_index, weight not 0). Dimension letters: N rows, V
// classes.

#include "common.cuh"

namespace forge::cuda {

struct XentParams {
  std::int64_t N, V, ignore_index;
  float z_loss;
};

// ---- kernels ----

// lse[n], and row n's share of the loss and of the counted weight. A target outside [0, V)
// that is not ignore_index marks `bad` (the first such row) and counts nothing.
template <class T>
__global__ void xent_rows_kernel(XentParams p, const T* x, const std::int32_t* targets,
                                 const float* weights, float* lse, float* share, float* weight,
                                 std::int32_t* bad) {
  for (std::int64_t n = blockIdx.x; n < p.N; n += gridDim.x) {
    const T* row = x + n * p.V;
    float m = -INFINITY;
    for (std::int64_t j = threadIdx.x; j < p.V; j += blockDim.x) m = fmaxf(m, to_float(row[j]));
    m = block_max(m);
    float total = 0.0f;
    for (std::int64_t j = threadIdx.x; j < p.V; j += blockDim.x)
      total += expf(to_float(row[j]) - m);
    total = block_sum(total);
    if (threadIdx.x == 0) {
      const float l = m + logf(total);
      lse[n] = l;
      const std::int64_t t = targets[n];
      const float w = weights ? weights[n] : 1.0f;
      const bool out_of_range = t != p.ignore_index && (t < 0 || t >= p.V);
      if (out_of_range) atomicMin(bad, static_cast<std::int32_t>(n));
      const bool counted = !out_of_range && t != p.ignore_index && w != 0.0f;
      share[n] = counted ? w * (l - to_float(row[t]) + p.z_loss * l * l) : 0.0f;
      weight[n] = counted ? w : 0.0f;
    }
  }
}

// One block adds the rows' shares in double, in a fixed order: loss = shares / weights.
template <class T>
__global__ void xent_total_kernel(std::int64_t N, const float* share, const float* weight, T* loss,
                                  float* counted) {
  double total = 0.0, count = 0.0;
  for (std::int64_t n = threadIdx.x; n < N; n += blockDim.x) {
    total += share[n];
    count += weight[n];
  }
  total = block_sum(total);
  count = block_sum(count);
  if (threadIdx.x == 0) {
    *loss = from_float<T>(static_cast<float>(count != 0.0 ? total / count : 0.0));
    *counted = static_cast<float>(count);
  }
}

// dlogits[n, j] = dloss w_n / count (softmax_j (1 + 2 z lse_n) - [j == t_n]), the softmax
// recomputed from the saved lse; rows that do not count get zeros.
template <class T>
__global__ void xent_backward_kernel(XentParams p, const T* x, const std::int32_t* targets,
                                     const float* lse, const float* counted, const T* dloss,
                                     const float* weights, T* dx) {
  const float count = *counted, scale = to_float(*dloss);
  for (std::int64_t n = blockIdx.x; n < p.N; n += gridDim.x) {
    const std::int64_t t = targets[n];
    const float w = weights ? weights[n] : 1.0f;
    T* out = dx + n * p.V;
    if (t == p.ignore_index || w == 0.0f || count == 0.0f) {
      for (std::int64_t j = threadIdx.x; j < p.V; j += blockDim.x) out[j] = from_float<T>(0.0f);
      continue;
    }
    const T* row = x + n * p.V;
    const float coef = scale * w / count, l = lse[n];
    const float prob_coef = coef * (1.0f + 2.0f * p.z_loss * l);
    for (std::int64_t j = threadIdx.x; j < p.V; j += blockDim.x) {
      const float g = prob_coef * expf(to_float(row[j]) - l);
      out[j] = from_float<T>(j == t ? g - coef : g);
    }
  }
}

// ---- launchers ----

template <class T>
void launch_xent_rows(const XentParams& p, const T* x, const std::int32_t* targets,
                      const float* weights, float* lse, float* share, float* weight,
                      std::int32_t* bad, cudaStream_t stream) {
  if (p.N == 0) return;
  xent_rows_kernel<<<grid_for(p.N, 1), row_threads(p.V), 0, stream>>>(p, x, targets, weights, lse,
                                                                      share, weight, bad);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_xent_total(std::int64_t N, const float* share, const float* weight, T* loss,
                       float* counted, cudaStream_t stream) {
  xent_total_kernel<<<1, 1024, 0, stream>>>(N, share, weight, loss, counted);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_xent_backward(const XentParams& p, const T* x, const std::int32_t* targets,
                          const float* lse, const float* counted, const T* dloss,
                          const float* weights, T* dx, cudaStream_t stream) {
  if (p.N == 0) return;
  xent_backward_kernel<<<grid_for(p.N, 1), row_threads(p.V), 0, stream>>>(
      p, x, targets, lse, counted, dloss, weights, dx);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
