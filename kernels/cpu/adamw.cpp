// The fused AdamW update, in place over contiguous parameter and moment tensors.
#include "cpu_kernels.h"
#include "kernel_util.h"

#include <forge/parallel.h>

namespace forge::cpu {
namespace {

template <class T, class G>
void adamw_typed(const OpCall& call) {
  using A = Acc<T>;
  const OpParams& p = call.params;
  const auto step = static_cast<double>(p.step);
  // Bias corrections and step size in double: beta^step loses digits in float for long runs.
  // So does 1 - beta: 1 - float(0.999) is 1.3e-5 off 0.001.
  const A lr = static_cast<A>(p.lr), wd = static_cast<A>(p.weight_decay);
  const A b1 = static_cast<A>(p.beta1), b2 = static_cast<A>(p.beta2), eps = static_cast<A>(p.eps);
  const A c1 = static_cast<A>(1.0 - p.beta1), c2 = static_cast<A>(1.0 - p.beta2);
  const A scale = static_cast<A>(p.grad_scale);
  const A inv_bc1 = static_cast<A>(1.0 / (1.0 - std::pow(p.beta1, step)));
  const A inv_bc2 = static_cast<A>(1.0 / (1.0 - std::pow(p.beta2, step)));
  const G* grad = in_ptr<G>(call.in[0]);
  T* param = out_ptr<T>(call.out);
  T *m = out_ptr<T>(call.aux[0]), *v = out_ptr<T>(call.aux[1]);
  // An elementwise update with no sums: any split gives the same result, and long spans per
  // thread stream memory fastest (the update is bound by memory, 28 bytes an element).
  const std::int64_t n = call.out->numel();
  const std::int64_t span = std::max<std::int64_t>(kChunkWork, n / default_threads() + 1);
  const auto spans = static_cast<std::size_t>((n + span - 1) / span);
  parallel_for(spans, default_threads(), [&](std::size_t piece) {
    const std::int64_t begin = static_cast<std::int64_t>(piece) * span;
    const std::int64_t end = std::min(n, begin + span);
    for (std::int64_t i = begin; i < end; ++i) {
      A g = static_cast<A>(grad[i]) * scale;
      A mi = b1 * m[i] + c1 * g;
      A vi = b2 * v[i] + c2 * g * g;
      m[i] = mi;
      v[i] = vi;
      param[i] -= lr * (mi * inv_bc1 / (std::sqrt(vi * inv_bc2) + eps) + wd * param[i]);
    }
  });
}

}  // namespace

void adamw(const OpCall& call) {
  by_float_type(call.in[0]->dtype(), [&](auto* grad_type) {
    using G = std::remove_pointer_t<decltype(grad_type)>;
    switch (call.out->dtype()) {
      case DType::f32:
        return adamw_typed<float, G>(call);
      case DType::f64:
        return adamw_typed<double, G>(call);
      default:
        FORGE_CHECK(false, "adamw called for ", dtype_name(call.out->dtype()), " parameters");
    }
  });
}

}  // namespace forge::cpu
