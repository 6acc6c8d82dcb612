// Front end of the fused AdamW step: an in-place update outside autograd.
#include "core/ops/op_helpers.h"

namespace forge::ops {

void adamw_step(const Tensor& param, const Tensor& grad, const Tensor& m, const Tensor& v,
                const AdamWOptions& options) {
  if (param.dtype() != DType::f32 && param.dtype() != DType::f64)
    throw Error(cat("[adamw] parameters must be f32 or f64 (master weights), not ",
                    dtype_name(param.dtype())));
  for (const auto& [name, t] : {std::pair{"grad", &grad}, {"m", &m}, {"v", &v}})
    if (t->shape() != param.shape())
      throw Error(cat("[adamw] ", name, " has shape ", shape_str(t->shape()),
                      " but the parameter has shape ", shape_str(param.shape())));
  for (const auto& [name, t] : {std::pair{"m", &m}, {"v", &v}})
    if (t->dtype() != param.dtype())
      throw Error(cat("[adamw] ", name, " is ", dtype_name(t->dtype()), " but the parameter is ",
                      dtype_name(param.dtype()), "; the moments keep the parameter's dtype"));
  check_floating("adamw", grad);
  for (const auto& [name, t] : {std::pair{"param", &param}, {"m", &m}, {"v", &v}})
    if (!t->is_contiguous())
      throw Error(cat("[adamw] ", name, " must be contiguous: it is updated in place"));
  if (options.step < 1) throw Error(cat("[adamw] step counts from 1, not ", options.step));
  OpParams params;
  params.lr = options.lr;
  params.beta1 = options.beta1;
  params.beta2 = options.beta2;
  params.eps = options.eps;
  params.weight_decay = options.weight_decay;
  params.step = options.step;
  params.grad_scale = options.grad_scale;
  Tensor g = dense(grad), p = param.detach(), first = m.detach(), second = v.detach();
  run_kernel(OpId::adamw, {&g}, p, {&first, &second}, params);
}

}  // namespace forge::ops
