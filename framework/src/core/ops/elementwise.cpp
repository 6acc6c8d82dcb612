#include "core/ops/op_helpers.h"

namespace forge::ops {
namespace {

Tensor binary(OpId op, const Tensor& a, const Tensor& b) {
  const char* name = op_name(op).data();
  check_same_dtype(name, a, b);
  return run_binary(op, a, b, broadcast_shapes(name, a.shape(), b.shape()));
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) {
  Tensor out = binary(OpId::add, a, b);
  Shape sa = a.shape(), sb = b.shape();
  record_grad(out, "add", {a, b}, [sa, sb](const Tensor& g) {
    return std::vector<Tensor>{sum_to(g, sa), sum_to(g, sb)};
  });
  return out;
}

Tensor sub(const Tensor& a, const Tensor& b) {
  Tensor out = binary(OpId::sub, a, b);
  Shape sa = a.shape(), sb = b.shape();
  record_grad(out, "sub", {a, b}, [sa, sb](const Tensor& g) {
    return std::vector<Tensor>{sum_to(g, sa), sum_to(affine(g, -1.0), sb)};
  });
  return out;
}

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = binary(OpId::mul, a, b);
  Tensor da = a.detach(), db = b.detach();
  record_grad(out, "mul", {a, b}, [da, db](const Tensor& g) {
    return std::vector<Tensor>{sum_to(mul(g, db), da.shape()), sum_to(mul(g, da), db.shape())};
  });
  return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = binary(OpId::div, a, b);
  Tensor da = a.detach(), db = b.detach(), quotient = out.detach();
  record_grad(out, "div", {a, b}, [da, db, quotient](const Tensor& g) {
    Tensor ga = div(g, db);  // d(a/b)/da = 1/b;  d(a/b)/db = -(a/b)/b
    return std::vector<Tensor>{sum_to(ga, da.shape()),
                               sum_to(affine(mul(ga, quotient), -1.0), db.shape())};
  });
  return out;
}

Tensor affine(const Tensor& x, double scale, double shift) {
  check_floating("affine", x);
  OpParams params;
  params.alpha = scale;
  params.beta = shift;
  Tensor out = run_unary(OpId::affine, x, x.shape(), params);
  record_grad(out, "affine", {x},
              [scale](const Tensor& g) { return std::vector<Tensor>{affine(g, scale)}; });
  return out;
}

Tensor exp(const Tensor& x) {
  check_floating("exp", x);
  Tensor out = run_unary(OpId::exp, x, x.shape());
  Tensor y = out.detach();
  record_grad(out, "exp", {x}, [y](const Tensor& g) { return std::vector<Tensor>{mul(g, y)}; });
  return out;
}

Tensor log(const Tensor& x) {
  check_floating("log", x);
  Tensor out = run_unary(OpId::log, x, x.shape());
  Tensor dx = x.detach();
  record_grad(out, "log", {x}, [dx](const Tensor& g) { return std::vector<Tensor>{div(g, dx)}; });
  return out;
}

Tensor tanh(const Tensor& x) {
  check_floating("tanh", x);
  Tensor out = run_unary(OpId::tanh, x, x.shape());
  Tensor y = out.detach();
  record_grad(out, "tanh", {x}, [y](const Tensor& g) {
    return std::vector<Tensor>{mul(g, affine(mul(y, y), -1.0, 1.0))};  // 1 - tanh^2
  });
  return out;
}

Tensor sqrt(const Tensor& x) {
  check_floating("sqrt", x);
  Tensor out = run_unary(OpId::sqrt, x, x.shape());
  Tensor y = out.detach();
  record_grad(out, "sqrt", {x}, [y](const Tensor& g) {
    return std::vector<Tensor>{div(affine(g, 0.5), y)};  // 1 / (2 sqrt(x))
  });
  return out;
}

Tensor rsqrt(const Tensor& x) {
  check_floating("rsqrt", x);
  Tensor out = run_unary(OpId::rsqrt, x, x.shape());
  Tensor y = out.detach();
  record_grad(out, "rsqrt", {x}, [y](const Tensor& g) {
    return std::vector<Tensor>{mul(g, affine(mul(y, mul(y, y)), -0.5))};  // -x^(-3/2) / 2
  });
  return out;
}

void copy_into(const Tensor& dst, const Tensor& src) {
  if (dst.shape() != src.shape())
    throw Error(
        cat("[copy] cannot copy shape ", shape_str(src.shape()), " into ", shape_str(dst.shape())));
  if (dst.device() != src.device() && dst.device() != Device::cpu() &&
      src.device() != Device::cpu())
    throw Error("[copy] copies between two different GPUs go through the host");
  Tensor out = dst;
  OpCall call{OpId::copy};
  call.in[0] = &src;
  call.inputs = 1;
  call.out = &out;
  dispatch(call);
}

void fill(const Tensor& dst, double value) {
  Tensor out = dst;
  OpCall call{OpId::fill};
  call.out = &out;
  call.params.alpha = value;
  dispatch(call);
}

}  // namespace forge::ops
