// Matmul through cuBLASLt: bf16 or f32 inputs, fp32 accumulation (no TF32, so f32 products
// keep f32 accuracy), batched with strides, either operand transposed. Row-major
// C = op(A) op(B) is the column-major product C^T = op(B)^T op(A)^T, so B goes first.
// Dimension letters: M, N, K the product's sizes, one matrix per batch.
#include "common.cuh"
#include "cuda_kernels.h"

#include <cublasLt.h>

#include <mutex>

namespace forge::cuda {
namespace {

void check_cublas(cublasStatus_t status, const char* expr, const char* file, int line) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw Error(cat("cuBLASLt error ", cublasLtGetStatusName(status), " (",
                    cublasLtGetStatusString(status), ") in ", expr, " at ", file, ":", line));
}
#define FORGE_CUBLAS_CHECK(expr) check_cublas((expr), #expr, __FILE__, __LINE__)

constexpr std::size_t kWorkspaceBytes = std::size_t{32} << 20;
constexpr int kMaxDevices = 64;

struct Blas {
  cublasLtHandle_t handle = nullptr;
  void* workspace = nullptr;
};

// One handle and workspace per device, made on first use and kept for the process.
const Blas& blas(int device) {
  static std::mutex mutex;
  static Blas per_device[kMaxDevices];
  FORGE_CHECK(device >= 0 && device < kMaxDevices, "cuda device index ", device);
  std::lock_guard lock(mutex);
  Blas& b = per_device[device];
  if (!b.handle) {
    FORGE_CUBLAS_CHECK(cublasLtCreate(&b.handle));
    FORGE_CUDA_CHECK(cudaMalloc(&b.workspace, kWorkspaceBytes));
  }
  return b;
}

// The largest power of two (up to 256) dividing every byte offset a kernel may start a load at.
std::uint32_t alignment(const void* data, std::int64_t ld_bytes, std::int64_t batch_bytes) {
  auto bits = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data)) |
              static_cast<std::uint64_t>(ld_bytes) | static_cast<std::uint64_t>(batch_bytes) | 256u;
  return static_cast<std::uint32_t>(bits & (~bits + 1));
}

// Destroys cuBLASLt descriptors when a product is done or fails.
struct Descriptors {
  cublasLtMatmulDesc_t op = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;
  cublasLtMatmulPreference_t preference = nullptr;
  ~Descriptors() {
    if (preference) cublasLtMatmulPreferenceDestroy(preference);
    if (c) cublasLtMatrixLayoutDestroy(c);
    if (b) cublasLtMatrixLayoutDestroy(b);
    if (a) cublasLtMatrixLayoutDestroy(a);
    if (op) cublasLtMatmulDescDestroy(op);
  }
};

struct Product {
  bool ta, tb;
  std::int64_t m, n, k, batches, a_step, b_step;  // steps in elements between batches
  cudaDataType_t type;
  std::size_t element;
};

cublasLtMatrixLayout_t layout(cudaDataType_t type, std::int64_t rows, std::int64_t cols,
                              std::int64_t batches, std::int64_t step) {
  cublasLtMatrixLayout_t desc = nullptr;
  FORGE_CUBLAS_CHECK(cublasLtMatrixLayoutCreate(&desc, type, static_cast<std::uint64_t>(rows),
                                                static_cast<std::uint64_t>(cols), rows));
  if (batches > 1) {
    const auto count = static_cast<std::int32_t>(batches);
    FORGE_CUBLAS_CHECK(cublasLtMatrixLayoutSetAttribute(desc, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT,
                                                        &count, sizeof count));
    FORGE_CUBLAS_CHECK(cublasLtMatrixLayoutSetAttribute(
        desc, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, &step, sizeof step));
  }
  return desc;
}

