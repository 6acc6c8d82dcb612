// Front ends of layer norm and RMS norm: checks, the fused forward kernel (which saves the row
// statistics) and the fused backward kernel that gives dx, dweight and dbias at once.
#include "core/ops/op_helpers.h"

namespace forge::ops {
namespace {

// x [..., C] with a matching [C] parameter; returns C.
std::int64_t check_norm(const char* op, const Tensor& x, const Tensor& param, const char* what) {
  check_floating(op, x);
  if (x.ndim() < 1) throw Error(cat("[", op, "] needs x of at least 1 dim, not a scalar"));
  if (!param.defined()) throw Error(cat("[", op, "] the ", what, " is undefined"));
  std::int64_t C = x.size(-1);
  if (param.shape() != Shape{C})
    throw Error(cat("[", op, "] ", what, " has shape ", shape_str(param.shape()),
                    " but the last dim of x is ", C));
  if (param.dtype() != x.dtype())
    throw Error(cat("[", op, "] ", what, " is ", dtype_name(param.dtype()), " but x is ",
                    dtype_name(x.dtype()), "; convert one with .to()"));
  return C;
}

std::int64_t rows(const Tensor& x) { return x.size(-1) ? x.numel() / x.size(-1) : 0; }

}  // namespace

Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps) {
  const std::int64_t C = check_norm("layer_norm", x, weight, "weight");
  if (bias.defined()) check_norm("layer_norm", x, bias, "bias");
  DType stat = stat_dtype(x.dtype());
  Tensor cx = dense(x), cw = dense(weight), cb = bias.defined() ? dense(bias) : Tensor();
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor mean = Tensor::empty({rows(x)}, stat, x.device());
  Tensor rstd = Tensor::empty({rows(x)}, stat, x.device());
  OpParams params;
  params.eps = eps;
  run_kernel(OpId::layer_norm, {&cx, &cw, cb.defined() ? &cb : nullptr}, out, {&mean, &rstd},
             params);
  const bool want_dw = weight.requires_grad();
  const bool want_db = bias.defined() && bias.requires_grad();
  std::vector<Tensor> inputs = {x, weight};
  if (bias.defined()) inputs.push_back(bias);
  record_grad(out, "layer_norm", std::move(inputs), [=](const Tensor& g) {
    Tensor dy = dense_grad(g, cx.dtype());
    Tensor dx = Tensor::empty(cx.shape(), cx.dtype(), cx.device());
    Tensor dw = want_dw ? Tensor::empty({C}, cx.dtype(), cx.device()) : Tensor();
    Tensor db = want_db ? Tensor::empty({C}, cx.dtype(), cx.device()) : Tensor();
    run_kernel(OpId::layer_norm_backward, {&dy, &cx, &cw, &mean, &rstd}, dx,
               {want_dw ? &dw : nullptr, want_db ? &db : nullptr});
    std::vector<Tensor> grads = {dx, dw};
    if (cb.defined()) grads.push_back(db);
    return grads;
  });
  return out;
}

Tensor rms_norm(const Tensor& x, const Tensor& weight, double eps) {
  const std::int64_t C = check_norm("rms_norm", x, weight, "weight");
  Tensor cx = dense(x), cw = dense(weight);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  Tensor rstd = Tensor::empty({rows(x)}, stat_dtype(x.dtype()), x.device());
  OpParams params;
  params.eps = eps;
  run_kernel(OpId::rms_norm, {&cx, &cw}, out, {&rstd}, params);
  const bool want_dw = weight.requires_grad();
  record_grad(out, "rms_norm", {x, weight}, [=](const Tensor& g) {
    Tensor dy = dense_grad(g, cx.dtype());
    Tensor dx = Tensor::empty(cx.shape(), cx.dtype(), cx.device());
    Tensor dw = want_dw ? Tensor::empty({C}, cx.dtype(), cx.device()) : Tensor();
    run_kernel(OpId::rms_norm_backward, {&dy, &cx, &cw, &rstd}, dx, {want_dw ? &dw : nullptr});
    return std::vector<Tensor>{dx, dw};
  });
  return out;
}

}  // namespace forge::ops
