// Entry point of the fused AdamW update (adamw.cuh) for the op table.
#include "adamw.cuh"
#include "cuda_kernels.h"

#include <cmath>

namespace forge::cuda {

void adamw(const OpCall& call) {
  const OpParams& p = call.params;
  const auto step = static_cast<double>(p.step);
  // As on the CPU: 1 - beta and beta^step in double, which float would get visibly wrong.
  const AdamWStep s{static_cast<float>(p.lr),
                    static_cast<float>(p.weight_decay),
                    static_cast<float>(p.beta1),
                    static_cast<float>(p.beta2),
                    static_cast<float>(1.0 - p.beta1),
                    static_cast<float>(1.0 - p.beta2),
                    static_cast<float>(p.eps),
                    static_cast<float>(p.grad_scale),
                    static_cast<float>(1.0 / (1.0 - std::pow(p.beta1, step))),
                    static_cast<float>(1.0 / (1.0 - std::pow(p.beta2, step)))};
  const Tensor& grad = *call.in[0];
  if (grad.dtype() != DType::f32 && grad.dtype() != DType::bf16)
    throw Error(cat("[adamw] the cuda backend takes f32 or bf16 gradients, not ",
                    dtype_name(grad.dtype())));
  by_float_type(grad.dtype(), [&](auto* type) {
    using G = std::remove_pointer_t<decltype(type)>;
    launch_adamw(call.out->numel(), s, in_ptr<G>(&grad), out_ptr<float>(call.out),
                 out_ptr<float>(call.aux[0]), out_ptr<float>(call.aux[1]), stream_of(call));
  });
}

}  // namespace forge::cuda