void run(const Product& p, const void* a, const void* b, void* c, int device, cudaStream_t stream) {
  const Blas& lt = blas(device);
  Descriptors d;
  FORGE_CUBLAS_CHECK(cublasLtMatmulDescCreate(&d.op, CUBLAS_COMPUTE_32F, CUDA_R_32F));
  // cuBLAS's first operand is our B: stored [K, N] row-major it is the column-major [N, K].
  const cublasOperation_t first = p.tb ? CUBLAS_OP_T : CUBLAS_OP_N;
  const cublasOperation_t second = p.ta ? CUBLAS_OP_T : CUBLAS_OP_N;
  FORGE_CUBLAS_CHECK(
      cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_TRANSA, &first, sizeof first));
  FORGE_CUBLAS_CHECK(
      cublasLtMatmulDescSetAttribute(d.op, CUBLASLT_MATMUL_DESC_TRANSB, &second, sizeof second));
  const std::int64_t b_rows = p.tb ? p.k : p.n, b_cols = p.tb ? p.n : p.k;
  const std::int64_t a_rows = p.ta ? p.m : p.k, a_cols = p.ta ? p.k : p.m;
  d.a = layout(p.type, b_rows, b_cols, p.batches, p.b_step);
  d.b = layout(p.type, a_rows, a_cols, p.batches, p.a_step);
  d.c = layout(p.type, p.n, p.m, p.batches, p.m * p.n);

  FORGE_CUBLAS_CHECK(cublasLtMatmulPreferenceCreate(&d.preference));
  const std::uint64_t workspace = kWorkspaceBytes;
  FORGE_CUBLAS_CHECK(cublasLtMatmulPreferenceSetAttribute(
      d.preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace, sizeof workspace));
  const auto e = static_cast<std::int64_t>(p.element);
  const std::uint32_t align_a = alignment(b, b_rows * e, p.b_step * e);
  const std::uint32_t align_b = alignment(a, a_rows * e, p.a_step * e);
  const std::uint32_t align_c = alignment(c, p.n * e, p.m * p.n * e);
  const std::pair<cublasLtMatmulPreferenceAttributes_t, std::uint32_t> alignments[] = {
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, align_a},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, align_b},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, align_c},
      {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, align_c}};
  for (const auto& [attribute, value] : alignments)
    FORGE_CUBLAS_CHECK(
        cublasLtMatmulPreferenceSetAttribute(d.preference, attribute, &value, sizeof value));

  cublasLtMatmulHeuristicResult_t heuristic{};
  int found = 0;
  FORGE_CUBLAS_CHECK(cublasLtMatmulAlgoGetHeuristic(lt.handle, d.op, d.a, d.b, d.c, d.c,
                                                    d.preference, 1, &heuristic, &found));
  if (found == 0)
    throw Error(cat("[matmul] cuBLASLt has no algorithm for a ", p.m, "x", p.k, " by ", p.k, "x",
                    p.n, " product (", p.batches, " batches) on cuda:", device));
  const float one = 1.0f, zero = 0.0f;
  FORGE_CUBLAS_CHECK(cublasLtMatmul(lt.handle, d.op, &one, b, d.a, a, d.b, &zero, c, d.c, c, d.c,
                                    &heuristic.algo, lt.workspace, kWorkspaceBytes, stream));
}

}  // namespace

void matmul(const OpCall& call) {
  const Tensor &a = *call.in[0], &b = *call.in[1], &out = *call.out;
  FORGE_CHECK(a.is_contiguous() && b.is_contiguous(),
              "matmul's front end passes contiguous inputs");
  Product p{call.params.transpose_a,
            call.params.transpose_b,
            out.size(-2),
            out.size(-1),
            0,
            0,
            0,
            0,
            out.dtype() == DType::bf16 ? CUDA_R_16BF : CUDA_R_32F,
            dtype_size(out.dtype())};
  p.k = p.ta ? a.size(-2) : a.size(-1);
  if (p.m * p.n == 0) return;
  p.batches = out.numel() / (p.m * p.n);
  p.a_step = p.m * p.k;
  p.b_step = b.ndim() > 2 ? p.k * p.n : 0;
  const int device = out.device().index;
  cudaStream_t stream = stream_of(call);
  if (p.k == 0) {  // an empty sum: zeros
    FORGE_CUDA_CHECK(cudaMemsetAsync(out.data_ptr(), 0, out.numel() * p.element, stream));
    return;
  }
  const auto* pa = static_cast<const char*>(a.data_ptr());
  const auto* pb = static_cast<const char*>(b.data_ptr());
  auto* pc = static_cast<char*>(out.data_ptr());
  if (p.b_step != 0 || p.batches == 1) return run(p, pa, pb, pc, device, stream);
  // A 2-d B shared by every batch (the front end folds the untransposed case into one product):
  // one product per batch rather than rely on a zero batch stride.
  const std::int64_t batches = p.batches;
  p.batches = 1;
  for (std::int64_t i = 0; i < batches; ++i)
    run(p, pa + i * p.a_step * p.element, pb, pc + i * p.m * p.n * p.element, device, stream);
}

}  // namespace forge::cuda
