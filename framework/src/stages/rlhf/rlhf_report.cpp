#include "stages/rlhf/rlhf_report.h"

#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <fstream>

namespace forge {

void write_rlhf_report(const std::filesystem::path& run_dir, const std::string& stopped_early) {
  std::ifstream in(run_dir / "metrics.jsonl");
  nlohmann::json evals = nlohmann::json::array();
  for (std::string line; std::getline(in, line);) {
    nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
    if (record.is_discarded() || !record.contains("rm_score")) continue;
    nlohmann::json row;
    for (const char* key :
         {"step", "rm_score", "judge_score", "judge_se", "kl", "eval_response_tokens"})
      if (record.contains(key)) row[key] = record[key];
    if (record.contains("hacking")) row["monitor"] = "hacking";
    evals.push_back(row);
  }
  nlohmann::json report = {{"evaluations", evals}};
  if (!stopped_early.empty()) report["stopped_early"] = stopped_early;
  if (!evals.empty()) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < evals.size(); ++i)
      if (evals[i]["judge_score"].get<double>() > evals[best]["judge_score"].get<double>())
        best = i;
    report["before"] = evals.front();
    report["after"] = evals.back();
    report["best_judge"] = evals[best];
  }
  write_file_atomic(run_dir / "report.json", report.dump(2) + "\n");
}

}  // namespace forge
