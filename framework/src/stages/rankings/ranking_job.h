#pragma once

// Everything a rankings run needs, checked before it starts, and the job that writes it.

#include <forge/chat.h>
#include <forge/sampler.h>

#include "stages/rl/reward_set.h"
#include "stages/stage.h"
#include "train/checkpoint_model.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace forge {

struct RankingPrompt {
  std::string id;
  std::vector<ChatMessage> messages;  // up to the first assistant message
  std::vector<TokenId> ids;           // rendered, ending with the assistant's header
  nlohmann::json metadata;            // the document's, without its messages
};

struct RankingSplit {
  std::string name;  // train or test: the file rankings/NAME.jsonl
  std::vector<RankingPrompt> prompts;
};

struct RankingsSetup {
  LoadedModel model;
  std::unique_ptr<Sampler> sampler;
  RewardSet scorer;
  std::vector<RankingSplit> splits;
  ChatTemplate chat;
  std::int64_t responses = 5, max_tokens = 64;
  double noise = 0;
  std::uint64_t seed = 0;
};

FORGE_API std::unique_ptr<StageJob> make_rankings_job(std::unique_ptr<RankingsSetup> setup);

}  // namespace forge
