#include <forge/parallel.h>

#include "blas.h"
#include "cpu_kernels.h"

#include <algorithm>
#include <vector>

namespace forge::cpu {
namespace {

struct Gemm {
  bool ta, tb;
  std::int64_t m, n, k, lda, ldb, ldc;
};

void gemm(const Gemm& g, const float* a, const float* b, float* c) {
  cpu::gemm(g.ta, g.tb, g.m, g.n, g.k, 1.0f, a, g.lda, b, g.ldb, 0.0f, c, g.ldc);
}

void gemm(const Gemm& g, const double* a, const double* b, double* c) {
  cpu::gemm(g.ta, g.tb, g.m, g.n, g.k, 1.0, a, g.lda, b, g.ldb, 0.0, c, g.ldc);
}

// bf16 on the CPU is for checking, not speed: widen to f32, multiply, round back.
void gemm(const Gemm& g, const bf16_t* a, const bf16_t* b, bf16_t* c) {
  std::vector<float> fa(a, a + g.m * g.k), fb(b, b + g.k * g.n), fc(g.m * g.n);
  gemm(g, fa.data(), fb.data(), fc.data());
  for (std::size_t i = 0; i < fc.size(); ++i) c[i] = bf16_t(fc[i]);
}

// Products below this many multiply-adds run whole on the calling thread.
constexpr std::int64_t kSplitWork = std::int64_t{1} << 20;

// One product split into tiles of C, one per thread: columns when C is wide, rows otherwise.
// BLAS runs single-threaded inside each tile, so forge's pool is the only one, and each
// element of C is summed in the same order whatever the thread count.
template <class T>
void split_gemm(const Gemm& g, const T* a, const T* b, T* c) {
  const unsigned threads = default_threads();
  if (threads <= 1 || g.m * g.n * g.k < kSplitWork) return gemm(g, a, b, c);
  const bool by_columns = g.n >= g.m;
  const std::int64_t extent = by_columns ? g.n : g.m;
  const std::int64_t align = by_columns ? 64 : 8;
  std::int64_t tile = (extent + threads - 1) / threads;
  tile = (tile + align - 1) / align * align;
  const auto tiles = static_cast<std::size_t>((extent + tile - 1) / tile);
  parallel_for(tiles, threads, [&](std::size_t i) {
    const std::int64_t start = static_cast<std::int64_t>(i) * tile;
    Gemm part = g;
    if (by_columns) {
      part.n = std::min(tile, g.n - start);
      gemm(part, a, b + (g.tb ? start * g.ldb : start), c + start);
    } else {
      part.m = std::min(tile, g.m - start);
      gemm(part, a + (g.ta ? start : start * g.lda), b, c + start * g.ldc);
    }
  });
}

void split_gemm(const Gemm& g, const bf16_t* a, const bf16_t* b, bf16_t* c) { gemm(g, a, b, c); }

template <class T>
void batched(const OpCall& call) {
  const Tensor &a = *call.in[0], &b = *call.in[1], &out = *call.out;
  Gemm g{call.params.transpose_a,
         call.params.transpose_b,
         out.size(-2),
         out.size(-1),
         0,
         a.size(-1),
         b.size(-1),
         out.size(-1)};
  g.k = g.ta ? a.size(-2) : a.size(-1);
  std::int64_t batches = out.numel() / (g.m * g.n);
  std::int64_t a_step = a.size(-2) * a.size(-1);
  std::int64_t b_step = b.ndim() > 2 ? b.size(-2) * b.size(-1) : 0;
  const T* pa = static_cast<const T*>(a.data_ptr());
  const T* pb = static_cast<const T*>(b.data_ptr());
  T* pc = static_cast<T*>(out.data_ptr());
  if (batches == 1) return split_gemm(g, pa, pb, pc);
  const unsigned threads = g.m * g.n * g.k * batches < kSplitWork ? 1u : default_threads();
  parallel_for(static_cast<std::size_t>(batches), threads, [&](std::size_t i) {
    const auto b = static_cast<std::int64_t>(i);
    gemm(g, pa + b * a_step, pb + b * b_step, pc + b * g.m * g.n);
  });
}

}  // namespace

void matmul(const OpCall& call) {
  FORGE_CHECK(call.in[0]->is_contiguous() && call.in[1]->is_contiguous(),
              "matmul's front end passes contiguous inputs");
  switch (call.out->dtype()) {
    case DType::f32:
      return batched<float>(call);
    case DType::f64:
      return batched<double>(call);
    case DType::bf16:
      return batched<bf16_t>(call);
    case DType::i32:
      break;
  }
  FORGE_CHECK(false, "matmul called for ", dtype_name(call.out->dtype()));
}

}  // namespace forge::cpu
