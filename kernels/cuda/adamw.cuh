#pragma once

// The fused AdamW update, in place over contiguous fp32 master weights and moments; the
// gradient may be f32 or bf16. Dimension letters: N parameters.

#include "common.cuh"

namespace forge::cuda {

// Scalars of one step; the bias corrections are computed in double on the host.
struct AdamWStep {
  float lr, weight_decay, beta1, beta2, one_minus_beta1, one_minus_beta2, eps, grad_scale;
  float inv_bias_correction1, inv_bias_correction2;
};

// ---- kernels ----

template <class G>
__global__ void adamw_kernel(std::int64_t N, AdamWStep s, const G* grad, float* param, float* m,
                             float* v) {
  for (std::int64_t i = global_index(); i < N; i += global_stride()) {
    const float g = to_float(grad[i]) * s.grad_scale;
    const float mi = s.beta1 * m[i] + s.one_minus_beta1 * g;
    const float vi = s.beta2 * v[i] + s.one_minus_beta2 * g * g;
    m[i] = mi;
    v[i] = vi;
    const float p = param[i];
    param[i] =
        p - s.lr * (mi * s.inv_bias_correction1 / (sqrtf(vi * s.inv_bias_correction2) + s.eps) +
                    s.weight_decay * p);
  }
}

// ---- launchers ----

template <class G>
void launch_adamw(std::int64_t N, const AdamWStep& step, const G* grad, float* param, float* m,
                  float* v, cudaStream_t stream) {
  if (N == 0) return;
  adamw_kernel<<<grid_for(N), kThreads, 0, stream>>>(N, step, grad, param, m, v);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
