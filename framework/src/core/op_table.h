#pragma once

// The closed set of ops every backend implements, and how a front end calls a backend.

#include <forge/tensor.h>

#include <array>
#include <cstdint>
#include <string_view>

namespace forge {

// Fused ops keep their statistics (mean, rstd, logsumexp) in the stat dtype: f64 for f64
// tensors, f32 otherwise. Every input of a kernel is contiguous unless its comment says so.
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
  sqrt,           // any strides, like the elementwise ops above
  rsqrt,          // 1 / sqrt
  sum,            // out <- sum of in[0] over the trailing axes that out lacks (see ops/reduce.cpp)
  matmul,         // out[b] <- op(in[0][b]) @ op(in[1][b or 0]); op = transpose when flagged
  gelu,           // out <- gelu(in[0]), tanh approximation
  gelu_backward,  // out <- in[1] * gelu'(in[0]); in[1] = the output's gradient
  silu,           // out <- in[0] * sigmoid(in[0])
  silu_backward,  // out <- in[1] * silu'(in[0])
  softmax,        // out <- softmax of in[0] over its last dim
  softmax_backward,  // out <- d input, from in[0] = softmax output, in[1] = its gradient
  // in: x [R, C], weight [C], bias [C] or null; out: y [R, C]; aux: mean [R], rstd [R]
  layer_norm,
  // in: dy, x, weight, mean, rstd; out: dx; aux: dweight, dbias (each may be null)
  layer_norm_backward,
  // in: x [R, C], weight [C]; out: y; aux: rstd [R]
  rms_norm,
  // in: dy, x, weight, rstd; out: dx; aux: dweight (may be null)
  rms_norm_backward,
  // in: ids i32 [N], table [V, C]; out [N, C]. Throws for an id outside [0, V).
  embedding,
  // in: ids [N], dout [N, C]; out: dtable [V, C], a deterministic scatter-add
  embedding_backward,
  // in: logits [N, V], targets i32 [N], weights [N] (stat dtype) or null; out: mean loss [];
  // aux: lse [N], counted weight []. params: ignore_index, z_loss
  cross_entropy,
  // in: logits, targets, lse, counted weight, dloss [], weights or null; out: dlogits
  cross_entropy_backward,
  // in: q [B, Hq, T, D], k, v [B, Hkv, S, D], document starts i32 [B, T] or null (packed
  // documents); out [B, Hq, T, D]; aux: lse [B, Hq, T]. params: causal, scale, offset (the
  // query offset)
  attention,
  // in: q, k, v, out, dout, lse, document starts or null; out: dq; aux: dk, dv
  attention_backward,
  // out <- in[0] [B, H, T, D] rotated; params: offset (position), theta, inverse
  rope,
  // In place: out = param, aux = m, v; in[0] = grad (any floating dtype). params: adamw fields
  adamw,
  count
};

inline constexpr std::size_t kOpCount = static_cast<std::size_t>(OpId::count);
inline constexpr std::array<std::string_view, kOpCount> kOpNames = {
    "copy",          "fill",
    "add",           "sub",
    "mul",           "div",
    "affine",        "exp",
    "log",           "tanh",
    "sqrt",          "rsqrt",
    "sum",           "matmul",
    "gelu",          "gelu_backward",
    "silu",          "silu_backward",
    "softmax",       "softmax_backward",
    "layer_norm",    "layer_norm_backward",
    "rms_norm",      "rms_norm_backward",
    "embedding",     "embedding_backward",
    "cross_entropy", "cross_entropy_backward",
    "attention",     "attention_backward",
    "rope",          "adamw"};
static_assert(kOpNames.size() == kOpCount, "every op needs a name");
static_assert(kOpNames.back() == "adamw", "names follow the order of OpId");

inline std::string_view op_name(OpId op) { return kOpNames[static_cast<std::size_t>(op)]; }

// The stat dtype of fused ops (see OpId).
inline DType stat_dtype(DType dtype) { return dtype == DType::f64 ? DType::f64 : DType::f32; }

// Scalar settings of an op; each op reads only the fields its comment names.
struct OpParams {
  double alpha = 1.0, beta = 0.0;
  bool transpose_a = false, transpose_b = false;
  double eps = 0.0;                  // layer_norm, rms_norm, adamw
  std::int64_t ignore_index = -100;  // cross_entropy
  double z_loss = 0.0;               // cross_entropy
  bool causal = false;               // attention
  double scale = 1.0;                // attention
  std::int64_t offset = 0;           // attention: query offset; rope: position offset
  double theta = 10000.0;            // rope
  bool inverse = false;              // rope: rotate by minus the angle (its backward)
  double lr = 0.0, beta1 = 0.9, beta2 = 0.999, weight_decay = 0.0;  // adamw
  std::int64_t step = 1;                                            // adamw, counts from 1
  double grad_scale = 1.0;                                          // adamw
};

inline constexpr int kMaxOpInputs = 7;
inline constexpr int kMaxOpAux = 2;

struct OpCall {
  OpId op;
  const Tensor* in[kMaxOpInputs] = {};  // a null entry is an absent optional input
  int inputs = 0;
  Tensor* out = nullptr;        // the main output: its device and dtype choose the kernel
  Tensor* aux[kMaxOpAux] = {};  // further outputs of fused ops; null when not wanted
  OpParams params = {};
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
