#include "train/zero1_adamw.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include <algorithm>
#include <cmath>

namespace forge {
namespace {

// The part of one parameter that falls in this rank's shard.
struct Segment {
  std::size_t param = 0;
  std::int64_t begin = 0, end = 0;  // within the parameter, flattened
  std::int64_t shard_offset = 0;    // where it starts in the shard
  Tensor m, v;
};

class Zero1AdamW final : public ParallelOptimizer, private OptimizerState {
 public:
  Zero1AdamW(Model& model, const AdamWConfig& config, Communicator& world)
      : params_(model.parameters()),
        config_(config),
        decay_(decayed_parameters(model, config)),
        world_(world) {
    FORGE_CHECK(!params_.empty(), "ZeRO-1 needs parameters");
    dtype_ = params_.front().second.dtype();
    device_ = params_.front().second.device();
    for (const auto& [name, param] : params_) {
      if (param.dtype() != dtype_)
        throw Error(cat("train.data_parallel zero1 needs parameters of one dtype, but '", name,
                        "' is ", dtype_name(param.dtype()), " and '", params_.front().first,
                        "' is ", dtype_name(dtype_), "; use data_parallel: all_reduce"));
      offsets_.push_back(total_);
      total_ += param.numel();
    }
    const std::int64_t ranks = world_.size();
    chunk_ = (total_ + ranks - 1) / ranks;
    const std::int64_t lo = chunk_ * world_.rank(), hi = std::min(total_, lo + chunk_);
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const std::int64_t begin = std::max(lo, offsets_[i]);
      const std::int64_t end = std::min(hi, offsets_[i] + params_[i].second.numel());
      if (begin >= end) continue;
      Segment segment{i, begin - offsets_[i], end - offsets_[i], begin - lo, {}, {}};
      segment.m = Tensor::zeros({end - begin}, moment_dtype(), device_);
      segment.v = Tensor::zeros({end - begin}, moment_dtype(), device_);
      segments_.push_back(std::move(segment));
    }
    flat_ = Tensor::zeros({chunk_ * ranks}, dtype_, device_);
    shard_ = Tensor::zeros({chunk_}, dtype_, device_);
  }

  void zero_grad() override {
    for (auto& [name, param] : params_) param.set_grad(Tensor());
  }

  double reduce_gradients() override {
    NoGradGuard no_grad;
    if (world_.size() > 1) zero_missing_gradients(params_);
    has_grad_.assign(params_.size(), false);
    ops::fill(flat_, 0.0);
    for (std::size_t i = 0; i < params_.size(); ++i) {
      Tensor grad = params_[i].second.grad();
      if (!grad.defined()) continue;
      has_grad_[i] = true;
      ops::copy_into(flat_range(i, 0, grad.numel()), grad.reshape({-1}));
    }
    world_.reduce_scatter(flat_, shard_);
    Tensor host = shard_.to(Device::cpu()).to(DType::f64).contiguous();
    double squares = 0;
    for (std::int64_t i = 0; i < host.numel(); ++i)
      squares += host.data<double>()[i] * host.data<double>()[i];
    return std::sqrt(world_.all_reduce(std::vector<double>{squares})[0]);
  }

  void step(double lr, double grad_scale) override {
    NoGradGuard no_grad;
    ++steps_;
    ops::AdamWOptions options = adamw_options(config_, lr, grad_scale, steps_);
    for (Segment& s : segments_) {
      if (!has_grad_[s.param]) continue;
      options.weight_decay = decay_[s.param] ? config_.weight_decay : 0.0;
      ops::adamw_step(param_range(s), shard_range(s), s.m, s.v, options);
    }
    // Every rank's updated shard, to every rank.
    ops::fill(shard_, 0.0);
    for (Segment& s : segments_) ops::copy_into(shard_range(s), param_range(s));
    world_.all_gather(shard_, flat_);
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const Tensor& param = params_[i].second;
      ops::copy_into(param, flat_range(i, 0, param.numel()).view(param.shape()));
    }
  }

