#pragma once

// Flash-style attention: a block takes a tile of kBr query rows (or, for dk and dv, kBc keys)
// and walks the other side in tiles through shared memory with an online softmax, so no
// [T, S] score matrix exists. Four threads share one row of a tile: each owns every fourth
// key of the tile and every fourth dim of the row's accumulators. Statistics and sums are
// f32. The reference and fallback kernel; it runs on CUDA cores, not tensor cores.
// Dimension letters: B batch, Hq query heads, Hkv key/value heads (query head h reads kv head
// h / (Hq / Hkv)), T queries, S keys, D head size.

#include "common.cuh"

namespace forge::cuda {

inline constexpr int kBr = 32, kBc = 32;  // query rows and keys per tile
inline constexpr int kLanes = 4;          // threads per tile row
inline constexpr int kAttentionThreads = kBr * kLanes;
static_assert(kBr == kBc, "the tile loaders serve both sides");

struct AttentionShape {
  std::int64_t B, Hq, Hkv, T, S, D, offset;
  bool causal;
  float scale;
  const std::int32_t* starts;  // packed documents: [B, T] first key of each query, or null
};

// ---- kernels ----

// Query t of batch row b sees key s: inside the sequence, not in the future (causal, at
// position offset + t), not before the start of its document (packed).
__device__ __forceinline__ bool visible(const AttentionShape& a, std::int64_t b, std::int64_t t,
                                        std::int64_t s) {
  return t < a.T && s < a.S && (!a.causal || s <= a.offset + t) &&
         (!a.starts || s >= a.starts[b * a.T + t]);
}

// rows [0, kBr) of a tile (row stride D in memory, D + 1 in shared memory so that the rows of
// a warp fall in different banks) as float; rows at or past `rows` are zeros.
template <class T>
__device__ void load_tile(float* tile, const T* src, std::int64_t rows, int D) {
  for (int i = threadIdx.x; i < kBr * D; i += blockDim.x) {
    const int r = i / D, d = i % D;
    tile[r * (D + 1) + d] = r < rows ? to_float(src[static_cast<std::int64_t>(r) * D + d]) : 0.0f;
  }
}

__device__ __forceinline__ float dot(const float* x, const float* y, int D) {
  float total = 0.0f;
  for (int d = 0; d < D; ++d) total += x[d] * y[d];
  return total;
}

// The combined value of the kLanes threads of one tile row (neighbouring lanes of one warp).
__device__ __forceinline__ float row_max(float v) {
  v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 1));
  return fmaxf(v, __shfl_xor_sync(0xffffffffu, v, 2));
}
__device__ __forceinline__ float row_sum(float v) {
  v += __shfl_xor_sync(0xffffffffu, v, 1);
  return v + __shfl_xor_sync(0xffffffffu, v, 2);
}

// The keys [begin, end) that some query of the tile starting at q0 may see.
__device__ __forceinline__ void key_range(const AttentionShape& a, std::int64_t b, std::int64_t q0,
                                          std::int64_t& begin, std::int64_t& end) {
  const std::int64_t last = min(a.T, q0 + kBr) - 1;
  end = a.causal ? min(a.S, a.offset + last + 1) : a.S;
  // Documents start in order along the row, so the tile's first query starts the earliest.
  begin = a.starts ? a.starts[b * a.T + q0] : 0;
}

