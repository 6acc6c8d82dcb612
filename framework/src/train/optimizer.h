#pragma once

#include <forge/architecture.h>
#include <forge/config.h>
#include <forge/export.h>
#include <forge/ops.h>
#include <forge/schema.h>

#include <cstdint>
#include <string>
#include <vector>

namespace forge {

class CheckpointReader;
class CheckpointWriter;

struct AdamWConfig {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, weight_decay = 0.0;
  // Name fragments of parameters never decayed, beside what the model's decays() excludes.
  std::vector<std::string> no_decay;
};

// The recipe's `optimizer:` keys, with defaults and docs, and reading a validated section.
FORGE_API Schema optimizer_schema();
FORGE_API AdamWConfig optimizer_from(const Config& section);

// What a checkpoint keeps of an optimizer: /optim/<param>/{m,v} and the step count. load()
// refuses a checkpoint whose moments do not match the model's parameters by name and shape.
class FORGE_API OptimizerState {
 public:
  virtual ~OptimizerState();
  virtual void save(CheckpointWriter& writer) const = 0;
  virtual void load(const CheckpointReader& reader) = 0;
  // The f32 master copy that parameter `index` (a bf16 one) is updated in, which checkpoints
  // store as /model/<param>; undefined when the parameter is its own master.
  virtual Tensor master(std::size_t /*index*/) const { return {}; }
};

// Whether each parameter is in AdamW's decayed group: the model's decays(), less the
// no_decay fragments.
FORGE_API std::vector<bool> decayed_parameters(Model& model, const AdamWConfig& config);

// One AdamW update's settings (weight decay is per group, set by the caller).
FORGE_API ops::AdamWOptions adamw_options(const AdamWConfig& config, double lr, double grad_scale,
                                          std::int64_t step);

// The checkpoint layout of AdamW's moments, one (m, v) pair per parameter in model order.
FORGE_API void write_moments(CheckpointWriter& writer, const NamedTensors& params,
                             const std::vector<Tensor>& m, const std::vector<Tensor>& v,
                             std::int64_t steps);
// Reads into tensors shaped like the parameters; returns the step count.
FORGE_API std::int64_t read_moments(const CheckpointReader& reader, const NamedTensors& params,
                                    std::vector<Tensor>& m, std::vector<Tensor>& v);

// AdamW over a model's parameters in two groups: decayed (the model's decays(), less the
// no_decay fragments) and not. Moments are f32 (f64 for f64 parameters), zero at the start.
// A bf16 parameter gets an f32 master copy: each update is applied to the master, then
// rounded into the parameter, so that small updates are not lost to bf16's 8 bits.
class FORGE_API AdamW : public OptimizerState {
 public:
  AdamW(Model& model, const AdamWConfig& config);

  // One update of every parameter that has a gradient, at learning rate `lr`, with every
  // gradient first multiplied by `grad_scale` (how clipping by the global norm is applied).
  void step(double lr, double grad_scale = 1.0);
  // Drops every parameter's gradient.
  void zero_grad();

  std::int64_t steps() const { return steps_; }
  const AdamWConfig& config() const { return config_; }
  bool decays(std::size_t index) const { return decay_[index]; }
  // Parameters in each group, for the log at start.
  std::int64_t decayed_count() const;

  void save(CheckpointWriter& writer) const override;
  void load(const CheckpointReader& reader) override;
  Tensor master(std::size_t index) const override { return masters_[index]; }
  // Bytes of moments and masters.
  std::int64_t state_bytes() const;

 private:
  NamedTensors& params_;
  AdamWConfig config_;
  std::vector<bool> decay_;
  std::vector<Tensor> m_, v_, masters_;  // masters_[i] undefined unless parameter i is bf16
  std::int64_t steps_ = 0;
};

}  // namespace forge
