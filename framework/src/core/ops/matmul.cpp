#include "core/ops/op_helpers.h"

namespace forge::ops {
namespace {

// The logical [rows, cols] of an input's last two dims after its transpose flag.
std::pair<std::int64_t, std::int64_t> logical(const Tensor& x, bool transpose) {
  std::int64_t r = x.size(-2), c = x.size(-1);
  return transpose ? std::pair{c, r} : std::pair{r, c};
}

// BLAS reads a matrix whose last dim is contiguous; anything else is copied first.
Tensor blas_ready(const Tensor& x) { return x.detach().contiguous(); }

Tensor matmul_forward(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  auto [m, k] = logical(a, ta);
  auto [kb, n] = logical(b, tb);
  if (k != kb)
    throw Error(cat("[matmul] inner dimensions ", k, " and ", kb, " differ (shapes ",
                    shape_str(a.shape()), " and ", shape_str(b.shape()), ")"));
  Shape batch(a.shape().begin(), a.shape().end() - 2);
  if (b.ndim() > 2) {
    Shape b_batch(b.shape().begin(), b.shape().end() - 2);
    if (b_batch != batch)
      throw Error(cat("[matmul] batch dimensions ", shape_str(batch), " and ", shape_str(b_batch),
                      " differ; a 2-d right operand is shared by every batch"));
  }
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor ca = blas_ready(a), cb = blas_ready(b);
  Tensor out = Tensor::empty(out_shape, a.dtype(), a.device());
  OpCall call{OpId::matmul};
  call.in[0] = &ca;
  call.in[1] = &cb;
  call.inputs = 2;
  call.out = &out;
  call.params.transpose_a = ta;
  call.params.transpose_b = tb;
  dispatch(call);
  return out;
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  if (a.ndim() < 2 || b.ndim() < 2)
    throw Error(cat("[matmul] needs inputs of at least 2 dims, not ", shape_str(a.shape()), " and ",
                    shape_str(b.shape())));
  check_same_dtype("matmul", a, b);
  check_floating("matmul", a);
  // [B..., M, K] @ [K, N] is one [B*M, K] @ [K, N] product: fold the batch into the rows.
  if (a.ndim() > 2 && b.ndim() == 2 && !ta) {
    Shape out_shape(a.shape().begin(), a.shape().end() - 1);
    out_shape.push_back(logical(b, tb).second);
    return matmul(a.reshape({-1, a.size(-1)}), b, false, tb).reshape(out_shape);
  }
  Tensor out = matmul_forward(a, b, ta, tb);
  Tensor da = a.detach(), db = b.detach();
  record_grad(out, "matmul", {a, b}, [da, db, ta, tb](const Tensor& g) {
    // With ta, dA = (dC op(B)^T)^T: written so a shared 2-d B stays the right operand.
    Tensor ga = matmul(g, db, false, !tb);
    if (ta) ga = ga.transpose(-2, -1).contiguous();
    Tensor gb = tb ? matmul(g, da, true, ta) : matmul(da, g, !ta, false);
    return std::vector<Tensor>{ga, sum_to(gb, db.shape())};
  });
  return out;
}

}  // namespace forge::ops
