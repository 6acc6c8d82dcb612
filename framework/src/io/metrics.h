#pragma once

#include <forge/export.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>

namespace forge {

// Appends one JSON object per line to a run's metrics.jsonl, flushed at once so a crash loses
// nothing already logged. Thread-safe. An empty path writes nowhere (ranks other than 0).
class FORGE_API MetricsWriter {
 public:
  explicit MetricsWriter(const std::filesystem::path& file);
  void write(const nlohmann::json& record);

 private:
  std::mutex mutex_;
  std::ofstream out_;
};

}  // namespace forge
