// Elementwise activations and their fused backward kernels, over contiguous tensors.
#include "cpu_kernels.h"
#include "kernel_util.h"

namespace forge::cpu {
namespace {

constexpr double kSqrt2OverPi = 0.7978845608028654;
constexpr double kGeluCubic = 0.044715;
constexpr std::int64_t kCost = 4;  // element steps per value: these maps do real arithmetic

// tanh through exp, so that float loops vectorize: tanh(u) = 1 - 2 / (exp(2u) + 1).
inline float tanh_acc(float u) { return 1.0f - 2.0f / (fast_exp(2.0f * u) + 1.0f); }
inline double tanh_acc(double u) { return std::tanh(u); }

// out[i] = f(in[0][i], in[1][i] or 0), in the accumulation type.
template <class F>
void map(const OpCall& call, F f) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    using A = Acc<T>;
    const T* x = in_ptr<T>(call.in[0]);
    const T* dy = call.inputs > 1 ? in_ptr<T>(call.in[1]) : nullptr;
    T* out = out_ptr<T>(call.out);
    for_chunks(call.out->numel(), kCost, [&](std::int64_t, std::int64_t begin, std::int64_t end) {
      if (dy) {
        for (std::int64_t i = begin; i < end; ++i)
          out[i] = static_cast<T>(f(static_cast<A>(x[i]), static_cast<A>(dy[i])));
      } else {
        for (std::int64_t i = begin; i < end; ++i)
          out[i] = static_cast<T>(f(static_cast<A>(x[i]), A(0)));
      }
    });
  });
}

template <class A>
A sigmoid(A x) {
  return A(1) / (A(1) + acc_exp(-x));
}

}  // namespace

void gelu(const OpCall& call) {
  map(call, [](auto x, auto) {
    using A = decltype(x);
    A u = A(kSqrt2OverPi) * (x + A(kGeluCubic) * x * x * x);
    return A(0.5) * x * (A(1) + tanh_acc(u));
  });
}

void gelu_backward(const OpCall& call) {
  map(call, [](auto x, auto dy) {
    using A = decltype(x);
    A x2 = x * x;
    A t = tanh_acc(A(kSqrt2OverPi) * (x + A(kGeluCubic) * x2 * x));
    A du = A(kSqrt2OverPi) * (A(1) + A(3 * kGeluCubic) * x2);
    return dy * (A(0.5) * (A(1) + t) + A(0.5) * x * (A(1) - t * t) * du);
  });
}

void silu(const OpCall& call) {
  map(call, [](auto x, auto) { return x * sigmoid(x); });
}

void silu_backward(const OpCall& call) {
  map(call, [](auto x, auto dy) {
    using A = decltype(x);
    A s = sigmoid(x);
    return dy * s * (A(1) + x * (A(1) - s));
  });
}

}  // namespace forge::cpu
