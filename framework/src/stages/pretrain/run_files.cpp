#include "stages/pretrain/run_files.h"

#include <forge/error.h>

#include <nlohmann/json.hpp>

#include <fstream>

namespace forge {
namespace fs = std::filesystem;
namespace {

// Keeps the leading lines whose "step" is at most `step`; the rest is cut off.
void truncate_after(const fs::path& file, std::int64_t step) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return;
  std::string line;
  std::uintmax_t keep = 0, offset = 0;
  while (std::getline(in, line)) {
    offset += line.size() + 1;
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("step") ||
        record["step"].get<std::int64_t>() > step)
      break;
    keep = offset;
  }
  in.close();
  std::error_code error;
  fs::resize_file(file, keep, error);
  if (error)
    throw Error(cat("cannot cut '", file.string(), "' back to step ", step, ": ", error.message()));
}

}  // namespace

void append_sample(const fs::path& run_dir, std::int64_t step, const std::string& prompt,
                   const std::string& text, const std::string& finish) {
  std::ofstream out(run_dir / "samples.jsonl", std::ios::app);
  nlohmann::json record = {{"step", step}, {"prompt", prompt}, {"text", text}, {"finish", finish}};
  // Samples may end inside a UTF-8 character; replace broken bytes rather than fail.
  out << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  if (!out) throw Error(cat("cannot append to '", (run_dir / "samples.jsonl").string(), "'"));
}

void truncate_run_files(const fs::path& run_dir, std::int64_t step) {
  truncate_after(run_dir / "metrics.jsonl", step);
  truncate_after(run_dir / "samples.jsonl", step);
}

}  // namespace forge
