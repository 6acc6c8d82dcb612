// Front ends of softmax and the fused cross-entropy loss.
#include "core/ops/op_helpers.h"

namespace forge::ops {

Tensor softmax(const Tensor& x) {
  check_floating("softmax", x);
  if (x.ndim() < 1) throw Error("[softmax] needs a tensor of at least 1 dim, not a scalar");
  Tensor input = dense(x);
  Tensor out = Tensor::empty(x.shape(), x.dtype(), x.device());
  run_kernel(OpId::softmax, {&input}, out);
  Tensor y = out.detach();
  record_grad(out, "softmax", {x}, [y](const Tensor& g) {
    Tensor dy = dense_grad(g, y.dtype());
    Tensor dx = Tensor::empty(y.shape(), y.dtype(), y.device());
    run_kernel(OpId::softmax_backward, {&y, &dy}, dx);
    return std::vector<Tensor>{dx};
  });
  return out;
}

Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                     const CrossEntropyOptions& options) {
  check_floating("cross_entropy", logits);
  if (logits.ndim() < 1 || logits.size(-1) == 0)
    throw Error(cat("[cross_entropy] logits of shape ", shape_str(logits.shape()),
                    " have no classes; they must be [N, V] with V >= 1"));
  if (targets.dtype() != DType::i32)
    throw Error(
        cat("[cross_entropy] targets must be i32 class ids, not ", dtype_name(targets.dtype())));
  Shape rows(logits.shape().begin(), logits.shape().end() - 1);
  if (targets.shape() != rows)
    throw Error(cat("[cross_entropy] targets have shape ", shape_str(targets.shape()),
                    " but logits of shape ", shape_str(logits.shape()), " need ", shape_str(rows)));
  const DType stat = stat_dtype(logits.dtype());
  Tensor weights;
  if (options.weights.defined()) {
    check_floating("cross_entropy", options.weights);
    if (options.weights.shape() != rows)
      throw Error(cat("[cross_entropy] weights have shape ", shape_str(options.weights.shape()),
                      " but the targets have shape ", shape_str(rows)));
    weights = dense(options.weights.detach().to(stat));
  }
  Tensor cl = dense(logits), ct = dense(targets);
  Tensor loss = Tensor::empty({}, logits.dtype(), logits.device());
  Tensor lse = Tensor::empty({ct.numel()}, stat, logits.device());
  Tensor counted = Tensor::empty({}, stat, logits.device());
  OpParams params;
  params.ignore_index = options.ignore_index;
  params.z_loss = options.z_loss;
  const Tensor* w = weights.defined() ? &weights : nullptr;
  run_kernel(OpId::cross_entropy, {&cl, &ct, w}, loss, {&lse, &counted}, params);
  record_grad(loss, "cross_entropy", {logits}, [=](const Tensor& g) {
    Tensor dloss = dense_grad(g, cl.dtype());
    Tensor dx = Tensor::empty(cl.shape(), cl.dtype(), cl.device());
    const Tensor* mask = weights.defined() ? &weights : nullptr;
    run_kernel(OpId::cross_entropy_backward, {&cl, &ct, &lse, &counted, &dloss, mask}, dx, {},
               params);
    return std::vector<Tensor>{dx};
  });
  return loss;
}

}  // namespace forge::ops
