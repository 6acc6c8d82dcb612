#pragma once

#include <forge/config.h>
#include <forge/export.h>
#include <forge/schema.h>

#include <cstdint>
#include <string>

namespace forge {

// The learning-rate schedule of a training run: linear warmup, then a decay shape.
struct ScheduleConfig {
  std::int64_t warmup_steps = 0;
  std::int64_t total_steps = 1;
  std::string decay = "cosine";  // cosine | linear | constant | wsd
  double min_lr_ratio = 0.1;     // the final learning rate as a fraction of the peak
  double decay_fraction = 0.2;   // wsd: the final fraction of steps that decays
};

// The learning rate at `step` (from 0). Warmup rises linearly from peak/warmup at step 0 to the
// peak at warmup-1; the decay then reaches min_lr_ratio * peak at total_steps-1 and stays there
// (constant stays at the peak; wsd holds it until its final decay_fraction of steps).
FORGE_API double learning_rate(double peak_lr, const ScheduleConfig& config, std::int64_t step);

// The recipe's `schedule:` keys, with defaults and one-line docs.
FORGE_API Schema schedule_schema();

// Reads a validated `schedule:` section; throws forge::Error for settings that can't fit
// `total_steps`.
FORGE_API ScheduleConfig schedule_from(const Config& section, std::int64_t total_steps);

}  // namespace forge