// Block (head = b Hq + h, query tile): out and lse (f32) of kBr rows. kChunks >= D / kLanes.
template <class T, int kChunks>
__global__ void __launch_bounds__(kAttentionThreads)
    attention_forward_kernel(AttentionShape a, const T* q, const T* k, const T* v, T* out,
                             float* lse) {
  extern __shared__ float smem[];
  const int D = static_cast<int>(a.D), ld = D + 1;
  float *sq = smem, *sk = sq + kBr * ld, *sv = sk + kBc * ld, *sp = sv + kBc * ld;
  const std::int64_t head = blockIdx.x, b = head / a.Hq;
  const std::int64_t kv_head = b * a.Hkv + (head % a.Hq) / (a.Hq / a.Hkv);
  const std::int64_t q0 = static_cast<std::int64_t>(blockIdx.y) * kBr;
  const int row = threadIdx.x / kLanes, lane = threadIdx.x % kLanes;
  const std::int64_t t = q0 + row;
  load_tile(sq, q + (head * a.T + q0) * D, a.T - q0, D);

  float m = -INFINITY, l = 0.0f, acc[kChunks];
#pragma unroll
  for (int u = 0; u < kChunks; ++u) acc[u] = 0.0f;
  std::int64_t begin, end;
  key_range(a, b, q0, begin, end);
  for (std::int64_t k0 = begin; k0 < end; k0 += kBc) {
    __syncthreads();  // everyone is done with the previous tile
    load_tile(sk, k + (kv_head * a.S + k0) * D, a.S - k0, D);
    load_tile(sv, v + (kv_head * a.S + k0) * D, a.S - k0, D);
    __syncthreads();
    float score[kBc / kLanes], tile_max = -INFINITY;
#pragma unroll
    for (int jj = 0; jj < kBc / kLanes; ++jj) {
      const int j = lane + jj * kLanes;
      score[jj] =
          visible(a, b, t, k0 + j) ? dot(&sq[row * ld], &sk[j * ld], D) * a.scale : -INFINITY;
      tile_max = fmaxf(tile_max, score[jj]);
    }
    const float m_new = fmaxf(m, row_max(tile_max));
    // Until a row has seen a visible key its maximum stays -inf and its weights 0.
    const float correction = m_new == -INFINITY ? 1.0f : expf(m - m_new);
    float tile_sum = 0.0f;
#pragma unroll
    for (int jj = 0; jj < kBc / kLanes; ++jj) {
      const float p = score[jj] == -INFINITY ? 0.0f : expf(score[jj] - m_new);
      sp[row * (kBc + 1) + lane + jj * kLanes] = p;
      tile_sum += p;
    }
    l = l * correction + row_sum(tile_sum);
    m = m_new;
    __syncwarp();  // a row's weights are written and read by its own four lanes
#pragma unroll
    for (int u = 0; u < kChunks; ++u) acc[u] *= correction;
    for (int j = 0; j < kBc; ++j) {
      const float p = sp[row * (kBc + 1) + j];
#pragma unroll
      for (int u = 0; u < kChunks; ++u)
        if (lane + u * kLanes < D) acc[u] += p * sv[j * ld + lane + u * kLanes];
    }
  }
  if (t >= a.T) return;
  const float inv = l > 0.0f ? 1.0f / l : 0.0f;
#pragma unroll
  for (int u = 0; u < kChunks; ++u) {
    const int d = lane + u * kLanes;
    if (d < D) out[(head * a.T + t) * D + d] = from_float<T>(acc[u] * inv);
  }
  if (lane == 0) lse[head * a.T + t] = l > 0.0f ? m + logf(l) : -INFINITY;
}

// delta[row] = sum_d dout[row, d] out[row, d], one warp per row of [B Hq T, D].
template <class T>
__global__ void attention_delta_kernel(std::int64_t rows, int D, const T* out, const T* dout,
                                       float* delta) {
  const int lane = threadIdx.x & 31;
  for (std::int64_t r = global_index() / 32; r < rows; r += global_stride() / 32) {
    float total = 0.0f;
    for (int d = lane; d < D; d += 32)
      total += to_float(dout[r * D + d]) * to_float(out[r * D + d]);
    total = warp_sum(total);
    if (lane == 0) delta[r] = total;
  }
}

