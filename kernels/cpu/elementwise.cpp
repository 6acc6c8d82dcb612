#include "cpu_kernels.h"
#include "kernel_util.h"

#include <cmath>

namespace forge::cpu {
namespace {

template <class F>
void binary(const OpCall& call, F f) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const T* a = static_cast<const T*>(call.in[0]->data_ptr());
    const T* b = static_cast<const T*>(call.in[1]->data_ptr());
    T* o = static_cast<T*>(call.out->data_ptr());
    parallel_runs<3>(call.out->shape(),
                     {&call.in[0]->strides(), &call.in[1]->strides(), &call.out->strides()},
                     [&](const auto& at, std::int64_t n, const auto& step) {
                       const T *pa = a + at[0], *pb = b + at[1];
                       T* po = o + at[2];
                       dense_or_strided<3>(step, n, [&](std::int64_t count, auto unit) {
                         // A broadcast operand (step 0) keeps the strided form; so does any view.
                         const std::int64_t sa = unit ? 1 : step[0], sb = unit ? 1 : step[1];
                         const std::int64_t so = unit ? 1 : step[2];
                         for (std::int64_t i = 0; i < count; ++i)
                           po[i * so] = static_cast<T>(
                               f(static_cast<Acc<T>>(pa[i * sa]), static_cast<Acc<T>>(pb[i * sb])));
                       });
                     });
  });
}

template <class F>
void unary(const OpCall& call, F f) {
  by_float_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    const T* x = static_cast<const T*>(call.in[0]->data_ptr());
    T* o = static_cast<T*>(call.out->data_ptr());
    parallel_runs<2>(call.out->shape(), {&call.in[0]->strides(), &call.out->strides()},
                     [&](const auto& at, std::int64_t n, const auto& step) {
                       const T* px = x + at[0];
                       T* po = o + at[1];
                       dense_or_strided<2>(step, n, [&](std::int64_t count, auto unit) {
                         const std::int64_t sx = unit ? 1 : step[0], so = unit ? 1 : step[1];
                         for (std::int64_t i = 0; i < count; ++i)
                           po[i * so] = static_cast<T>(f(static_cast<Acc<T>>(px[i * sx])));
                       });
                     });
  });
}

template <class Out, class In>
void copy_typed(const OpCall& call) {
  const In* x = static_cast<const In*>(call.in[0]->data_ptr());
  Out* o = static_cast<Out*>(call.out->data_ptr());
  parallel_runs<2>(call.out->shape(), {&call.in[0]->strides(), &call.out->strides()},
                   [&](const auto& at, std::int64_t n, const auto& step) {
                     const In* px = x + at[0];
                     Out* po = o + at[1];
                     dense_or_strided<2>(step, n, [&](std::int64_t count, auto unit) {
                       const std::int64_t sx = unit ? 1 : step[0], so = unit ? 1 : step[1];
                       for (std::int64_t i = 0; i < count; ++i) {
                         auto value = px[i * sx];
                         // bf16 goes through float; everything else converts directly.
                         if constexpr (std::is_same_v<In, bf16_t>)
                           po[i * so] = static_cast<Out>(static_cast<float>(value));
                         else if constexpr (std::is_same_v<Out, bf16_t>)
                           po[i * so] = bf16_t(static_cast<float>(value));
                         else
                           po[i * so] = static_cast<Out>(value);
                       }
                     });
                   });
}

template <class Fn>
void by_any_type(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::f32:
      return fn(static_cast<float*>(nullptr));
    case DType::f64:
      return fn(static_cast<double*>(nullptr));
    case DType::bf16:
      return fn(static_cast<bf16_t*>(nullptr));
    case DType::i32:
      return fn(static_cast<std::int32_t*>(nullptr));
  }
}

}  // namespace

void copy(const OpCall& call) {
  by_any_type(call.out->dtype(), [&](auto* out_type) {
    by_any_type(call.in[0]->dtype(), [&](auto* in_type) {
      copy_typed<std::remove_pointer_t<decltype(out_type)>,
                 std::remove_pointer_t<decltype(in_type)>>(call);
    });
  });
}

void fill(const OpCall& call) {
  by_any_type(call.out->dtype(), [&](auto* type) {
    using T = std::remove_pointer_t<decltype(type)>;
    T value;
    if constexpr (std::is_same_v<T, bf16_t>)
      value = bf16_t(static_cast<float>(call.params.alpha));
    else
      value = static_cast<T>(call.params.alpha);
    T* o = static_cast<T*>(call.out->data_ptr());
    parallel_runs<1>(call.out->shape(), {&call.out->strides()},
                     [&](const auto& at, std::int64_t n, const auto& step) {
                       T* po = o + at[0];
                       dense_or_strided<1>(step, n, [&](std::int64_t count, auto unit) {
                         const std::int64_t so = unit ? 1 : step[0];
                         for (std::int64_t i = 0; i < count; ++i) po[i * so] = value;
                       });
                     });
  });
}

void add(const OpCall& call) {
  binary(call, [](auto a, auto b) { return a + b; });
}
void sub(const OpCall& call) {
  binary(call, [](auto a, auto b) { return a - b; });
}
void mul(const OpCall& call) {
  binary(call, [](auto a, auto b) { return a * b; });
}
void div(const OpCall& call) {
  binary(call, [](auto a, auto b) { return a / b; });
}

void affine(const OpCall& call) {
  double scale = call.params.alpha, shift = call.params.beta;
  unary(call, [=](auto x) { return static_cast<decltype(x)>(scale * x + shift); });
}

void exp(const OpCall& call) {
  unary(call, [](auto x) { return std::exp(x); });
}
void log(const OpCall& call) {
  unary(call, [](auto x) { return std::log(x); });
}
void tanh(const OpCall& call) {
  unary(call, [](auto x) { return std::tanh(x); });
}
void sqrt(const OpCall& call) {
  unary(call, [](auto x) { return std::sqrt(x); });
}
void rsqrt(const OpCall& call) {
  unary(call, [](auto x) { return 1 / std::sqrt(x); });
}

}  // namespace forge::cpu
