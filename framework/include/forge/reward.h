#pragma once

// Rewards for reinforcement learning on problems with known answers: a score for one sampled
// reply, given the problem and its answer key. The rl stage sums several, each with a weight.

#include <forge/chat.h>
#include <forge/export.h>
#include <forge/plugin.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace forge {

// One sampled reply to a problem, as a reward plugin sees it.
struct RewardInput {
  std::vector<ChatMessage> prompt;  // the conversation the model answered
  std::vector<ChatMessage> turn;    // what its turn wrote: assistant and tool messages
  std::string reply;                // the last assistant message's content
  std::string finish;               // how the turn ended: stop, length, context, unclosed
  std::string answer;               // the problem's answer key (metadata.answer)
  nlohmann::json metadata;          // the problem document's metadata
};

struct RewardScore {
  double value = 0;
  // Rewards that check an answer say whether it is right; pass@k counts a sample as correct
  // when every reward that says so agrees.
  std::optional<bool> correct;
};

// A reward plugin. score() may be called from several threads at once: keep no mutable state.
class FORGE_API Reward : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::reward;
  virtual RewardScore score(const RewardInput& input) const = 0;
};

}  // namespace forge
