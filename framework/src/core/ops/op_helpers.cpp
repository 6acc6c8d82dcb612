#include "core/ops/op_helpers.h"

namespace forge::ops {

void check_same_dtype(const char* op, const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype())
    throw Error(cat("[", op, "] inputs have dtypes ", dtype_name(a.dtype()), " and ",
                    dtype_name(b.dtype()), "; convert one with .to()"));
}

void check_floating(const char* op, const Tensor& x) {
  if (!is_floating(x.dtype()))
    throw Error(cat("[", op, "] needs a floating-point tensor, not ", dtype_name(x.dtype())));
}

Shape broadcast_shapes(const char* op, const Shape& a, const Shape& b) {
  Shape out(std::max(a.size(), b.size()));
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::int64_t da = i < out.size() - a.size() ? 1 : a[i - (out.size() - a.size())];
    std::int64_t db = i < out.size() - b.size() ? 1 : b[i - (out.size() - b.size())];
    if (da != db && da != 1 && db != 1)
      throw Error(cat("[", op, "] shapes ", shape_str(a), " and ", shape_str(b),
                      " cannot be broadcast together"));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Tensor run_unary(OpId op, const Tensor& x, const Shape& out_shape, OpParams params) {
  Tensor out = Tensor::empty(out_shape, x.dtype(), x.device());
  OpCall call{op};
  call.in[0] = &x;
  call.inputs = 1;
  call.out = &out;
  call.params = params;
  dispatch(call);
  return out;
}

Tensor run_binary(OpId op, const Tensor& a, const Tensor& b, const Shape& out_shape) {
  Tensor wide_a = a.detach().expand(out_shape), wide_b = b.detach().expand(out_shape);
  Tensor out = Tensor::empty(out_shape, a.dtype(), a.device());
  OpCall call{op};
  call.in[0] = &wide_a;
  call.in[1] = &wide_b;
  call.inputs = 2;
  call.out = &out;
  dispatch(call);
  return out;
}

void run_kernel(OpId op, std::initializer_list<const Tensor*> inputs, Tensor& out,
                std::initializer_list<Tensor*> aux, const OpParams& params) {
  FORGE_CHECK(inputs.size() <= kMaxOpInputs && aux.size() <= kMaxOpAux, "op ", op_name(op),
              " has more operands than an OpCall holds");
  OpCall call{op};
  for (const Tensor* input : inputs) call.in[call.inputs++] = input;
  call.out = &out;
  int slot = 0;
  for (Tensor* extra : aux) call.aux[slot++] = extra;
  call.params = params;
  dispatch(call);
}

Tensor dense(const Tensor& x) { return x.detach().contiguous(); }

Tensor dense_grad(const Tensor& grad, DType dtype) {
  return grad.dtype() == dtype ? dense(grad) : dense(grad.detach().to(dtype));
}

}  // namespace forge::ops
