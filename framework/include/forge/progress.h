#pragma once

#include <forge/export.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace forge {

// Progress of long work: a redrawn bar with rate and ETA on a terminal, a plain line every
// `FORGE_PROGRESS_SECONDS` (default 10) otherwise. Thread-safe.
class FORGE_API Progress {
 public:
  Progress(std::string label, std::uint64_t total, std::string unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Work already done before this process started (a resumed run): counted, not in the rate.
  void skip(std::uint64_t n);
  void advance(std::uint64_t n = 1);
  // Extra text shown after the counts, e.g. "loss 3.214".
  void set_status(std::string status);
  void finish();

 private:
  void draw(bool final);

  std::mutex mutex_;
  std::string label_, unit_, status_;
  std::uint64_t total_, done_ = 0, skipped_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool terminal_, finished_ = false;
  double plain_interval_s_;
};

}  // namespace forge
