#include "train/schedule.h"

#include <forge/error.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace forge {

double learning_rate(double peak_lr, const ScheduleConfig& config, std::int64_t step) {
  FORGE_CHECK(step >= 0 && config.warmup_steps >= 0 && config.total_steps >= 1, "schedule: step ",
              step, ", warmup ", config.warmup_steps, ", total ", config.total_steps);
  // llm.c's warmup: the first step already trains, at peak/warmup.
  if (step < config.warmup_steps) {
    return peak_lr * static_cast<double>(step + 1) / static_cast<double>(config.warmup_steps);
  }
  const std::int64_t last = config.total_steps - 1;
  // The last step still at the peak; the decay runs from there to `last`.
  std::int64_t anchor = std::max<std::int64_t>(config.warmup_steps - 1, 0);
  bool cosine = config.decay == "cosine";
  if (config.decay == "constant") return peak_lr;
  if (config.decay == "wsd") {
    auto decay_steps = std::max<std::int64_t>(
        1, std::llround(config.decay_fraction * static_cast<double>(config.total_steps)));
    anchor = std::max(anchor, last - decay_steps);
  } else if (!cosine && config.decay != "linear") {
    throw Error(cat("schedule: unknown decay '", config.decay,
                    "'; use one of cosine, linear, constant, wsd"));
  }
  if (step <= anchor || last <= anchor) return peak_lr;

  const double min_lr = config.min_lr_ratio * peak_lr;
  double progress =
      std::min(1.0, static_cast<double>(step - anchor) / static_cast<double>(last - anchor));
  if (cosine)
    return min_lr + (peak_lr - min_lr) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
  return peak_lr + (min_lr - peak_lr) * progress;
}

Schema schedule_schema() {
  return Schema{
      param::integer("warmup_steps")
          .fallback(0)
          .at_least(0)
          .doc("steps of linear warmup from peak/warmup_steps up to the peak learning rate"),
      param::string("decay")
          .fallback("cosine")
          .one_of({"cosine", "linear", "constant", "wsd"})
          .doc("shape after warmup; wsd holds the peak, then decays linearly at the end"),
      param::number("min_lr_ratio")
          .fallback(0.1)
          .range(0.0, 1.0)
          .doc("the learning rate at the last step, as a fraction of the peak (not constant)"),
      param::number("decay_fraction")
          .fallback(0.2)
          .range(0.0, 1.0)
          .doc("wsd only: the final fraction of steps that decays, in (0, 1]"),
  };
}

ScheduleConfig schedule_from(const Config& section, std::int64_t total_steps) {
  if (total_steps < 1) {
    section.fail({}, cat("the schedule needs at least 1 training step, got ", total_steps,
                         "; set train.steps to a positive number"));
  }
  ScheduleConfig config;
  config.total_steps = total_steps;
  config.warmup_steps = section.integer("warmup_steps");
  config.decay = section.string("decay");
  config.min_lr_ratio = section.number("min_lr_ratio");
  config.decay_fraction = section.number("decay_fraction");
  if (config.warmup_steps > total_steps) {
    section.fail("warmup_steps", cat("is ", config.warmup_steps, " but the run has only ",
                                     total_steps, " steps; lower it or raise train.steps"));
  }
  if (!(config.decay_fraction > 0.0)) {
    section.fail("decay_fraction",
                 "must be above 0 (it is the share of steps that decays); use 1 to decay over the "
                 "whole run");
  }
  return config;
}

}  // namespace forge
