// Front ends of the embedding lookup and the rotary position embedding.
#include "core/ops/op_helpers.h"

namespace forge::ops {

Tensor embedding(const Tensor& ids, const Tensor& table) {
  if (ids.dtype() != DType::i32)
    throw Error(cat("[embedding] ids must be i32, not ", dtype_name(ids.dtype())));
  check_floating("embedding", table);
  if (table.ndim() != 2)
    throw Error(
        cat("[embedding] the table must be 2-d [V, C], not shape ", shape_str(table.shape())));
  const std::int64_t V = table.size(0), C = table.size(1);
  Shape out_shape = ids.shape();
  out_shape.push_back(C);
  Tensor ci = dense(ids), ct = dense(table);
  Tensor out = Tensor::empty(out_shape, table.dtype(), table.device());
  run_kernel(OpId::embedding, {&ci, &ct}, out);
  const DType dtype = table.dtype();
  record_grad(out, "embedding", {table}, [ci, V, C, dtype](const Tensor& g) {
    Tensor dout = dense_grad(g, dtype);
    Tensor dtable = Tensor::empty({V, C}, dtype, dout.device());
    run_kernel(OpId::embedding_backward, {&ci, &dout}, dtable);
    return std::vector<Tensor>{dtable};
  });
  return out;
}

Tensor rope(const Tensor& x, const RopeOptions& options) {
  check_floating("rope", x);
  if (x.ndim() != 4)
    throw Error(cat("[rope] needs x of shape [B, H, T, D], not ", shape_str(x.shape())));
  if (x.size(3) % 2)
    throw Error(cat("[rope] the head size D = ", x.size(3), " must be even: dims i and i + D/2 ",
                    "rotate together"));
  if (options.position_offset < 0)
    throw Error(cat("[rope] position_offset must be >= 0, not ", options.position_offset));
  if (!(options.theta > 0)) throw Error(cat("[rope] theta must be > 0, not ", options.theta));
  OpParams params;
  params.offset = options.position_offset;
  params.theta = options.theta;
  Tensor input = dense(x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  run_kernel(OpId::rope, {&input}, out, {}, params);
  params.inverse = true;  // a rotation's transpose is the rotation by minus the angle
  const DType dtype = x.dtype();
  record_grad(out, "rope", {x}, [params, dtype](const Tensor& g) {
    Tensor dy = dense_grad(g, dtype);
    Tensor dx = Tensor::empty(dy.shape(), dtype, dy.device());
    run_kernel(OpId::rope, {&dy}, dx, {}, params);
    return std::vector<Tensor>{dx};
  });
  return out;
}

}  // namespace forge::ops
