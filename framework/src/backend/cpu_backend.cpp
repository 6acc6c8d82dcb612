#include <forge/parallel.h>

#include "backend/cpu_allocator.h"
#include "core/op_table.h"
#include "cpu_kernels.h"

#include <cstdlib>
#include <mutex>

namespace forge {
namespace {

constexpr std::uint8_t bit(DType dtype) { return 1u << static_cast<int>(dtype); }
constexpr std::uint8_t kFloats = bit(DType::f32) | bit(DType::bf16) | bit(DType::f64);
constexpr std::uint8_t kAll = kFloats | bit(DType::i32);

Backend make_cpu_backend() {
  Backend b;
  b.name = "cpu";
  b.device = Device::Type::cpu;
  b.allocate = cpu_allocate;
  b.deallocate = cpu_deallocate;
  auto set = [&](OpId op, OpKernel kernel, std::uint8_t dtypes) {
    b.kernels[static_cast<std::size_t>(op)] = kernel;
    b.dtypes[static_cast<std::size_t>(op)] = dtypes;
  };
  set(OpId::copy, cpu::copy, kAll);
  set(OpId::fill, cpu::fill, kAll);
  set(OpId::add, cpu::add, kFloats);
  set(OpId::sub, cpu::sub, kFloats);
  set(OpId::mul, cpu::mul, kFloats);
  set(OpId::div, cpu::div, kFloats);
  set(OpId::affine, cpu::affine, kFloats);
  set(OpId::exp, cpu::exp, kFloats);
  set(OpId::log, cpu::log, kFloats);
  set(OpId::tanh, cpu::tanh, kFloats);
  set(OpId::sqrt, cpu::sqrt, kFloats);
  set(OpId::rsqrt, cpu::rsqrt, kFloats);
  set(OpId::sum, cpu::sum, kFloats);
  set(OpId::matmul, cpu::matmul, kFloats);
  set(OpId::gelu, cpu::gelu, kFloats);
  set(OpId::gelu_backward, cpu::gelu_backward, kFloats);
  set(OpId::silu, cpu::silu, kFloats);
  set(OpId::silu_backward, cpu::silu_backward, kFloats);
  set(OpId::softmax, cpu::softmax, kFloats);
  set(OpId::softmax_backward, cpu::softmax_backward, kFloats);
  set(OpId::layer_norm, cpu::layer_norm, kFloats);
  set(OpId::layer_norm_backward, cpu::layer_norm_backward, kFloats);
  set(OpId::rms_norm, cpu::rms_norm, kFloats);
  set(OpId::rms_norm_backward, cpu::rms_norm_backward, kFloats);
  set(OpId::embedding, cpu::embedding, kFloats);
  set(OpId::embedding_backward, cpu::embedding_backward, kFloats);
  set(OpId::cross_entropy, cpu::cross_entropy, kFloats);
  set(OpId::cross_entropy_backward, cpu::cross_entropy_backward, kFloats);
  set(OpId::attention, cpu::attention, kFloats);
  set(OpId::attention_backward, cpu::attention_backward, kFloats);
  set(OpId::rope, cpu::rope, kFloats);
  // Parameters and moments are f32 (f64 for the tests); the gradient may be any float type.
  set(OpId::adamw, cpu::adamw, bit(DType::f32) | bit(DType::f64));
  return b;
}

}  // namespace

const Backend& cpu_backend() {
  static const Backend backend = make_cpu_backend();
  return backend;
}

}  // namespace forge
