#pragma once

// Elementwise kernels over tensors of any strides: copy with dtype conversion, fill, the binary
// arithmetic ops (broadcast inputs arrive as stride-0 views) and the unary maps. Values are
// computed in float, as the CPU kernels do for f32 and bf16. Dimension letters: N elements of
// the output. Operand 0 of every layout is the output.

#include "common.cuh"

namespace forge::cuda {

enum class BinaryOp { add, sub, mul, div };
enum class UnaryOp { affine, exp, log, tanh, sqrt, rsqrt };

// ---- kernels ----

// One element converted as the CPU's copy does: bf16 through float, the rest directly.
template <class Out, class In>
__device__ __forceinline__ Out convert(In x) {
  if constexpr (std::is_same_v<In, Out>)
    return x;
  else if constexpr (std::is_same_v<In, bf16>)
    return static_cast<Out>(__bfloat162float(x));
  else if constexpr (std::is_same_v<Out, bf16>)
    return __float2bfloat16_rn(static_cast<float>(x));
  else
    return static_cast<Out>(x);
}

template <class Out, class In>
__global__ void copy_kernel(std::int64_t N, Layout<2> layout, Out* out, const In* in) {
  for (std::int64_t i = global_index(); i < N; i += global_stride()) {
    std::int64_t at[2];
    layout.offsets(i, at);
    out[at[0]] = convert<Out>(in[at[1]]);
  }
}

template <class T>
__global__ void fill_kernel(std::int64_t N, Layout<1> layout, T* out, double value) {
  const T v = convert<T>(value);
  for (std::int64_t i = global_index(); i < N; i += global_stride()) {
    std::int64_t at[1];
    layout.offsets(i, at);
    out[at[0]] = v;
  }
}

template <BinaryOp kOp>
__device__ __forceinline__ float apply_binary(float a, float b) {
  if constexpr (kOp == BinaryOp::add) return a + b;
  if constexpr (kOp == BinaryOp::sub) return a - b;
  if constexpr (kOp == BinaryOp::mul) return a * b;
  if constexpr (kOp == BinaryOp::div) return a / b;
}

template <class T, BinaryOp kOp>
__global__ void binary_kernel(std::int64_t N, Layout<3> layout, T* out, const T* a, const T* b) {
  for (std::int64_t i = global_index(); i < N; i += global_stride()) {
    std::int64_t at[3];
    layout.offsets(i, at);
    out[at[0]] = from_float<T>(apply_binary<kOp>(to_float(a[at[1]]), to_float(b[at[2]])));
  }
}

template <UnaryOp kOp>
__device__ __forceinline__ float apply_unary(float x, float alpha, float beta) {
  if constexpr (kOp == UnaryOp::affine) return alpha * x + beta;
  if constexpr (kOp == UnaryOp::exp) return expf(x);
  if constexpr (kOp == UnaryOp::log) return logf(x);
  if constexpr (kOp == UnaryOp::tanh) return tanhf(x);
  if constexpr (kOp == UnaryOp::sqrt) return sqrtf(x);
  if constexpr (kOp == UnaryOp::rsqrt) return 1.0f / sqrtf(x);  // as the CPU: not rsqrtf
}

template <class T, UnaryOp kOp>
__global__ void unary_kernel(std::int64_t N, Layout<2> layout, T* out, const T* x, float alpha,
                             float beta) {
  for (std::int64_t i = global_index(); i < N; i += global_stride()) {
    std::int64_t at[2];
    layout.offsets(i, at);
    out[at[0]] = from_float<T>(apply_unary<kOp>(to_float(x[at[1]]), alpha, beta));
  }
}

// ---- launchers ----

template <class Out, class In>
void launch_copy(std::int64_t N, const Layout<2>& layout, Out* out, const In* in,
                 cudaStream_t stream) {
  if (N == 0) return;
  copy_kernel<<<grid_for(N), kThreads, 0, stream>>>(N, layout, out, in);
  FORGE_CUDA_LAUNCHED();
}

template <class T>
void launch_fill(std::int64_t N, const Layout<1>& layout, T* out, double value,
                 cudaStream_t stream) {
  if (N == 0) return;
  fill_kernel<<<grid_for(N), kThreads, 0, stream>>>(N, layout, out, value);
  FORGE_CUDA_LAUNCHED();
}

template <class T, BinaryOp kOp>
void launch_binary(std::int64_t N, const Layout<3>& layout, T* out, const T* a, const T* b,
                   cudaStream_t stream) {
  if (N == 0) return;
  binary_kernel<T, kOp><<<grid_for(N), kThreads, 0, stream>>>(N, layout, out, a, b);
  FORGE_CUDA_LAUNCHED();
}

template <class T, UnaryOp kOp>
void launch_unary(std::int64_t N, const Layout<2>& layout, T* out, const T* x, float alpha,
                  float beta, cudaStream_t stream) {
  if (N == 0) return;
  unary_kernel<T, kOp><<<grid_for(N), kThreads, 0, stream>>>(N, layout, out, x, alpha, beta);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
