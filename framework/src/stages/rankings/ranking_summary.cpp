#include "stages/rankings/ranking_summary.h"

#include <forge/words.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>
#include <set>

namespace forge {
namespace {

double ratio(double part, double whole) { return whole > 0 ? part / whole : 0.0; }

}  // namespace

std::vector<std::size_t> rank_best_first(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

void RankingSummary::add(const std::vector<std::string>& responses,
                         const std::vector<double>& scores,
                         const std::vector<std::string>& finishes) {
  if (responses.empty()) return;
  const auto [low, high] = std::minmax_element(scores.begin(), scores.end());
  min_ = prompts_ ? std::min(min_, *low) : *low;
  max_ = prompts_ ? std::max(max_, *high) : *high;
  ++prompts_;
  const std::set<std::string> distinct(responses.begin(), responses.end());
  identical_ += distinct.size() == 1;
  distinct_ += distinct.size();
  spread_ += *high - *low;
  for (std::size_t i = 0; i < responses.size(); ++i) {
    ++responses_;
    sum_ += scores[i];
    sum_squares_ += scores[i] * scores[i];
    words_ += static_cast<double>(count_words(responses[i]));
    stopped_ += finishes[i] == "stop";
  }
}

double RankingSummary::mean_score() const { return ratio(sum_, static_cast<double>(responses_)); }

nlohmann::json RankingSummary::to_json() const {
  const auto n = static_cast<double>(responses_), p = static_cast<double>(prompts_);
  const double mean = mean_score();
  return {{"prompts", prompts_},
          {"responses", responses_},
          {"score_mean", mean},
          {"score_std", std::sqrt(std::max(0.0, ratio(sum_squares_, n) - mean * mean))},
          {"score_min", min_},
          {"score_max", max_},
          {"score_spread_mean", ratio(spread_, p)},
          {"identical_share", ratio(static_cast<double>(identical_), p)},
          {"distinct_mean", ratio(static_cast<double>(distinct_), p)},
          {"reply_words_mean", ratio(words_, n)},
          {"finished_share", ratio(static_cast<double>(stopped_), n)}};
}

}  // namespace forge
