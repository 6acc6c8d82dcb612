#include "io/metrics.h"

#include <forge/error.h>

namespace forge {

MetricsWriter::MetricsWriter(const std::filesystem::path& file) {
  if (file.empty()) return;
  out_.open(file, std::ios::app);
  if (!out_) throw Error(cat("cannot open '", file.string(), "' for appending metrics"));
}

void MetricsWriter::write(const nlohmann::json& record) {
  std::lock_guard lock(mutex_);
  if (!out_.is_open()) return;
  out_ << record.dump() << '\n';
  out_.flush();
}

}  // namespace forge
