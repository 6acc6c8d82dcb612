#pragma once

// The training loops' small shared arithmetic: when a periodic event falls, and elapsed time.

#include <chrono>
#include <cstdint>

namespace forge {

using StepClock = std::chrono::steady_clock;

// Whether an event every `every` steps (and always after the `last`) falls on `step`, counted
// from 1; every = 0: only after the last.
inline bool due(std::int64_t every, std::int64_t step, std::int64_t last) {
  return step == last || (every > 0 && step % every == 0);
}

inline double seconds_since(StepClock::time_point start) {
  return std::chrono::duration<double>(StepClock::now() - start).count();
}

}  // namespace forge
