#include "train/overlapped_reduce.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include "core/tensor_impl.h"
#include "train/parallel_optimizer.h"

#include <algorithm>

namespace forge {

OverlappedReduce::OverlappedReduce(NamedTensors& params, Communicator& world,
                                   std::int64_t bucket_bytes)
    : params_(params),
      world_(world),
      bucket_bytes_(bucket_bytes),
      bucket_of_(params.size()),
      seen_(params.size(), false) {
  for (std::size_t i = params.size(); i-- > 0;) {
    const Tensor& param = params[i].second;
    param_of_[param.impl()] = i;
    const std::int64_t bytes = static_cast<std::int64_t>(dtype_size(param.dtype()));
    const bool fits = !buckets_.empty() &&
                      params_[buckets_.back().params.front()].second.dtype() == param.dtype() &&
                      (buckets_.back().elements + param.numel()) * bytes <= bucket_bytes;
    if (!fits) buckets_.emplace_back();
    buckets_.back().params.push_back(i);
    buckets_.back().elements += param.numel();
    bucket_of_[i] = buckets_.size() - 1;
  }
}

OverlappedReduce::~OverlappedReduce() {
  if (armed_) set_grad_ready_hook({});
}

void OverlappedReduce::arm() {
  reset();
  armed_ = true;
  set_grad_ready_hook([this](TensorImpl* leaf) { on_ready(leaf); });
}

void OverlappedReduce::on_ready(TensorImpl* leaf) {
  auto found = param_of_.find(leaf);
  if (found == param_of_.end() || repeated_) return;
  const std::size_t param = found->second;
  if (seen_[param]) {
    repeated_ = true;  // its bucket may have started with a partial gradient
    return;
  }
  seen_[param] = true;
  ++buckets_[bucket_of_[param]].ready;
  while (next_ < buckets_.size() && buckets_[next_].ready == buckets_[next_].params.size())
    start(buckets_[next_++]);
}

void OverlappedReduce::start(Bucket& bucket) {
  NoGradGuard no_grad;
  const Tensor& first = params_[bucket.params.front()].second;
  bucket.flat = Tensor::empty({bucket.elements}, first.dtype(), first.device());
  std::int64_t at = 0;
  for (std::size_t i : bucket.params) {
    const Tensor grad = params_[i].second.grad();
    const std::int64_t n = grad.numel();
    ops::copy_into(bucket.flat.slice(0, at, at + n), grad.reshape({-1}));
    at += n;
  }
  bucket.pending = world_.all_reduce_async(bucket.flat);
}

void OverlappedReduce::finish() {
  set_grad_ready_hook({});
  armed_ = false;
  if (repeated_) {
    // Drop the sums of partial gradients and sum the complete ones the plain way.
    for (Bucket& bucket : buckets_)
      if (bucket.pending) bucket.pending->wait();
    reset();
    zero_missing_gradients(params_);
    std::vector<Tensor> grads;
    for (const auto& [name, param] : params_) grads.push_back(param.grad());
    all_reduce_in_buckets(world_, grads, bucket_bytes_);
    return;
  }
  zero_missing_gradients(params_);
  for (; next_ < buckets_.size(); ++next_) start(buckets_[next_]);
  NoGradGuard no_grad;
  for (Bucket& bucket : buckets_) {
    bucket.pending->wait();
    std::int64_t at = 0;
    for (std::size_t i : bucket.params) {
      const Tensor& grad = params_[i].second.grad();
      const std::int64_t n = grad.numel();
      ops::copy_into(grad, bucket.flat.slice(0, at, at + n).view(grad.shape()));
      at += n;
    }
  }
  reset();
}

void OverlappedReduce::reset() {
  for (Bucket& bucket : buckets_) {
    bucket.ready = 0;
    bucket.flat = Tensor();
    bucket.pending.reset();
  }
  std::fill(seen_.begin(), seen_.end(), false);
  next_ = 0;
  repeated_ = false;
}

}  // namespace forge
