// Reward `preference_judge`: a fixed, hidden taste that stands in for human labellers when
// rankings are made, and judges RLHF's replies later. It prefers replies that mention the
// prompt's topic (metadata.topic), are about `target_words` long, do not repeat themselves and
// end their turn. Score = topic * [topic word present] + length * (1 - |words - target| /
// target, at least -1) - repetition * (share of words repeating an earlier one) + finished *
// [turn ended with stop]. It checks no answer, so it never says correct.
#include <forge/error.h>
#include <forge/reward.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

namespace forge {
namespace {

// Lower-case runs of letters and digits.
std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  return words;
}

class PreferenceJudge : public Reward {
 public:
  explicit PreferenceJudge(const Config& config)
      : topic_(config.number("topic")),
        length_(config.number("length")),
        repetition_(config.number("repetition")),
        finished_(config.number("finished")),
        target_words_(static_cast<double>(config.integer("target_words"))),
        topic_key_(config.string("topic_key")) {}

  RewardScore score(const RewardInput& input) const override {
    const std::vector<std::string> words = words_of(input.reply);
    double value = 0;
    if (topic_ != 0) value += topic_ * mentions_topic(words, topic_of(input));
    const auto n = static_cast<double>(words.size());
    value += length_ * std::max(-1.0, 1.0 - std::abs(n - target_words_) / target_words_);
    value -= repetition_ * repeated_share(words);
    value += finished_ * (input.finish == "stop");
    return {value, std::nullopt};
  }

 private:
  std::string topic_of(const RewardInput& input) const {
    const nlohmann::json& metadata = input.metadata;
    if (!metadata.is_object() || !metadata.contains(topic_key_) ||
        !metadata.at(topic_key_).is_string())
      throw Error(cat("preference_judge: the prompt's metadata has no string '", topic_key_,
                      "' to judge the topic by; use prompts that carry one (verse_requests "
                      "does) or set topic: 0"));
    std::string text = metadata.at(topic_key_).get<std::string>();
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
  }

  static bool mentions_topic(const std::vector<std::string>& words, const std::string& topic) {
    return std::find(words.begin(), words.end(), topic) != words.end();
  }

  static double repeated_share(const std::vector<std::string>& words) {
    if (words.empty()) return 0;
    std::set<std::string> seen;
    std::size_t repeats = 0;
    for (const std::string& word : words) repeats += !seen.insert(word).second;
    return static_cast<double>(repeats) / static_cast<double>(words.size());
  }

  double topic_, length_, repetition_, finished_, target_words_;
  std::string topic_key_;
};

std::vector<PluginInfo> plugins() {
  return {describe_plugin<PreferenceJudge>(
      "preference_judge", "1.0",
      "a hidden labeller's taste: on topic, about target_words long, unrepetitive, finished",
      Schema{
          param::number("topic").fallback(1.0).doc(
              "weight of mentioning metadata.topic as a word, case aside (part 0 or 1)"),
          param::number("length").fallback(0.5).doc(
              "weight of the length part, 1 - |words - target_words| / target_words, at "
              "least -1"),
          param::number("repetition")
              .fallback(1.0)
              .doc("penalty weight of the share of words that repeat an earlier word (0 to 1)"),
          param::number("finished")
              .fallback(0.5)
              .doc("weight of a turn that ended with its end token rather than being cut off (0 or "
                   "1)"),
          param::integer("target_words")
              .fallback(12)
              .at_least(1)
              .doc("the reply length, in words, that the length part prefers"),
          param::string("topic_key")
              .fallback("topic")
              .doc("the prompt metadata key holding the topic word"),
      })};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
