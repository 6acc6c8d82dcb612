// Front end of fused (flash-style) attention with grouped-query heads and a query offset for
// KV-cache decoding.
#include "core/ops/op_helpers.h"

#include <cmath>

namespace forge::ops {
namespace {

void check_attention(const Tensor& q, const Tensor& k, const Tensor& v,
                     const AttentionOptions& options) {
  check_floating("attention", q);
  check_same_dtype("attention", q, k);
  check_same_dtype("attention", q, v);
  for (const auto& [name, t] : {std::pair{"q", &q}, {"k", &k}, {"v", &v}})
    if (t->ndim() != 4)
      throw Error(cat("[attention] ", name, " must be 4-d [B, heads, rows, D], not ",
                      shape_str(t->shape())));
  if (k.shape() != v.shape())
    throw Error(cat("[attention] k has shape ", shape_str(k.shape()), " but v has shape ",
                    shape_str(v.shape()), "; they must match"));
  if (k.size(0) != q.size(0) || k.size(3) != q.size(3))
    throw Error(cat("[attention] q of shape ", shape_str(q.shape()), " and k of shape ",
                    shape_str(k.shape()), " differ in batch size or head size"));
  const std::int64_t Hq = q.size(1), Hkv = k.size(1), T = q.size(2), S = k.size(2);
  if (Hkv == 0 || Hq % Hkv)
    throw Error(cat("[attention] ", Hq, " query heads cannot share ", Hkv,
                    " kv heads: the query heads must be a multiple of the kv heads"));
  if (options.query_offset < 0)
    throw Error(cat("[attention] query_offset must be >= 0, not ", options.query_offset));
  if (options.causal && options.query_offset + T > S)
    throw Error(cat("[attention] causal queries at positions ", options.query_offset, "..",
                    options.query_offset + T - 1, " need at least ", options.query_offset + T,
                    " keys, but k has ", S));
  if (T > 0 && S == 0) throw Error("[attention] there are queries but no keys");
  const Tensor& starts = options.document_starts;
  if (!starts.defined()) return;
  if (!options.causal || options.query_offset != 0 || S != T)
    throw Error(
        cat("[attention] document_starts needs causal attention over the queries' own keys ",
            "(no query offset, as many keys as queries)"));
  if (starts.dtype() != DType::i32 || starts.shape() != Shape{q.size(0), T})
    throw Error(cat("[attention] document_starts must be i32 [B, T] = [", q.size(0), ", ", T,
                    "], not ", dtype_name(starts.dtype()), " ", shape_str(starts.shape())));
  Tensor host = starts.to(Device::cpu()).contiguous();
  const std::int32_t* first = host.data<std::int32_t>();
  for (std::int64_t b = 0; b < q.size(0); ++b)
    for (std::int64_t t = 0; t < T; ++t) {
      const std::int32_t s = first[b * T + t];
      if (s < 0 || s > t || (t > 0 && s != t && s != first[b * T + t - 1]))
        throw Error(cat("[attention] document_starts[", b, ", ", t, "] is ", s,
                        "; each position's document starts at or before it, where the ",
                        "previous position's starts or at the position itself"));
    }
}

}  // namespace

Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v,
                 const AttentionOptions& options) {
  check_attention(q, k, v, options);
  OpParams params;
  params.causal = options.causal;
  params.offset = options.query_offset;
  params.scale = options.scale.value_or(1.0 / std::sqrt(static_cast<double>(q.size(3))));
  Tensor cq = dense(q), ck = dense(k), cv = dense(v);
  Tensor starts;  // stays undefined without packing: the kernels then see a null input
  if (options.document_starts.defined()) starts = dense(options.document_starts.to(q.device()));
  const Tensor* starts_in = starts.defined() ? &starts : nullptr;
  Tensor out = Tensor::empty(q.shape(), q.dtype(), q.device());
  Tensor lse = Tensor::empty({q.size(0), q.size(1), q.size(2)}, stat_dtype(q.dtype()), q.device());
  run_kernel(OpId::attention, {&cq, &ck, &cv, starts_in}, out, {&lse}, params);
  Tensor saved_out = out.detach();
  record_grad(out, "attention", {q, k, v}, [=](const Tensor& g) {
    Tensor dout = dense_grad(g, cq.dtype());
    Tensor dq = Tensor::empty(cq.shape(), cq.dtype(), cq.device());
    Tensor dk = Tensor::empty(ck.shape(), ck.dtype(), ck.device());
    Tensor dv = Tensor::empty(cv.shape(), cv.dtype(), cv.device());
    run_kernel(OpId::attention_backward,
               {&cq, &ck, &cv, &saved_out, &dout, &lse, starts.defined() ? &starts : nullptr}, dq,
               {&dk, &dv}, params);
    return std::vector<Tensor>{dq, dk, dv};
  });
  return out;
}

}  // namespace forge::ops
