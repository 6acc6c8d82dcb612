#include "cpu_kernels.h"

#include <cblas.h>

#include <vector>

namespace forge::cpu {
namespace {

struct Gemm {
  bool ta, tb;
  std::int64_t m, n, k, lda, ldb, ldc;
};

void gemm(const Gemm& g, const float* a, const float* b, float* c) {
  cblas_sgemm(CblasRowMajor, g.ta ? CblasTrans : CblasNoTrans, g.tb ? CblasTrans : CblasNoTrans,
              g.m, g.n, g.k, 1.0f, a, g.lda, b, g.ldb, 0.0f, c, g.ldc);
}

void gemm(const Gemm& g, const double* a, const double* b, double* c) {
  cblas_dgemm(CblasRowMajor, g.ta ? CblasTrans : CblasNoTrans, g.tb ? CblasTrans : CblasNoTrans,
              g.m, g.n, g.k, 1.0, a, g.lda, b, g.ldb, 0.0, c, g.ldc);
}

// bf16 on the CPU is for checking, not speed: widen to f32, multiply, round back.
void gemm(const Gemm& g, const bf16_t* a, const bf16_t* b, bf16_t* c) {
  std::vector<float> fa(a, a + g.m * g.k), fb(b, b + g.k * g.n), fc(g.m * g.n);
  gemm(g, fa.data(), fb.data(), fc.data());
  for (std::size_t i = 0; i < fc.size(); ++i) c[i] = bf16_t(fc[i]);
}

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
  for (std::int64_t i = 0; i < batches; ++i)
    gemm(g, pa + i * a_step, pb + i * b_step, pc + i * g.m * g.n);
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
