#include "stages/rl/rl_eval.h"

#include "stages/rl/advantages.h"

namespace forge {

nlohmann::json evaluate_problems(const Policy& policy, const std::vector<Problem>& problems,
                                 const RewardSet& rewards, const EvalSettings& settings) {
  std::vector<const Problem*> all;
  for (const Problem& problem : problems) all.push_back(&problem);
  const auto n = static_cast<std::size_t>(settings.samples);
  std::vector<Sample> samples =
      roll_out(policy, all, settings.samples, settings.max_tokens, rewards, settings.seed);
  std::vector<double> pass(settings.k.size(), 0.0);
  double right = 0, tokens = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    std::size_t correct = 0;
    for (std::size_t j = 0; j < n; ++j) {
      correct += samples[i * n + j].correct;
      tokens += static_cast<double>(samples[i * n + j].sampled_tokens());
    }
    right += static_cast<double>(correct) / static_cast<double>(n);
    for (std::size_t q = 0; q < settings.k.size(); ++q)
      pass[q] += pass_at_k(n, correct, static_cast<std::size_t>(settings.k[q]));
  }
  const auto count = static_cast<double>(all.size());
  nlohmann::json scores = {{"pass@1", right / count},
                           {"eval_response_tokens", tokens / (count * static_cast<double>(n))}};
  for (std::size_t q = 0; q < settings.k.size(); ++q)
    scores[cat("pass@", settings.k[q])] = pass[q] / count;
  if (settings.greedy) {
    Policy greedy = policy;
    greedy.sampler = settings.greedy;
    double greedy_right = 0;
    for (const Sample& s : roll_out(greedy, all, 1, settings.max_tokens, rewards, settings.seed))
      greedy_right += s.correct;
    scores["greedy_pass@1"] = greedy_right / count;
  }
  return scores;
}

}  // namespace forge
