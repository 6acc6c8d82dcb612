// The CUDA op table: f32 and bf16 for every op (copy and fill also take i32 and f64), with
// fp32 master weights and moments for AdamW.
#include "backend/cuda/allocator.h"
#include "core/op_table.h"
#include "cuda_kernels.h"

namespace forge {
namespace {

constexpr std::uint8_t bit(DType dtype) { return 1u << static_cast<int>(dtype); }
constexpr std::uint8_t kFloats = bit(DType::f32) | bit(DType::bf16);
constexpr std::uint8_t kAll = kFloats | bit(DType::i32) | bit(DType::f64);

Backend make_cuda_backend() {
  Backend b;
  b.name = "cuda";
  b.device = Device::Type::cuda;
  b.allocate = cuda::allocate;
  b.deallocate = cuda::deallocate;
  auto set = [&](OpId op, OpKernel kernel, std::uint8_t dtypes) {
    b.kernels[static_cast<std::size_t>(op)] = kernel;
    b.dtypes[static_cast<std::size_t>(op)] = dtypes;
  };
  set(OpId::copy, cuda::copy, kAll);
  set(OpId::fill, cuda::fill, kAll);
  set(OpId::add, cuda::add, kFloats);
  set(OpId::sub, cuda::sub, kFloats);
  set(OpId::mul, cuda::mul, kFloats);
  set(OpId::div, cuda::div, kFloats);
  set(OpId::affine, cuda::affine, kFloats);
  set(OpId::exp, cuda::exp, kFloats);
  set(OpId::log, cuda::log, kFloats);
  set(OpId::tanh, cuda::tanh, kFloats);
  set(OpId::sqrt, cuda::sqrt, kFloats);
  set(OpId::rsqrt, cuda::rsqrt, kFloats);
  set(OpId::sum, cuda::sum, kFloats);
  set(OpId::matmul, cuda::matmul, kFloats);
  set(OpId::gelu, cuda::gelu, kFloats);
  set(OpId::gelu_backward, cuda::gelu_backward, kFloats);
  set(OpId::silu, cuda::silu, kFloats);
  set(OpId::silu_backward, cuda::silu_backward, kFloats);
  set(OpId::softmax, cuda::softmax, kFloats);
  set(OpId::softmax_backward, cuda::softmax_backward, kFloats);
  set(OpId::layer_norm, cuda::layer_norm, kFloats);
  set(OpId::layer_norm_backward, cuda::layer_norm_backward, kFloats);
  set(OpId::rms_norm, cuda::rms_norm, kFloats);
  set(OpId::rms_norm_backward, cuda::rms_norm_backward, kFloats);
  set(OpId::embedding, cuda::embedding, kFloats);
  set(OpId::embedding_backward, cuda::embedding_backward, kFloats);
  set(OpId::cross_entropy, cuda::cross_entropy, kFloats);
  set(OpId::cross_entropy_backward, cuda::cross_entropy_backward, kFloats);
  set(OpId::attention, cuda::attention, kFloats);
  set(OpId::attention_backward, cuda::attention_backward, kFloats);
  set(OpId::rope, cuda::rope, kFloats);
  // Master weights and moments are f32; the gradient may be f32 or bf16.
  set(OpId::adamw, cuda::adamw, bit(DType::f32));
  return b;
}

}  // namespace

const Backend* cuda_backend() {
  static const Backend backend = make_cuda_backend();
  return &backend;
}

}  // namespace forge
