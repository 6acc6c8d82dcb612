#pragma once

// What an RLHF run measures of its samples: the learned reward model's score (what it
// optimises), a held-out judge's score (what it should improve) and the KL to the reference.

#include <forge/chat.h>
#include <forge/tokenizer.h>

#include "stages/rl/rollouts.h"
#include "train/reward_model.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace forge {

// Sets every sample's reward to the reward model's score of its reply to its problem, keeping
// the judge's (the rollout's rewards) in sample.judge. Replies are rendered as the reward model
// was trained: the prompt, then the reply as one assistant message.
FORGE_API void score_with_reward_model(RewardModel& reward_model, const Tokenizer& tokenizer,
                                       const ChatTemplate& chat,
                                       const std::vector<const Problem*>& problems,
                                       std::vector<Sample>& samples, std::int64_t micro_batch);

// The mean over samples of sum_t (log policy - log reference) on the tokens they sampled: a
// per-reply estimate of KL(policy || reference).
FORGE_API double mean_sequence_kl(Model& policy, Model& reference,
                                  const std::vector<Sample>& samples, TokenId pad,
                                  std::int64_t micro_batch);

struct PreferenceEvalSettings {
  std::int64_t samples = 2;  // replies per prompt
  std::int64_t max_tokens = 128;
  std::int64_t micro_batch = 16;
  std::uint64_t seed = 0;
  Model* reference = nullptr;  // for the KL; none: no KL
};

// {"rm_score", "judge_score", "judge_se" (its standard error), "kl", "eval_response_tokens",
// "judge/<label>"...} over
// `samples` replies to each held-out prompt.
FORGE_API nlohmann::json evaluate_preferences(const Policy& policy, RewardModel& reward_model,
                                              const std::vector<Problem>& prompts,
                                              const RewardSet& judge,
                                              const PreferenceEvalSettings& settings);

}  // namespace forge
