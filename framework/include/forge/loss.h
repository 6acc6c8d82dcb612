#pragma once

#include <forge/export.h>
#include <forge/plugin.h>
#include <forge/tensor.h>

#include <map>
#include <string>

namespace forge {

// The tensors of one batch by name. Next-token training fills "logits" [B, T, V], "targets"
// [B, T] (i32) and optionally "weights" [B, T] (a loss mask); RL adds its own. Each loss plugin
// documents what it reads.
struct FORGE_API LossBatch {
  std::map<std::string, Tensor> tensors;
  const Tensor& get(const std::string& name) const;  // forge::Error naming a missing tensor
  const Tensor* find(const std::string& name) const;
};

struct LossResult {
  Tensor loss;                            // a scalar to call backward() on
  std::map<std::string, double> metrics;  // logged beside it, e.g. "z_loss"
};

class FORGE_API Loss : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::loss;
  virtual LossResult compute(const LossBatch& batch) const = 0;
};

}  // namespace forge
