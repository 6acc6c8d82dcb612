#pragma once

// The sum reduction: out has x's rank with size 1 on the reduced dims. Output element o sums
// the R elements x[kept(o) + reduced(r)] in float, in an order fixed by the sizes alone.
// Dimension letters: O output elements, R elements summed into each.

#include "common.cuh"

namespace forge::cuda {

// ---- kernels ----

// One warp per output: for many outputs of few elements each.
template <class T>
__global__ void sum_by_warps(std::int64_t O, std::int64_t R, Layout<1> kept, Layout<1> reduced,
                             const T* x, T* out) {
  const int lane = threadIdx.x & 31;
  const std::int64_t warps = global_stride() / 32;
  for (std::int64_t o = global_index() / 32; o < O; o += warps) {
    std::int64_t base[1], at[1];
    kept.offsets(o, base);
    float total = 0.0f;
    for (std::int64_t r = lane; r < R; r += 32) {
      reduced.offsets(r, at);
      total += to_float(x[base[0] + at[0]]);
    }
    total = warp_sum(total);
    if (lane == 0) out[o] = from_float<T>(total);
  }
}

// One block per output: for few outputs of many elements each.
template <class T>
__global__ void sum_by_blocks(std::int64_t O, std::int64_t R, Layout<1> kept, Layout<1> reduced,
                              const T* x, T* out) {
  for (std::int64_t o = blockIdx.x; o < O; o += gridDim.x) {
    std::int64_t base[1], at[1];
    kept.offsets(o, base);
    float total = 0.0f;
    for (std::int64_t r = threadIdx.x; r < R; r += blockDim.x) {
      reduced.offsets(r, at);
      total += to_float(x[base[0] + at[0]]);
    }
    total = block_sum(total);
    if (threadIdx.x == 0) out[o] = from_float<T>(total);
  }
}

// ---- launchers ----

template <class T>
void launch_sum(std::int64_t O, std::int64_t R, const Layout<1>& kept, const Layout<1>& reduced,
                const T* x, T* out, cudaStream_t stream) {
  if (O == 0) return;
  constexpr int kBlockThreads = 1024;
  if (O <= 1024 && R >= 4096) {
    sum_by_blocks<<<static_cast<unsigned>(O), kBlockThreads, 0, stream>>>(O, R, kept, reduced, x,
                                                                          out);
  } else {
    sum_by_warps<<<grid_for(O * 32), kThreads, 0, stream>>>(O, R, kept, reduced, x, out);
  }
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
