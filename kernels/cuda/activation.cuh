#pragma once

// GELU (tanh approximation) and SiLU with their fused backward kernels, over contiguous
// tensors, in float. Dimension letters: N elements.

#include "common.cuh"

namespace forge::cuda {

enum class Activation { gelu, gelu_backward, silu, silu_backward };

// ---- kernels ----

template <Activation kAct>
__device__ __forceinline__ float activate_one(float x, float dy) {
  constexpr float kSqrt2OverPi = 0.7978845608028654f, kCubic = 0.044715f;
  if constexpr (kAct == Activation::gelu) {
    return 0.5f * x * (1.0f + tanhf(kSqrt2OverPi * (x + kCubic * x * x * x)));
  } else if constexpr (kAct == Activation::gelu_backward) {
    const float x2 = x * x;
    const float t = tanhf(kSqrt2OverPi * (x + kCubic * x2 * x));
    const float du = kSqrt2OverPi * (1.0f + 3.0f * kCubic * x2);
    return dy * (0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du);
  } else if constexpr (kAct == Activation::silu) {
    return x / (1.0f + expf(-x));
  } else {
    const float s = 1.0f / (1.0f + expf(-x));
    return dy * s * (1.0f + x * (1.0f - s));
  }
}

// out[i] = f(x[i], dy[i]); dy is null for the forward maps.
template <class T, Activation kAct>
__global__ void activation_kernel(std::int64_t N, const T* x, const T* dy, T* out) {
  for (std::int64_t i = global_index(); i < N; i += global_stride())
    out[i] = from_float<T>(activate_one<kAct>(to_float(x[i]), dy ? to_float(dy[i]) : 0.0f));
}

// ---- launchers ----

template <class T, Activation kAct>
void launch_activation(std::int64_t N, const T* x, const T* dy, T* out, cudaStream_t stream) {
  if (N == 0) return;
  activation_kernel<T, kAct><<<grid_for(N), kThreads, 0, stream>>>(N, x, dy, out);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
