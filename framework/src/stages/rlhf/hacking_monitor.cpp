#include "stages/rlhf/hacking_monitor.h"

#include <algorithm>
#include <cmath>
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
  const MonitorPoint* best = &history_.front();
  for (const MonitorPoint& p : history_)
    if (p.judge > best->judge) best = &p;
  const double noise = config_.z * std::hypot(best->judge_se, last.judge_se);
  if (best->judge - last.judge <= std::max(config_.min_fall, noise)) return std::nullopt;
  const double se = std::hypot(best->judge_se, last.judge_se);
  char errors[64] = "";
  if (se > 0)
    std::snprintf(errors, sizeof errors, ", %.1f standard errors higher",
                  (best->judge - last.judge) / se);
  char text[400];
  std::snprintf(text, sizeof text,
                "reward hacking: from step %lld to %lld the reward model's score rose %.3f -> "
                "%.3f while the held-out judge's fell %.3f -> %.3f at every evaluation (its best "
                "was %.3f at step %lld%s; KL to the reference %.2f -> %.2f)",
                static_cast<long long>(first.step), static_cast<long long>(last.step),
                first.reward_model, last.reward_model, first.judge, last.judge, best->judge,
                static_cast<long long>(best->step), errors, first.kl, last.kl);
  return std::string(text);
}

}  // namespace forge
