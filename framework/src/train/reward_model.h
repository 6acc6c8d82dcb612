#pragma once

// A reward model: a transformer with a scalar head on its final hidden states, as InstructGPT
// made one from its SFT model. It is a Model whose forward gives a reward at every position,
// so the optimizers, checkpoints and data parallelism of training work on it unchanged.

#include <forge/architecture.h>
#include <forge/export.h>
#include <forge/random.h>
#include <forge/tokenizer.h>

#include "plugin/registry.h"
#include "train/checkpoint_model.h"

#include <filesystem>
#include <memory>
#include <vector>

namespace forge {

inline constexpr const char* kRewardHeadName = "score.weight";  // Hugging Face's name, [1, C]

class FORGE_API RewardModel : public Model {
 public:
  // A new head, normal(0, 1 / sqrt(d_model)) from `init`, on top of `body`.
  RewardModel(std::unique_ptr<Model> body, Generator& init);

  const ModelShape& shape() const override { return body_->shape(); }
  // The body's parameters, then the head's.
  NamedTensors& parameters() override { return params_; }
  // Rewards [B, T]: the head applied to every position's hidden state. A sequence's reward is
  // the one at its last token (causal attention: padding after it changes nothing).
  Tensor forward(const Tensor& ids, const ForwardOptions& options) override;
  using Model::forward;
  bool decays(const std::string& name) const override;
  double flops_per_token(std::int64_t seq_len) const override;

 private:
  std::unique_ptr<Model> body_;
  NamedTensors params_;
};

// Each row's reward at its last token: rewards [B, T] and each row's length -> [B], with the
// gradient flowing back to those positions only.
FORGE_API Tensor final_rewards(const Tensor& rewards, const std::vector<std::int64_t>& lengths);

// The rewards of whole token sequences, without gradients, `micro_batch` sequences per
// forward pass (right-padded with `pad`). Every sequence needs 1 to context tokens.
FORGE_API std::vector<double> score_sequences(RewardModel& model,
                                              const std::vector<std::vector<TokenId>>& sequences,
                                              TokenId pad, std::int64_t micro_batch);

struct LoadedRewardModel {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<RewardModel> model;
  TrainPosition position;
};

// Reads the head's weight from `checkpoint` into `model`; false when the file has none.
FORGE_API bool read_reward_head(const std::filesystem::path& checkpoint, RewardModel& model);

// A reward_model run's checkpoint; one without a head is refused, saying what it is.
FORGE_API LoadedRewardModel load_reward_model(const std::filesystem::path& checkpoint,
                                              const Registry& plugins, Device device);

}  // namespace forge
