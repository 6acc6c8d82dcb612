#include "stages/rlhf/hacking_monitor.h"

#include <algorithm>
#include <cstdio>

namespace forge {

std::optional<std::string> HackingMonitor::observe(const MonitorPoint& point) {
  history_.push_back(point);
  const auto w = static_cast<std::size_t>(std::max<std::int64_t>(2, config_.window));
  if (history_.size() < w) return std::nullopt;
  const MonitorPoint& first = history_[history_.size() - w];
  const MonitorPoint& last = history_.back();
  if (last.reward_model - first.reward_model <= config_.min_rise) return std::nullopt;
  for (std::size_t i = history_.size() - w + 1; i < history_.size(); ++i)
    if (history_[i - 1].judge - history_[i].judge <= config_.min_fall) return std::nullopt;
  double best = history_.front().judge;
  std::int64_t best_step = history_.front().step;
  for (const MonitorPoint& p : history_)
    if (p.judge > best) best = p.judge, best_step = p.step;
  if (best - last.judge <= config_.min_fall) return std::nullopt;
  char text[400];
  std::snprintf(text, sizeof text,
                "reward hacking: from step %lld to %lld the reward model's score rose %.3f -> "
                "%.3f while the held-out judge's fell %.3f -> %.3f at every evaluation (its best "
                "was %.3f at step %lld; KL to the reference %.2f -> %.2f)",
                static_cast<long long>(first.step), static_cast<long long>(last.step),
                first.reward_model, last.reward_model, first.judge, last.judge, best,
                static_cast<long long>(best_step), first.kl, last.kl);
  return std::string(text);
}

}  // namespace forge
