#pragma once

// What RL learns from a group of samples of one prompt: each sample's reward relative to its
// group's (GRPO), and the pass@k estimates of held-out evaluation.

#include <forge/export.h>

#include <cstddef>
#include <string>
#include <vector>

namespace forge {

enum class AdvantageMode {
  grpo,  // (r - mean) / (std + eps), std over the group (population)
  mean,  // r - mean (Dr. GRPO's choice: no division, so no boost of near-uniform groups)
};

FORGE_API AdvantageMode parse_advantage_mode(const std::string& name);

// Advantages of `rewards`, laid out as consecutive groups of `group_size` samples of one
// prompt. A group whose rewards are all equal gets advantage 0 everywhere: it teaches nothing.
FORGE_API std::vector<double> group_advantages(const std::vector<double>& rewards,
                                               std::size_t group_size, AdvantageMode mode,
                                               double eps = 1e-4);

// The unbiased estimate of pass@k from n samples of which c are correct (Chen et al., 2021):
// 1 - C(n - c, k) / C(n, k). Needs 1 <= k <= n.
FORGE_API double pass_at_k(std::size_t n, std::size_t c, std::size_t k);

}  // namespace forge
