#include <forge/autograd.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include "core/tensor_impl.h"

#include <numeric>
#include <vector>

namespace forge::nn {

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias, WeightLayout layout) {
  Tensor y = ops::matmul(x, weight, false, layout == WeightLayout::out_in);
  return bias.defined() ? ops::add(y, bias) : y;
}

Tensor split_heads(const Tensor& x, std::int64_t heads) {
  const std::int64_t B = x.size(0), T = x.size(1), C = x.size(2);
  if (C % heads)
    throw Error(cat("[split_heads] width ", C, " does not divide into ", heads, " heads"));
  return x.reshape({B, T, heads, C / heads}).transpose(1, 2);
}

Tensor merge_heads(const Tensor& x) {
  const std::int64_t B = x.size(0), H = x.size(1), T = x.size(2), D = x.size(3);
  return x.transpose(1, 2).reshape({B, T, H * D});
}

std::pair<Tensor, Tensor> cache_append(KVCache& cache, int layer, const Tensor& k,
                                       const Tensor& v) {
  const std::int64_t start = cache.length(), end = start + k.size(2);
  if (end > cache.capacity())
    throw Error(cat("the KV cache is full: ", start, " + ", k.size(2), " positions exceed its ",
                    cache.capacity(), "; generate fewer tokens or use a longer context"));
  Tensor& keys = cache.keys(layer);
  Tensor& values = cache.values(layer);
  ops::copy_into(keys.slice(2, start, end), k);
  ops::copy_into(values.slice(2, start, end), v);
  return {keys.slice(2, 0, end), values.slice(2, 0, end)};
}

Tensor attend(const Tensor& q, Tensor k, Tensor v, const Tensor& document_starts, KVCache* cache,
              int layer) {
  ops::AttentionOptions options;
  options.document_starts = document_starts;
  if (cache) {
    options.query_offset = cache->length();
    std::tie(k, v) = cache_append(*cache, layer, k, v);
  }
  return merge_heads(ops::attention(q, k, v, options));
}

Tensor recompute(const Tensor& x, const std::vector<Tensor>& params,
                 const std::function<Tensor(const Tensor&)>& block) {
  if (!grad_enabled()) return block(x);
  Tensor out;
  {
    NoGradGuard no_grad;
    out = block(x);
  }
  std::vector<Tensor> inputs = {x};
  inputs.insert(inputs.end(), params.begin(), params.end());
  const std::size_t count = inputs.size();
  const Tensor saved = x.detach();
  record_grad(out, "recompute", std::move(inputs),
              [saved, block, count, needs_input = x.requires_grad()](const Tensor& grad) {
                EnableGradGuard record;
                Tensor input = saved.detach();
                if (needs_input) input.set_requires_grad();
                block(input).backward(grad);
                std::vector<Tensor> grads(count);  // the parameters have theirs already
                if (needs_input) grads[0] = input.grad();
                return grads;
              });
  return out;
}

Tensor run_blocks(Tensor x, std::int64_t count, bool recompute_each, const NamedTensors& params,
                  std::size_t first, std::size_t per_block,
                  const std::function<Tensor(std::int64_t, const Tensor&)>& block) {
  for (std::int64_t l = 0; l < count; ++l) {
    if (!recompute_each) {
      x = block(l, x);
      continue;
    }
    std::vector<Tensor> own;
    const std::size_t start = first + static_cast<std::size_t>(l) * per_block;
    for (std::size_t i = start; i < start + per_block; ++i) own.push_back(params[i].second);
    x = recompute(x, own, [block, l](const Tensor& in) { return block(l, in); });
  }
  return x;
}

Tensor positions(std::int64_t offset, std::int64_t count, Device device) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(count));
  std::iota(ids.begin(), ids.end(), static_cast<std::int32_t>(offset));
  Tensor host = Tensor::from_ints(ids, {count});
  return device == Device::cpu() ? host : host.to(device);
}

Tensor document_positions(const Tensor& document_starts) {
  Tensor starts = document_starts.to(Device::cpu()).contiguous();
  if (starts.dtype() != DType::i32 || starts.ndim() != 2)
    throw Error(cat("document_starts must be i32 [B, T], not ", dtype_name(starts.dtype()), " ",
                    shape_str(starts.shape())));
  const std::int64_t B = starts.size(0), T = starts.size(1);
  const std::int32_t* first = starts.data<std::int32_t>();
  std::vector<std::int32_t> out(static_cast<std::size_t>(B * T));
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < T; ++t)
      out[b * T + t] = static_cast<std::int32_t>(t) - first[b * T + t];
  Tensor positions = Tensor::from_ints(out, {B, T});
  return document_starts.device() == Device::cpu() ? positions
                                                   : positions.to(document_starts.device());
}

Tensor parameter(const Shape& shape, Generator& generator, double std, double fill, DType dtype,
                 Device device) {
  Tensor host =
      std > 0 ? Tensor::randn(shape, generator, std, dtype) : Tensor::full(shape, fill, dtype);
  Tensor out = device == Device::cpu() ? host : host.to(device);
  out.set_requires_grad();
  return out;
}

void check_ids(const char* model, const Tensor& ids, const ModelShape& shape,
               const KVCache* cache) {
  if (ids.dtype() != DType::i32 || ids.ndim() != 2)
    throw Error(cat("[", model, "] ids must be i32 [B, T], not ", dtype_name(ids.dtype()), " ",
                    shape_str(ids.shape())));
  const std::int64_t filled = cache ? cache->length() : 0;
  if (filled + ids.size(1) > shape.context)
    throw Error(cat("[", model, "] ", filled + ids.size(1), " positions exceed the context of ",
                    shape.context, "; shorten the input or raise model.context"));
}

}  // namespace forge::nn
