#include "train/parallel_optimizer.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include "train/grad_norm.h"
#include "train/overlapped_reduce.h"
#include "train/zero1_adamw.h"

namespace forge {
namespace {

// Every rank holds every moment and applies the same update to the same summed gradients.
class ReplicatedAdamW final : public ParallelOptimizer {
 public:
  ReplicatedAdamW(Model& model, const AdamWConfig& config, Communicator& world,
                  const DataParallelConfig& parallel)
      : params_(model.parameters()),
        adamw_(model, config),
        world_(world),
        bucket_bytes_(parallel.bucket_bytes) {
    if (world.size() > 1 && parallel.overlap)
      overlap_ = std::make_unique<OverlappedReduce>(params_, world, bucket_bytes_);
  }

  void zero_grad() override { adamw_.zero_grad(); }

  void overlap_next_backward() override {
    if (overlap_) overlap_->arm();
  }
  bool overlaps() const override { return overlap_ != nullptr; }

  double reduce_gradients() override {
    const bool overlapped = overlap_ && overlap_->armed();
    if (overlapped) overlap_->finish();
    if (world_.size() > 1 && !overlapped) zero_missing_gradients(params_);
    std::vector<Tensor> grads;
    for (const auto& [name, param] : params_) grads.push_back(param.grad());
    if (world_.size() > 1 && !overlapped) all_reduce_in_buckets(world_, grads, bucket_bytes_);
    return global_grad_norm(grads);
  }

  void step(double lr, double grad_scale) override { adamw_.step(lr, grad_scale); }

  void checkpoint(const std::function<void(const OptimizerState&)>& write) override {
    if (world_.is_root()) write(adamw_);
  }
  OptimizerState& loader() override { return adamw_; }

  std::int64_t steps() const override { return adamw_.steps(); }
  std::int64_t decayed_count() const override { return adamw_.decayed_count(); }
  std::int64_t state_bytes() const override { return unsharded_state_bytes(); }
  std::int64_t unsharded_state_bytes() const override { return adamw_.state_bytes(); }

 private:
  NamedTensors& params_;
  AdamW adamw_;
  Communicator& world_;
  std::int64_t bucket_bytes_;
  std::unique_ptr<OverlappedReduce> overlap_;  // several ranks with train.overlap only
};

}  // namespace

ParallelOptimizer::~ParallelOptimizer() = default;

void zero_missing_gradients(NamedTensors& params) {
  for (auto& [name, param] : params)
    if (!param.grad().defined())
      param.set_grad(Tensor::zeros(param.shape(), param.dtype(), param.device()));
}

void all_reduce_in_buckets(Communicator& world, const std::vector<Tensor>& tensors,
                           std::int64_t bucket_bytes) {
  NoGradGuard no_grad;
  std::size_t first = 0;
  while (first < tensors.size()) {
    if (!tensors[first].defined()) {
      ++first;
      continue;
    }
    // A bucket: consecutive defined tensors of one dtype, up to bucket_bytes (at least one).
    const DType dtype = tensors[first].dtype();
    std::size_t last = first;
    std::int64_t elements = 0;
    while (last < tensors.size() && tensors[last].defined() && tensors[last].dtype() == dtype &&
           (last == first ||
            (elements + tensors[last].numel()) * static_cast<std::int64_t>(dtype_size(dtype)) <=
                bucket_bytes))
      elements += tensors[last++].numel();
    if (last == first + 1 && tensors[first].is_contiguous()) {
      world.all_reduce(tensors[first]);
    } else {
      Tensor bucket = Tensor::empty({elements}, dtype, tensors[first].device());
      std::int64_t at = 0;
      for (std::size_t i = first; i < last; ++i) {
        const std::int64_t n = tensors[i].numel();
        ops::copy_into(bucket.slice(0, at, at + n), tensors[i].reshape({-1}));
        at += n;
      }
      world.all_reduce(bucket);
      at = 0;
      for (std::size_t i = first; i < last; ++i) {
        const std::int64_t n = tensors[i].numel();
        ops::copy_into(tensors[i], bucket.slice(0, at, at + n).view(tensors[i].shape()));
        at += n;
      }
    }
    first = last;
  }
}

std::unique_ptr<ParallelOptimizer> make_parallel_optimizer(Model& model, const AdamWConfig& config,
                                                           Communicator& world,
                                                           const DataParallelConfig& parallel) {
  if (parallel.mode == DataParallel::zero1) return make_zero1_adamw(model, config, world);
  return std::make_unique<ReplicatedAdamW>(model, config, world, parallel);
}

}  // namespace forge
