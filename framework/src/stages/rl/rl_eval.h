#pragma once

// Held-out evaluation of an RL run: n sampled replies per problem give pass@1 (the mean
// share correct) and pass@k for each k asked (the unbiased estimator); a greedy reply per
// problem gives greedy pass@1.

#include "stages/rl/rollouts.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace forge {

struct EvalSettings {
  std::int64_t samples = 4;         // n replies per problem
  std::vector<std::int64_t> k;      // each 1 <= k <= samples
  const Sampler* greedy = nullptr;  // also one greedy reply per problem when set
  std::int64_t max_tokens = 128;
  std::uint64_t seed = 0;
};

// {"pass@1": ..., "pass@K": ..., "greedy_pass@1": ..., "eval_response_tokens": ...}
FORGE_API nlohmann::json evaluate_problems(const Policy& policy,
                                           const std::vector<Problem>& problems,
                                           const RewardSet& rewards, const EvalSettings& settings);

}  // namespace forge
