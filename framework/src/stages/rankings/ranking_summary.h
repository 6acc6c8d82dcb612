#pragma once

// The order labellers would give K scored responses, and what a split's rankings look like:
// whether the responses differ enough for their order to teach anything.

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace forge {

// Indices of `scores` from highest to lowest; ties keep the earlier response first.
FORGE_API std::vector<std::size_t> rank_best_first(const std::vector<double>& scores);

// Running statistics of one split's ranked prompts.
class FORGE_API RankingSummary {
 public:
  void add(const std::vector<std::string>& responses, const std::vector<double>& scores,
           const std::vector<std::string>& finishes);
  std::uint64_t prompts() const { return prompts_; }
  double mean_score() const;
  // Counts, score mean/std/min/max, the mean spread within a prompt, the share of prompts whose
  // responses are all the same, distinct responses per prompt, reply words and finished share.
  nlohmann::json to_json() const;

 private:
  std::uint64_t prompts_ = 0, responses_ = 0, identical_ = 0, distinct_ = 0, stopped_ = 0;
  double sum_ = 0, sum_squares_ = 0, min_ = 0, max_ = 0, spread_ = 0, words_ = 0;
};

}  // namespace forge
