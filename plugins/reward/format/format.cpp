// Reward `format`: a small reward for well-formed output whatever its answer: `closed` when
// the turn ended with the end-of-turn token, `answer` when a final answer can be read from the
// places `from` lists (give `from: [boxed]` to ask for \boxed{}), and `max_chars` to refuse
// rambling replies.
#include <forge/answer.h>
#include <forge/reward.h>

#include "../answer_sources.h"

namespace forge {
namespace {

class Format : public Reward {
 public:
  explicit Format(const Config& config)
      : sources_(rewards::sources_from(config)),
        closed_(config.number("closed")),
        answer_(config.number("answer")),
        max_chars_(config.integer("max_chars")) {}

  RewardScore score(const RewardInput& input) const override {
    if (max_chars_ > 0 && input.reply.size() > static_cast<std::size_t>(max_chars_)) return {};
    double value = input.finish == "stop" ? closed_ : 0.0;
    if (extract_answer(input.reply, sources_)) value += answer_;
    return {value, std::nullopt};
  }

 private:
  std::vector<AnswerSource> sources_;
  double closed_, answer_;
  std::int64_t max_chars_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<Format>("format", "1.0",
                                  "a small reward for a closed turn with a readable final answer",
                                  Schema{
                                      rewards::sources_param(),
                                      param::number("closed").fallback(0.5).doc(
                                          "reward when the turn ended with the end-of-turn token"),
                                      param::number("answer").fallback(0.5).doc(
                                          "reward when a final answer can be read from the reply"),
                                      param::integer("max_chars")
                                          .fallback(0)
                                          .at_least(0)
                                          .doc("replies longer than this get 0; 0: no limit"),
                                  })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
