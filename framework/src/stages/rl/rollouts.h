#pragma once

// Problems with answer keys, and rollouts: G sampled assistant turns per problem through the
// engine's tool loop, each scored by the recipe's rewards.

#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/sampler.h>

#include "engine/assistant_turn.h"
#include "stages/rl/reward_set.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace forge {

struct Problem {
  std::string id;
  std::vector<ChatMessage> prompt;  // up to the first assistant message
  std::string answer;               // metadata.answer
  nlohmann::json metadata;
};

// Every document of `dataset` as a problem; throws forge::Error naming `label` and the
// document for one without metadata.messages, without a user message or (with `need_answer`)
// without an answer.
FORGE_API std::vector<Problem> read_problems(const Dataset& dataset, const std::string& label,
                                             bool need_answer = true);

// What generates: the model with its tokenizer, sampler and tools (none owned).
struct Policy {
  Model* model = nullptr;
  const Tokenizer* tokenizer = nullptr;
  const Sampler* sampler = nullptr;
  const ToolMap* tools = nullptr;
  ChatTemplate chat;
  TurnLimits limits;
};

struct Sample {
  std::size_t problem = 0;  // index into the rollout's problems
  std::vector<TokenId> prompt_ids;
  TurnResult turn;  // messages, finish, and the tokens with what the model sampled of them
  RewardTotal reward;
  double judge = 0;  // rlhf: the judge's score, while reward.value is the reward model's
  bool correct = false;
  std::string reply;  // the last assistant message
  std::int64_t sampled_tokens() const;
};

// `group_size` turns for each problem, in problem order (samples i * G .. i * G + G - 1 answer
// problem i). Sample j of problem i draws from seed + i * G + j alone, so a rollout is the same
// whatever else ran before it.
FORGE_API std::vector<Sample> roll_out(const Policy& policy,
                                       const std::vector<const Problem*>& problems,
                                       std::int64_t group_size, std::int64_t max_tokens,
                                       const RewardSet& rewards, std::uint64_t seed);

}  // namespace forge