// Block (kv head = b Hkv + h, key tile): dk and dv of kBc keys, over every query head of the
// group and every query tile. With P = exp(scale q k - lse) and dS = P (dout v - delta) scale:
// dv = sum P dout, dk = sum dS q. Each gradient element has one writer: no atomics.
template <class T, int kChunks>
__global__ void __launch_bounds__(kAttentionThreads)
    attention_dkdv_kernel(AttentionShape a, const T* q, const T* k, const T* v, const T* dout,
                          const float* lse, const float* delta, T* dk, T* dv) {
  extern __shared__ float smem[];
  const int D = static_cast<int>(a.D), ld = D + 1, lp = kBr + 1;
  float *sk = smem, *sv = sk + kBc * ld, *sq = sv + kBc * ld, *sdo = sq + kBr * ld;
  float *sp = sdo + kBr * ld, *sds = sp + kBc * lp, *sl = sds + kBc * lp, *sdelta = sl + kBr;
  const std::int64_t kv_head = blockIdx.x, b = kv_head / a.Hkv, group = a.Hq / a.Hkv;
  const std::int64_t k0 = static_cast<std::int64_t>(blockIdx.y) * kBc;
  const int key = threadIdx.x / kLanes, lane = threadIdx.x % kLanes;
  const std::int64_t s = k0 + key;
  load_tile(sk, k + (kv_head * a.S + k0) * D, a.S - k0, D);
  load_tile(sv, v + (kv_head * a.S + k0) * D, a.S - k0, D);

  float dk_acc[kChunks], dv_acc[kChunks];
#pragma unroll
  for (int u = 0; u < kChunks; ++u) dk_acc[u] = dv_acc[u] = 0.0f;
  // Causal queries before k0 - offset see none of these keys.
  const std::int64_t first_query = a.causal ? max(std::int64_t{0}, k0 - a.offset) : 0;
  for (std::int64_t r = 0; r < group; ++r) {
    const std::int64_t head = b * a.Hq + (kv_head % a.Hkv) * group + r;
    for (std::int64_t q0 = first_query; q0 < a.T; q0 += kBr) {
      // Later queries start their documents no earlier: past this one, none sees the tile.
      if (a.starts && a.starts[b * a.T + q0] >= k0 + kBc) break;
      __syncthreads();
      load_tile(sq, q + (head * a.T + q0) * D, a.T - q0, D);
      load_tile(sdo, dout + (head * a.T + q0) * D, a.T - q0, D);
      if (threadIdx.x < kBr) {
        const std::int64_t t = q0 + threadIdx.x;
        sl[threadIdx.x] = t < a.T ? lse[head * a.T + t] : 0.0f;
        sdelta[threadIdx.x] = t < a.T ? delta[head * a.T + t] : 0.0f;
      }
      __syncthreads();
#pragma unroll
      for (int ii = 0; ii < kBr / kLanes; ++ii) {
        const int i = lane + ii * kLanes;
        float p = 0.0f, ds = 0.0f;
        if (visible(a, b, q0 + i, s)) {
          p = expf(dot(&sq[i * ld], &sk[key * ld], D) * a.scale - sl[i]);
          ds = p * (dot(&sdo[i * ld], &sv[key * ld], D) - sdelta[i]) * a.scale;
        }
        sp[key * lp + i] = p;
        sds[key * lp + i] = ds;
      }
      __syncwarp();  // a key's weights are written and read by its own four lanes
      for (int i = 0; i < kBr; ++i) {
        const float p = sp[key * lp + i], ds = sds[key * lp + i];
#pragma unroll
        for (int u = 0; u < kChunks; ++u) {
          const int d = lane + u * kLanes;
          if (d >= D) continue;
          dv_acc[u] += p * sdo[i * ld + d];
          dk_acc[u] += ds * sq[i * ld + d];
        }
      }
    }
  }
  if (s >= a.S) return;
#pragma unroll
  for (int u = 0; u < kChunks; ++u) {
    const int d = lane + u * kLanes;
    if (d >= D) continue;
    dk[(kv_head * a.S + s) * D + d] = from_float<T>(dk_acc[u]);
    dv[(kv_head * a.S + s) * D + d] = from_float<T>(dv_acc[u]);
  }
}

// Block (head = b Hq + h, query tile): dq = sum over keys of dS k, the weights recomputed
// from lse as in the dk/dv kernel.
template <class T, int kChunks>
__global__ void __launch_bounds__(kAttentionThreads)
    attention_dq_kernel(AttentionShape a, const T* q, const T* k, const T* v, const T* dout,
                        const float* lse, const float* delta, T* dq) {
  extern __shared__ float smem[];
  const int D = static_cast<int>(a.D), ld = D + 1;
  float *sq = smem, *sdo = sq + kBr * ld, *sk = sdo + kBr * ld, *sv = sk + kBc * ld;
  float* sds = sv + kBc * ld;
  const std::int64_t head = blockIdx.x, b = head / a.Hq;
  const std::int64_t kv_head = b * a.Hkv + (head % a.Hq) / (a.Hq / a.Hkv);
  const std::int64_t q0 = static_cast<std::int64_t>(blockIdx.y) * kBr;
  const int row = threadIdx.x / kLanes, lane = threadIdx.x % kLanes;
  const std::int64_t t = q0 + row;
  load_tile(sq, q + (head * a.T + q0) * D, a.T - q0, D);
  load_tile(sdo, dout + (head * a.T + q0) * D, a.T - q0, D);
  const float row_lse = t < a.T ? lse[head * a.T + t] : 0.0f;
  const float row_delta = t < a.T ? delta[head * a.T + t] : 0.0f;

  float acc[kChunks];
#pragma unroll
  for (int u = 0; u < kChunks; ++u) acc[u] = 0.0f;
  std::int64_t begin, end;
  key_range(a, b, q0, begin, end);
  for (std::int64_t k0 = begin; k0 < end; k0 += kBc) {
    __syncthreads();
    load_tile(sk, k + (kv_head * a.S + k0) * D, a.S - k0, D);
    load_tile(sv, v + (kv_head * a.S + k0) * D, a.S - k0, D);
    __syncthreads();
#pragma unroll
    for (int jj = 0; jj < kBc / kLanes; ++jj) {
      const int j = lane + jj * kLanes;
      float ds = 0.0f;
      if (visible(a, b, t, k0 + j)) {
        const float p = expf(dot(&sq[row * ld], &sk[j * ld], D) * a.scale - row_lse);
        ds = p * (dot(&sdo[row * ld], &sv[j * ld], D) - row_delta) * a.scale;
      }
      sds[row * (kBc + 1) + j] = ds;
    }
    __syncwarp();
    for (int j = 0; j < kBc; ++j) {
      const float ds = sds[row * (kBc + 1) + j];
#pragma unroll
      for (int u = 0; u < kChunks; ++u)
        if (lane + u * kLanes < D) acc[u] += ds * sk[j * ld + lane + u * kLanes];
    }
  }
  if (t >= a.T) return;
#pragma unroll
  for (int u = 0; u < kChunks; ++u) {
    const int d = lane + u * kLanes;
    if (d < D) dq[(head * a.T + t) * D + d] = from_float<T>(acc[u]);
  }
}

