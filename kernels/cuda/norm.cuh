#pragma once

// Fused layer norm and RMS norm over the last dim, forward (saving the row statistics in f32)
// and backward. dx comes from one block per row; dweight and dbias are sums over rows, added
// per chunk of rows and then over the chunks in order, so they never depend on scheduling.
// Dimension letters: R rows, C channels.

#include "common.cuh"

namespace forge::cuda {

inline constexpr int kNormChunkRows = 256;  // rows per partial sum of the parameter gradients

// ---- kernels ----

// y = (x - mean) rstd weight + bias, rstd = 1 / sqrt(var + eps) with the biased variance; RMS
// norm (kRms) takes mean = 0 and var = mean(x^2). mean is null for RMS norm.
template <class T, bool kRms>
__global__ void norm_forward_kernel(std::int64_t R, std::int64_t C, float eps, const T* x,
                                    const T* weight, const T* bias, T* y, float* mean,
                                    float* rstd) {
  for (std::int64_t r = blockIdx.x; r < R; r += gridDim.x) {
    const T* row = x + r * C;
    float mu = 0.0f;
    if constexpr (!kRms) {
      float total = 0.0f;
      for (std::int64_t j = threadIdx.x; j < C; j += blockDim.x) total += to_float(row[j]);
      mu = block_sum(total) / static_cast<float>(C);
    }
    float squares = 0.0f;
    for (std::int64_t j = threadIdx.x; j < C; j += blockDim.x) {
      const float d = to_float(row[j]) - mu;
      squares += d * d;
    }
    const float s = 1.0f / sqrtf(block_sum(squares) / static_cast<float>(C) + eps);
    if (threadIdx.x == 0) {
      if constexpr (!kRms) mean[r] = mu;
      rstd[r] = s;
    }
    for (std::int64_t j = threadIdx.x; j < C; j += blockDim.x) {
      float value = (to_float(row[j]) - mu) * s * to_float(weight[j]);
      if (bias) value += to_float(bias[j]);
      y[r * C + j] = from_float<T>(value);
    }
  }
}

// With xhat = (x - mean) rstd and g = dy weight: dx = rstd (g - mean(g) - xhat mean(g xhat));
// RMS norm drops the mean(g) term.
template <class T, bool kRms>
__global__ void norm_backward_kernel(std::int64_t R, std::int64_t C, const T* dy, const T* x,
                                     const T* weight, const float* mean, const float* rstd, T* dx) {
  for (std::int64_t r = blockIdx.x; r < R; r += gridDim.x) {
    const T *xr = x + r * C, *dyr = dy + r * C;
    const float mu = kRms ? 0.0f : mean[r], s = rstd[r];
    float g_total = 0.0f, gx_total = 0.0f;
    for (std::int64_t j = threadIdx.x; j < C; j += blockDim.x) {
      const float g = to_float(dyr[j]) * to_float(weight[j]);
      g_total += g;
      gx_total += g * (to_float(xr[j]) - mu) * s;
    }
    const float g_mean = kRms ? 0.0f : block_sum(g_total) / static_cast<float>(C);
    const float gx_mean = block_sum(gx_total) / static_cast<float>(C);
    for (std::int64_t j = threadIdx.x; j < C; j += blockDim.x) {
      const float g = to_float(dyr[j]) * to_float(weight[j]);
      const float xhat = (to_float(xr[j]) - mu) * s;
      dx[r * C + j] = from_float<T>(s * (g - g_mean - xhat * gx_mean));
    }
  }
}

// Block (32, 8) over 32 channels and one chunk of rows: partial_w[chunk, c] = sum dy xhat and
// partial_b[chunk, c] = sum dy over the chunk's rows (either output may be null).
template <class T, bool kRms>
__global__ void norm_param_partials_kernel(std::int64_t R, std::int64_t C, std::int64_t chunk_rows,
                                           const T* dy, const T* x, const float* mean,
                                           const float* rstd, float* partial_w, float* partial_b) {
  __shared__ float sum_w[8][33], sum_b[8][33];
  const std::int64_t c = static_cast<std::int64_t>(blockIdx.x) * 32 + threadIdx.x;
  const std::int64_t chunk = blockIdx.y;
  const std::int64_t r0 = chunk * chunk_rows, r1 = min(R, r0 + chunk_rows);
  float w = 0.0f, b = 0.0f;
  if (c < C)
    for (std::int64_t r = r0 + threadIdx.y; r < r1; r += 8) {
      const float d = to_float(dy[r * C + c]);
      w += d * (to_float(x[r * C + c]) - (kRms ? 0.0f : mean[r])) * rstd[r];
      b += d;
    }
  sum_w[threadIdx.y][threadIdx.x] = w;
  sum_b[threadIdx.y][threadIdx.x] = b;
  __syncthreads();
  if (threadIdx.y != 0 || c >= C) return;
  for (int k = 1; k < 8; ++k) w += sum_w[k][threadIdx.x], b += sum_b[k][threadIdx.x];
  if (partial_w) partial_w[chunk * C + c] = w;
  if (partial_b) partial_b[chunk * C + c] = b;
}

// out[c] = sum over chunks of partial[chunk, c], in chunk order.
template <class T>
__global__ void sum_chunks_kernel(std::int64_t chunks, std::int64_t C, const float* partial,
                                  T* out) {
  for (std::int64_t c = global_index(); c < C; c += global_stride()) {
    float total = 0.0f;
    for (std::int64_t k = 0; k < chunks; ++k) total += partial[k * C + c];
    out[c] = from_float<T>(total);
  }
}

// ---- launchers ----

template <class T, bool kRms>
void launch_norm_forward(std::int64_t R, std::int64_t C, float eps, const T* x, const T* weight,
                         const T* bias, T* y, float* mean, float* rstd, cudaStream_t stream) {
  if (R == 0 || C == 0) return;
  norm_forward_kernel<T, kRms>
      <<<grid_for(R, 1), row_threads(C), 0, stream>>>(R, C, eps, x, weight, bias, y, mean, rstd);
  FORGE_CUDA_LAUNCHED();
}

template <class T, bool kRms>
void launch_norm_backward(std::int64_t R, std::int64_t C, const T* dy, const T* x, const T* weight,
                          const float* mean, const float* rstd, T* dx, cudaStream_t stream) {
  if (R == 0 || C == 0) return;
  norm_backward_kernel<T, kRms>
      <<<grid_for(R, 1), row_threads(C), 0, stream>>>(R, C, dy, x, weight, mean, rstd, dx);
  FORGE_CUDA_LAUNCHED();
}

// Chunks of rows for the parameter gradients: kNormChunkRows rows each, fewer chunks than the
// grid's y limit.
inline std::int64_t norm_chunk_rows(std::int64_t R) {
  return std::max<std::int64_t>(kNormChunkRows, (R + 65534) / 65535);
}

template <class T, bool kRms>
void launch_norm_param_partials(std::int64_t R, std::int64_t C, const T* dy, const T* x,
                                const float* mean, const float* rstd, float* partial_w,
                                float* partial_b, cudaStream_t stream) {
  const std::int64_t rows = norm_chunk_rows(R), chunks = (R + rows - 1) / rows;
  const dim3 grid(static_cast<unsigned>((C + 31) / 32), static_cast<unsigned>(chunks));
  norm_param_partials_kernel<T, kRms>
      <<<grid, dim3(32, 8), 0, stream>>>(R, C, rows, dy, x, mean, rstd, partial_w, partial_b);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_sum_chunks(std::int64_t chunks, std::int64_t C, const float* partial, T* out,
                       cudaStream_t stream) {
  sum_chunks_kernel<<<grid_for(C), kThreads, 0, stream>>>(chunks, C, partial, out);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
