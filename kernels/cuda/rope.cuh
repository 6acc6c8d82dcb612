#pragma once

// Rotary position embedding, Hugging Face's rotate_half convention: element i of a head pairs
// with i + D/2, both turned by (offset + t) theta^(-2i/D); the inverse (the backward) turns by
// minus the angle. Angles are computed in double into a [T, D/2] table, as on the CPU: in
// float, positions of thousands would lose the low digits of the angle. Dimension letters:
// B batch, H heads, T positions, D head size.

#include "common.cuh"

namespace forge::cuda {

// ---- kernels ----

__global__ void rope_table_kernel(std::int64_t T, std::int64_t half, std::int64_t offset,
                                  double theta, float* cos_table, float* sin_table) {
  for (std::int64_t i = global_index(); i < T * half; i += global_stride()) {
    const std::int64_t t = i / half, k = i % half;
    const double frequency = pow(theta, -2.0 * static_cast<double>(k) / (2.0 * half));
    double s, c;
    sincos(static_cast<double>(offset + t) * frequency, &s, &c);
    cos_table[i] = static_cast<float>(c);
    sin_table[i] = static_cast<float>(s);
  }
}

// x and out [rows = B H T, D], contiguous.
template <class T>
__global__ void rope_kernel(std::int64_t rows, std::int64_t Tn, std::int64_t D, float sign,
                            const float* cos_table, const float* sin_table, const T* x, T* out) {
  const std::int64_t half = D / 2;
  for (std::int64_t i = global_index(); i < rows * half; i += global_stride()) {
    const std::int64_t r = i / half, k = i % half, at = (r % Tn) * half + k;
    const float c = cos_table[at], s = sign * sin_table[at];
    const float x1 = to_float(x[r * D + k]), x2 = to_float(x[r * D + k + half]);
    out[r * D + k] = from_float<T>(x1 * c - x2 * s);
    out[r * D + k + half] = from_float<T>(x2 * c + x1 * s);
  }
}

// ---- launchers ----

inline void launch_rope_table(std::int64_t T, std::int64_t half, std::int64_t offset, double theta,
                              float* cos_table, float* sin_table, cudaStream_t stream) {
  if (T * half == 0) return;
  rope_table_kernel<<<grid_for(T * half), kThreads, 0, stream>>>(T, half, offset, theta, cos_table,
                                                                 sin_table);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_rope(std::int64_t rows, std::int64_t Tn, std::int64_t D, bool inverse,
                 const float* cos_table, const float* sin_table, const T* x, T* out,
                 cudaStream_t stream) {
  if (rows * (D / 2) == 0) return;
  rope_kernel<<<grid_for(rows * (D / 2)), kThreads, 0, stream>>>(
      rows, Tn, D, inverse ? -1.0f : 1.0f, cos_table, sin_table, x, out);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