// ---- launchers ----

// Shared memory of each kernel, in bytes.
inline std::size_t forward_smem(std::int64_t D) {
  return sizeof(float) * ((kBr + 2 * kBc) * (D + 1) + kBr * (kBc + 1));
}
inline std::size_t dkdv_smem(std::int64_t D) {
  return sizeof(float) * ((2 * kBr + 2 * kBc) * (D + 1) + 2 * kBc * (kBr + 1) + 2 * kBr);
}
inline std::size_t dq_smem(std::int64_t D) {
  return sizeof(float) * ((2 * kBr + 2 * kBc) * (D + 1) + kBr * (kBc + 1));
}

// Opts a kernel into more than the default 48 KiB of dynamic shared memory when it needs it.
template <class Kernel>
void allow_smem(Kernel kernel, std::size_t bytes) {
  if (bytes > 48 * 1024)
    FORGE_CUDA_CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                          static_cast<int>(bytes)));
}

template <class T, int kChunks>
void launch_attention_forward(const AttentionShape& a, const T* q, const T* k, const T* v, T* out,
                              float* lse, cudaStream_t stream) {
  const std::size_t smem = forward_smem(a.D);
  auto kernel = attention_forward_kernel<T, kChunks>;
  allow_smem(kernel, smem);
  const dim3 grid(static_cast<unsigned>(a.B * a.Hq), static_cast<unsigned>((a.T + kBr - 1) / kBr));
  kernel<<<grid, kAttentionThreads, smem, stream>>>(a, q, k, v, out, lse);
  FORGE_CUDA_LAUNCHED();
}

template <class T, int kChunks>
void launch_attention_backward(const AttentionShape& a, const T* q, const T* k, const T* v,
                               const T* out, const T* dout, const float* lse, float* delta, T* dq,
                               T* dk, T* dv, cudaStream_t stream) {
  const std::int64_t rows = a.B * a.Hq * a.T;
  attention_delta_kernel<<<grid_for(rows * 32), kThreads, 0, stream>>>(rows, static_cast<int>(a.D),
                                                                       out, dout, delta);
  FORGE_CUDA_LAUNCHED();
  auto dkdv = attention_dkdv_kernel<T, kChunks>;
  allow_smem(dkdv, dkdv_smem(a.D));
  const dim3 key_grid(static_cast<unsigned>(a.B * a.Hkv),
                      static_cast<unsigned>((a.S + kBc - 1) / kBc));
  dkdv<<<key_grid, kAttentionThreads, dkdv_smem(a.D), stream>>>(a, q, k, v, dout, lse, delta, dk,
                                                                dv);
  FORGE_CUDA_LAUNCHED();
  auto dq_kernel = attention_dq_kernel<T, kChunks>;
  allow_smem(dq_kernel, dq_smem(a.D));
  const dim3 query_grid(static_cast<unsigned>(a.B * a.Hq),
                        static_cast<unsigned>((a.T + kBr - 1) / kBr));
  dq_kernel<<<query_grid, kAttentionThreads, dq_smem(a.D), stream>>>(a, q, k, v, dout, lse, delta,
                                                                     dq);
  FORGE_CUDA_LAUNCHED();
}

}  // namespace forge::cuda
