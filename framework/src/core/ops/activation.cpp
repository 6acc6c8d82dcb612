// Front ends of the activations with fused backward kernels.
#include "core/ops/op_helpers.h"

namespace forge::ops {
namespace {

Tensor activation(OpId op, OpId backward_op, const Tensor& x) {
  const char* name = op_name(op).data();
  check_floating(name, x);
  Tensor input = dense(x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  run_kernel(op, {&input}, out);
  record_grad(out, name, {x}, [input, backward_op](const Tensor& g) {
    Tensor dy = dense_grad(g, input.dtype());
    Tensor dx = Tensor::empty(input.shape(), input.dtype(), input.device());
    run_kernel(backward_op, {&input, &dy}, dx);
    return std::vector<Tensor>{dx};
  });
  return out;
}

}  // namespace

Tensor gelu(const Tensor& x) { return activation(OpId::gelu, OpId::gelu_backward, x); }
Tensor silu(const Tensor& x) { return activation(OpId::silu, OpId::silu_backward, x); }

}  // namespace forge::ops