  void checkpoint(const std::function<void(const OptimizerState&)>& write) override {
    gathered_m_ = gather_moments(&Segment::m);
    gathered_v_ = gather_moments(&Segment::v);
    if (world_.is_root()) write(*this);
    gathered_m_.clear();
    gathered_v_.clear();
  }
  OptimizerState& loader() override { return *this; }

  std::int64_t steps() const override { return steps_; }
  std::int64_t decayed_count() const override {
    return std::count(decay_.begin(), decay_.end(), true);
  }
  std::int64_t state_bytes() const override {
    std::int64_t elements = 0;
    for (const Segment& s : segments_) elements += s.end - s.begin;
    return 2 * elements * static_cast<std::int64_t>(dtype_size(moment_dtype()));
  }
  std::int64_t unsharded_state_bytes() const override {
    return 2 * total_ * static_cast<std::int64_t>(dtype_size(moment_dtype()));
  }

 private:
  // OptimizerState: the gathered moments on rank 0 when checkpointing.
  void save(CheckpointWriter& writer) const override {
    write_moments(writer, params_, gathered_m_, gathered_v_, steps_);
  }
  void load(const CheckpointReader& reader) override {
    std::vector<Tensor> m, v;
    for (const auto& [name, param] : params_) {
      m.push_back(Tensor::zeros(param.shape(), moment_dtype(), device_));
      v.push_back(Tensor::zeros(param.shape(), moment_dtype(), device_));
    }
    steps_ = read_moments(reader, params_, m, v);
    for (Segment& s : segments_) {
      ops::copy_into(s.m, m[s.param].reshape({-1}).slice(0, s.begin, s.end));
      ops::copy_into(s.v, v[s.param].reshape({-1}).slice(0, s.begin, s.end));
    }
  }

  DType moment_dtype() const { return dtype_ == DType::f64 ? DType::f64 : DType::f32; }

  Tensor flat_range(std::size_t param, std::int64_t begin, std::int64_t end) const {
    return flat_.slice(0, offsets_[param] + begin, offsets_[param] + end);
  }
  Tensor param_range(const Segment& s) const {
    return params_[s.param].second.view({-1}).slice(0, s.begin, s.end);
  }
  Tensor shard_range(const Segment& s) const {
    return shard_.slice(0, s.shard_offset, s.shard_offset + (s.end - s.begin));
  }

  // Every rank's part of one moment, whole and shaped like the parameters (on every rank).
  std::vector<Tensor> gather_moments(Tensor Segment::*moment) {
    NoGradGuard no_grad;
    Tensor shard = Tensor::zeros({chunk_}, moment_dtype(), device_);
    for (Segment& s : segments_)
      ops::copy_into(shard.slice(0, s.shard_offset, s.shard_offset + (s.end - s.begin)), s.*moment);
    Tensor flat = Tensor::zeros({chunk_ * world_.size()}, moment_dtype(), device_);
    world_.all_gather(shard, flat);
    std::vector<Tensor> whole;
    for (std::size_t i = 0; i < params_.size(); ++i) {
      const Tensor& param = params_[i].second;
      whole.push_back(
          flat.slice(0, offsets_[i], offsets_[i] + param.numel()).contiguous().view(param.shape()));
    }
    return whole;
  }

  NamedTensors& params_;
  AdamWConfig config_;
  std::vector<bool> decay_;
  Communicator& world_;
  DType dtype_ = DType::f32;
  Device device_;
  std::vector<std::int64_t> offsets_;
  std::int64_t total_ = 0, chunk_ = 0;
  std::vector<Segment> segments_;
  std::vector<bool> has_grad_;
  Tensor flat_, shard_;  // the parameters laid end to end (padded), and this rank's shard
  std::vector<Tensor> gathered_m_, gathered_v_;
  std::int64_t steps_ = 0;
};

}  // namespace

std::unique_ptr<ParallelOptimizer> make_zero1_adamw(Model& model, const AdamWConfig& config,
                                                    Communicator& world) {
  // The recipe check (train_schema.cpp) says this to users; this guards other callers.
  for (const auto& [name, param] : model.parameters())
    FORGE_CHECK(param.dtype() != DType::bf16, "ZeRO-1 keeps no master weights for bf16 ", name);
  return std::make_unique<Zero1AdamW>(model, config, world);
}

}  // namespace forge
