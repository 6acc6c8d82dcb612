#include <forge/autograd.h>
#include <forge/nn.h>
#include <forge/ops.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace forge::nn {

Tensor token_log_probs(const Tensor& logits, const Tensor& targets) {
  if (logits.ndim() < 1 || targets.dtype() != DType::i32)
    throw Error(cat("[token_log_probs] needs logits [..., V] and i32 targets [...], not ",
                    shape_str(logits.shape()), " and ", dtype_name(targets.dtype())));
  const std::int64_t V = logits.size(-1), N = logits.numel() / std::max<std::int64_t>(V, 1);
  Shape rows = logits.shape();
  rows.pop_back();
  if (rows != targets.shape())
    throw Error(cat("[token_log_probs] targets ", shape_str(targets.shape()),
                    " do not match logits ", shape_str(logits.shape()), " less their last dim"));
  // Each row's max, a constant: exp() of the shifted logits cannot overflow.
  std::vector<float> max(static_cast<std::size_t>(N));
  std::vector<std::int32_t> index(static_cast<std::size_t>(N));
  {
    NoGradGuard no_grad;
    Tensor host = logits.detach().to(Device::cpu()).to(DType::f32).contiguous();
    Tensor host_targets = targets.to(Device::cpu()).contiguous();
    const float* data = host.data<float>();
    const std::int32_t* wanted = host_targets.data<std::int32_t>();
    for (std::int64_t n = 0; n < N; ++n) {
      const float* row = data + n * V;
      max[n] = *std::max_element(row, row + V);
      if (wanted[n] < 0 || wanted[n] >= V)
        throw Error(cat("[token_log_probs] target ", wanted[n], " at row ", n,
                        " is outside the vocabulary of ", V));
      index[n] = static_cast<std::int32_t>(n * V + wanted[n]);
    }
  }
  Shape keep = rows;
  keep.push_back(1);
  Tensor shift = Tensor::from_floats(max, keep).to(logits.dtype()).to(logits.device());
  Tensor shifted = ops::sub(logits, shift);
  Tensor lse = ops::log(ops::sum(ops::exp(shifted), {-1}, true));
  Tensor all = ops::sub(shifted, lse).reshape({N * V, 1});
  // Picking row n * V + target[n] of the flattened table is a gather with a scatter-add back.
  Tensor ids = Tensor::from_ints(index, {N}).to(logits.device());
  return ops::embedding(ids, all).reshape(rows);
}

}  // namespace forge::nn
