#pragma once

// The closed set of ops every backend implements, and how a front end calls a backend.

#include <forge/tensor.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace forge {

enum class OpId : std::uint8_t {
  copy,  // out (any strides, any dtype) <- in[0]
  fill,  // out <- params.alpha
  add,   // out <- in[0] + in[1], inputs already broadcast to out's shape (maybe stride 0)
  sub,
  mul,
  div,
  affine,  // out <- alpha * in[0] + beta
  exp,
  log,
  tanh,
  sum,     // out <- sum of in[0] over the trailing axes that out lacks (see ops/reduce.cpp)
  matmul,  // out[b] <- op(in[0][b]) @ op(in[1][b or 0]); op = transpose when flagged
  count
};

inline constexpr std::size_t kOpCount = static_cast<std::size_t>(OpId::count);
inline constexpr std::array<std::string_view, kOpCount> kOpNames = {
    "copy", "fill", "add", "sub", "mul", "div", "affine", "exp", "log", "tanh", "sum", "matmul"};
static_assert(kOpNames.size() == kOpCount, "every op needs a name");

inline std::string_view op_name(OpId op) { return kOpNames[static_cast<std::size_t>(op)]; }

// Scalar settings of an op; each op reads only the fields its comment names.
struct OpParams {
  double alpha = 1.0, beta = 0.0;
  bool transpose_a = false, transpose_b = false;
};

struct OpCall {
  OpId op;
  const Tensor* in[4] = {};
  int inputs = 0;
  Tensor* out = nullptr;
  OpParams params;
};

using OpKernel = void (*)(const OpCall& call);

// One backend's implementation of the op table. A null kernel, or a dtype missing from an
// op's mask, is an op the backend does not support: dispatch says so by name.
struct FORGE_API Backend {
  std::string_view name;
  Device::Type device = Device::Type::cpu;
  std::array<OpKernel, kOpCount> kernels{};
  std::array<std::uint8_t, kOpCount> dtypes{};  // bit (1 << DType) per supported dtype

  void* (*allocate)(std::size_t bytes, int device_index) = nullptr;
  void (*deallocate)(void* data, std::size_t bytes, int device_index) = nullptr;

  bool supports(OpId op, DType dtype) const {
    auto i = static_cast<std::size_t>(op);
    return kernels[i] && (dtypes[i] >> static_cast<int>(dtype) & 1u);
  }
};

FORGE_API const Backend& backend_for(Device device);
// Runs `call` on the backend of its output's device, after checking support and devices.
FORGE_API void dispatch(const OpCall& call);

}  // namespace forge
