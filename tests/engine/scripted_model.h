#pragma once

// A model whose "choice" is a script: after the assistant header it writes the script's tokens
// in order, skipping any tool output pasted into its turn, and where the script says so it
// copies the last pasted output. With a greedy sampler it writes exactly the script, so a test
// can prove that a tool ran and that the model saw its output.

#include <forge/architecture.h>
#include <forge/tokenizer.h>

#include <algorithm>
#include <vector>

namespace forge {
struct ForwardOptions;  // declared again here: the double takes it without reading it
}  // namespace forge

namespace forge::test {

struct ScriptMarkers {
  TokenId separator, end, output_start, output_end;
};

class ScriptedModel : public Model {
 public:
  static constexpr TokenId kCopyOutput = -1;  // in a script: the last output's tokens

  ScriptedModel(std::vector<TokenId> script, std::int64_t vocab, std::int64_t context,
                ScriptMarkers markers);
  const ModelShape& shape() const override { return shape_; }
  NamedTensors& parameters() override { return parameters_; }
  // Both forms of forward the SDK has had. A prompt comes in whole (more than one id); each
  // step after it adds one id, so the double needs neither the cache nor the options.
  Tensor forward(const Tensor& ids, KVCache*) { return step(ids); }
  Tensor forward(const Tensor& ids, const ForwardOptions&) { return step(ids); }
  double flops_per_token(std::int64_t) const override { return 0; }

  // Every sequence the model was shown, as of its last forward pass.
  const std::vector<TokenId>& history() const { return history_; }

 private:
  Tensor step(const Tensor& ids);
  TokenId next() const;

  std::vector<TokenId> script_;
  ScriptMarkers markers_;
  ModelShape shape_;
  NamedTensors parameters_;
  std::vector<TokenId> history_;
};

inline ScriptedModel::ScriptedModel(std::vector<TokenId> script, std::int64_t vocab,
                                    std::int64_t context, ScriptMarkers markers)
    : script_(std::move(script)), markers_(markers) {
  shape_.vocab_size = shape_.padded_vocab = vocab;
  shape_.context = context;
  shape_.n_layer = shape_.n_head = shape_.n_kv_head = shape_.head_dim = shape_.d_model = 1;
  parameters_.emplace_back("weight", Tensor::zeros({1}));
}

inline Tensor ScriptedModel::step(const Tensor& ids) {
  const std::int64_t B = ids.size(0), T = ids.size(1);
  if (T > 1) history_.clear();
  for (double id : ids.to_doubles()) history_.push_back(static_cast<TokenId>(id));
  std::vector<float> logits(static_cast<std::size_t>(B * T * shape_.vocab_size), 0.0f);
  const TokenId chosen = next();
  for (std::int64_t b = 0; b < B; ++b)
    logits[static_cast<std::size_t>(((b * T) + T - 1) * shape_.vocab_size + chosen)] = 10.0f;
  return Tensor::from_floats(logits, {B, T, shape_.vocab_size});
}

// The turn so far is everything after the last separator (the assistant's header).
inline TokenId ScriptedModel::next() const {
  auto header = std::find(history_.rbegin(), history_.rend(), markers_.separator).base();
  std::vector<TokenId> written, output, expanded;
  bool in_output = false;
  for (auto it = header; it != history_.end(); ++it) {
    if (*it == markers_.output_start) {
      in_output = true;
      output.clear();
    } else if (*it == markers_.output_end) {
      in_output = false;
    } else if (in_output) {
      output.push_back(*it);
    } else {
      written.push_back(*it);
    }
  }
  for (TokenId id : script_) {
    if (id == kCopyOutput)
      expanded.insert(expanded.end(), output.begin(), output.end());
    else
      expanded.push_back(id);
  }
  return written.size() < expanded.size() ? expanded[written.size()] : markers_.end;
}

}  // namespace forge::test
