#include "stages/rl/advantages.h"

#include <forge/error.h>

#include <algorithm>
#include <cmath>

namespace forge {

AdvantageMode parse_advantage_mode(const std::string& name) {
  if (name == "grpo") return AdvantageMode::grpo;
  if (name == "mean") return AdvantageMode::mean;
  throw Error(cat("unknown advantage mode '", name, "'; use grpo or mean"));
}

std::vector<double> group_advantages(const std::vector<double>& rewards, std::size_t group_size,
                                     AdvantageMode mode, double eps) {
  FORGE_CHECK(group_size > 0 && rewards.size() % group_size == 0, "rewards in whole groups");
  std::vector<double> out(rewards.size());
  for (std::size_t first = 0; first < rewards.size(); first += group_size) {
    double mean = 0;
    for (std::size_t i = first; i < first + group_size; ++i) mean += rewards[i];
    mean /= static_cast<double>(group_size);
    double variance = 0;
    for (std::size_t i = first; i < first + group_size; ++i)
      variance += (rewards[i] - mean) * (rewards[i] - mean);
    const double std = std::sqrt(variance / static_cast<double>(group_size));
    bool uniform = true;
    for (std::size_t i = first; i < first + group_size; ++i)
      uniform &= rewards[i] == rewards[first];
    for (std::size_t i = first; i < first + group_size; ++i) {
      const double centred = rewards[i] - mean;
      out[i] = mode == AdvantageMode::grpo ? centred / (std + eps) : centred;
      if (uniform) out[i] = 0;  // exactly, where the mean's rounding would leave residue
    }
  }
  return out;
}

double pass_at_k(std::size_t n, std::size_t c, std::size_t k) {
  FORGE_CHECK(k >= 1 && k <= n && c <= n, "pass@k needs 1 <= k <= n and c <= n");
  if (n - c < k) return 1.0;
  // C(n - c, k) / C(n, k) = prod_{i = n - c + 1}^{n} (1 - k / i)
  double none = 1.0;
  for (std::size_t i = n - c + 1; i <= n; ++i)
    none *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - none;
}

}  // namespace forge
