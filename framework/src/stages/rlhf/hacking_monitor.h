#pragma once

// Watches an RLHF run for reward hacking: the policy finding replies that fool the reward model.
// Its symptom is the reward model's score rising while a held-out judge's falls, so the monitor
// compares the two over the last few evaluations and says why when they part.

#include <forge/export.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace forge {

struct HackingMonitorConfig {
  std::int64_t window = 3;  // evaluations compared (the first and last of them), >= 2
  double min_rise = 0.0;    // the reward model's score must rise by more than this
  double min_fall = 0.02;   // and the judge's fall by more than this, each step of the window
  // The judge must end below its best by more than z standard errors of the difference: a
  // held-out set's sampling noise alone should rarely stop a run.
  double z = 2.0;
  bool stop = true;  // stop the run, or only flag it
};

struct MonitorPoint {
  std::int64_t step = 0;
  double reward_model = 0, judge = 0, kl = 0;
  double judge_se = 0;  // the judge score's standard error over the held-out replies
};

class FORGE_API HackingMonitor {
 public:
  explicit HackingMonitor(HackingMonitorConfig config) : config_(config) {}
  // Records one evaluation; returns why the run looks hacked when, over the window, the reward
  // model's score rose while the judge's fell at every evaluation and ended below its best by
  // more than min_fall and than z standard errors.
  std::optional<std::string> observe(const MonitorPoint& point);
  const std::vector<MonitorPoint>& history() const { return history_; }
  const HackingMonitorConfig& config() const { return config_; }

 private:
  HackingMonitorConfig config_;
  std::vector<MonitorPoint> history_;
};

}  // namespace forge
