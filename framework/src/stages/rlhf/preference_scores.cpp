#include "stages/rlhf/preference_scores.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include "stages/rl/sequence_batch.h"

#include <algorithm>
#include <cmath>

namespace forge {

void score_with_reward_model(RewardModel& reward_model, const Tokenizer& tokenizer,
                             const ChatTemplate& chat, const std::vector<const Problem*>& problems,
                             std::vector<Sample>& samples, std::int64_t micro_batch) {
  std::vector<std::vector<TokenId>> sequences;
  const auto context = static_cast<std::size_t>(reward_model.shape().context);
  for (const Sample& sample : samples) {
    std::vector<ChatMessage> messages = problems[sample.problem]->prompt;
    messages.push_back({"assistant", sample.reply, {}});
    std::vector<TokenId> ids = render_chat(tokenizer, messages, chat).ids;
    if (ids.size() > context) ids.resize(context);  // a reply cut by the context ends there
    sequences.push_back(std::move(ids));
  }
  std::vector<double> scores =
      score_sequences(reward_model, sequences, tokenizer.end_of_text(), micro_batch);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i].judge = samples[i].reward.value;
    samples[i].reward.value = scores[i];
  }
}

double mean_sequence_kl(Model& policy, Model& reference, const std::vector<Sample>& samples,
                        TokenId pad, std::int64_t micro_batch) {
  double total = 0;
  const Device device = policy.parameters().front().second.device();
  for (std::size_t first = 0; first < samples.size();
       first += static_cast<std::size_t>(micro_batch)) {
    std::vector<const Sample*> rows;
    for (std::size_t i = first;
         i < std::min(samples.size(), first + static_cast<std::size_t>(micro_batch)); ++i)
      rows.push_back(&samples[i]);
    SequenceBatch batch = sequence_batch(rows, pad, policy.shape().context, device);
    Tensor log_ratio =
        ops::sub(target_log_probs(policy, batch), target_log_probs(reference, batch));
    total += ops::sum(ops::mul(log_ratio, batch.mask)).item();
  }
  return samples.empty() ? 0.0 : total / static_cast<double>(samples.size());
}

nlohmann::json evaluate_preferences(const Policy& policy, RewardModel& reward_model,
                                    const std::vector<Problem>& prompts, const RewardSet& judge,
                                    const PreferenceEvalSettings& settings) {
  std::vector<const Problem*> all;
  for (const Problem& prompt : prompts) all.push_back(&prompt);
  std::vector<Sample> samples =
      roll_out(policy, all, settings.samples, settings.max_tokens, judge, settings.seed);
  std::vector<double> parts(judge.labels().size(), 0.0);
  double tokens = 0;
  for (const Sample& sample : samples) {
    tokens += static_cast<double>(sample.sampled_tokens());
    for (std::size_t r = 0; r < parts.size(); ++r) parts[r] += sample.reward.parts[r];
  }
  score_with_reward_model(reward_model, *policy.tokenizer, policy.chat, all, samples,
                          settings.micro_batch);
  double rm = 0, judged = 0, judged_sq = 0;
  for (const Sample& sample : samples) {
    rm += sample.reward.value;
    judged += sample.judge;
    judged_sq += sample.judge * sample.judge;
  }
  const auto n = static_cast<double>(samples.size());
  const double variance = n > 1 ? std::max(0.0, (judged_sq - judged * judged / n) / (n - 1)) : 0.0;
  nlohmann::json scores = {{"rm_score", rm / n},
                           {"judge_score", judged / n},
                           {"judge_se", std::sqrt(variance / n)},
                           {"eval_response_tokens", tokens / n}};
  for (std::size_t r = 0; r < parts.size(); ++r)
    scores["judge/" + judge.labels()[r]] = parts[r] / n;
  if (settings.reference)
    scores["kl"] = mean_sequence_kl(*policy.model, *settings.reference, samples,
                                    policy.tokenizer->end_of_text(), settings.micro_batch);
  return scores;
}

}  // namespace forge
