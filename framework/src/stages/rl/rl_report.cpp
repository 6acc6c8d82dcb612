#include "stages/rl/rl_report.h"

#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace forge {

void write_rl_report(const std::filesystem::path& run_dir) {
  std::ifstream in(run_dir / "metrics.jsonl");
  nlohmann::json evals = nlohmann::json::array(), steps = nlohmann::json::array();
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded()) continue;
    if (record.contains("pass@1")) evals.push_back(record);
    if (record.contains("reward"))
      steps.push_back({{"step", record["step"]},
                       {"reward", record["reward"]},
                       {"correct", record["correct"]},
                       {"response_tokens", record["response_tokens"]}});
  }
  nlohmann::json report = {{"evaluations", evals}, {"steps", steps}};
  if (!evals.empty()) {
    report["before"] = evals.front();
    report["after"] = evals.back();
  }
  write_file_atomic(run_dir / "report.json", report.dump(2) + "\n");
}

}  // namespace forge
