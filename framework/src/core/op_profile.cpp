#include "core/op_profile.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace forge {
namespace {

struct Totals {
  std::array<std::atomic<std::int64_t>, kOpCount> nanoseconds{};
  std::array<std::atomic<std::int64_t>, kOpCount> calls{};

  ~Totals() {
    std::vector<std::size_t> order(kOpCount);
    double total = 0;
    for (std::size_t i = 0; i < kOpCount; ++i) {
      order[i] = i;
      total += static_cast<double>(nanoseconds[i]);
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return nanoseconds[a] > nanoseconds[b]; });
    std::fprintf(stderr, "forge op profile (FORGE_PROFILE): %.3f s in kernels\n", total / 1e9);
    for (std::size_t i : order) {
      if (!calls[i]) continue;
      const double ns = static_cast<double>(nanoseconds[i]);
      std::fprintf(stderr, "  %-24s %9.3f s %5.1f%% %9lld calls\n", kOpNames[i].data(), ns / 1e9,
                   100 * ns / total, static_cast<long long>(calls[i]));
    }
  }
};

Totals& totals() {
  static Totals instance;
  return instance;
}

}  // namespace

bool op_profile_enabled() {
  static const bool enabled = [] {
    const char* value = std::getenv("FORGE_PROFILE");
    if (!value || !*value || std::string_view(value) == "0") return false;
    totals();  // constructed now, so it is destroyed (and printed) after later statics
    return true;
  }();
  return enabled;
}

void op_profile_add(OpId op, std::chrono::steady_clock::duration spent) {
  const auto i = static_cast<std::size_t>(op);
  totals().nanoseconds[i] += std::chrono::duration_cast<std::chrono::nanoseconds>(spent).count();
  totals().calls[i] += 1;
}

void op_profile_reset() {
  if (!op_profile_enabled()) return;
  for (auto& value : totals().nanoseconds) value = 0;
  for (auto& value : totals().calls) value = 0;
}

}  // namespace forge
