#include "stages/rankings/ranking_job.h"

#include <forge/files.h>
#include <forge/log.h>
#include <forge/progress.h>
#include <forge/random.h>

#include "engine/generate.h"
#include "stages/rankings/ranking_summary.h"

#include <filesystem>

namespace forge {
namespace {

namespace fs = std::filesystem;

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Ranked {
  std::vector<std::string> responses, finishes;
  std::vector<double> scores;
  std::vector<std::size_t> ranking;
};

class RankingsJob : public StageJob {
 public:
  explicit RankingsJob(std::unique_ptr<RankingsSetup> setup) : s_(std::move(setup)) {}

  void run(RunContext& context) override {
    const fs::path dir = context.dir / "rankings";
    fs::create_directories(dir);
    std::uint64_t total = 0;
    for (const RankingSplit& split : s_->splits) total += split.prompts.size();
    Progress progress("rankings", total, "prompts");
    // A resumed run keeps the summaries of the splits it keeps.
    const fs::path report_file = context.dir / "report.json";
    nlohmann::json report = nlohmann::json::object();
    if (context.resuming && fs::exists(report_file))
      report = nlohmann::json::parse(read_file(report_file), nullptr, false);
    if (!report.is_object()) report = nlohmann::json::object();
    for (std::size_t k = 0; k < s_->splits.size(); ++k) {
      const RankingSplit& split = s_->splits[k];
      const fs::path file = dir / (split.name + ".jsonl");
      // Each split's file appears whole or not at all: a resumed run keeps the finished ones.
      if (context.resuming && fs::exists(file)) {
        log_info("rankings: ", split.name, ": kept ", file.string(), " from before");
        progress.skip(split.prompts.size());
        continue;
      }
      AtomicFileWriter out(file, false);
      RankingSummary summary;
      for (std::size_t i = 0; i < split.prompts.size(); ++i) {
        const RankingPrompt& prompt = split.prompts[i];
        const Ranked ranked = rank(prompt, mix64(mix64(s_->seed ^ (k + 1)) + i));
        out.write(dump(line(prompt, ranked)) + "\n");
        summary.add(ranked.responses, ranked.scores, ranked.finishes);
        if (i == 0) log_example(split.name, prompt, ranked);
        progress.set_status(cat(split.name, " mean score ", summary.mean_score()));
        progress.advance();
      }
      out.commit();
      nlohmann::json stats = summary.to_json();
      log_summary(split.name, stats);
      nlohmann::json record = stats;
      record["split"] = split.name;
      context.metrics->write(record);
      report[split.name] = std::move(stats);
      write_file_atomic(report_file, report.dump(2) + "\n");
    }
    progress.finish();
  }

 private:
  // K responses drawn as one batch (they share the prompt's length), scored, noised, ranked.
  Ranked rank(const RankingPrompt& prompt, std::uint64_t seed) const {
    const TokenId end = *s_->model.tokenizer->special_token(s_->chat.end);
    GenerationRequest request;
    request.prompts.assign(static_cast<std::size_t>(s_->responses), prompt.ids);
    request.max_tokens = s_->max_tokens;
    request.stop_tokens = {end};
    request.seed = seed;
    Ranked ranked;
    Generator noise(mix64(seed ^ 0x6e6f697365ULL));
    std::vector<double> noisy;
    for (GenerationRow& row : generate(*s_->model.model, *s_->sampler, request)) {
      if (!row.tokens.empty() && row.tokens.back() == end) row.tokens.pop_back();
      RewardInput input;
      input.prompt = prompt.messages;
      input.reply = s_->model.tokenizer->decode(row.tokens);
      input.turn = {{"assistant", input.reply, {}}};
      input.finish = row.finish;
      if (auto answer = prompt.metadata.find("answer");
          answer != prompt.metadata.end() && answer->is_string())
        input.answer = answer->get<std::string>();
      input.metadata = prompt.metadata;
      const double score = s_->scorer.score(input).value;
      ranked.scores.push_back(score);
      noisy.push_back(score + (s_->noise > 0 ? s_->noise * noise.normal() : 0.0));
      ranked.responses.push_back(std::move(input.reply));
      ranked.finishes.push_back(row.finish);
    }
    ranked.ranking = rank_best_first(noisy);
    return ranked;
  }

  // One line of the format the `rankings` dataset reads.
  static nlohmann::json line(const RankingPrompt& prompt, const Ranked& ranked) {
    return {{"id", prompt.id},
            {"messages", chat_to_json(prompt.messages)},
            {"responses", ranked.responses},
            {"ranking", ranked.ranking},
            {"scores", ranked.scores},
            {"metadata", prompt.metadata}};
  }

  static void log_example(const std::string& split, const RankingPrompt& prompt,
                          const Ranked& ranked) {
    log_info("rankings: ", split, " example: ", dump(prompt.messages.back().content));
    for (std::size_t place = 0; place < ranked.ranking.size(); ++place) {
      const std::size_t i = ranked.ranking[place];
      log_info("  #", place + 1, " (score ", ranked.scores[i], ", ", ranked.finishes[i],
               "): ", dump(ranked.responses[i]));
    }
  }

  static void log_summary(const std::string& split, const nlohmann::json& s) {
    log_info("rankings: ", split, ": ", s["prompts"].get<std::uint64_t>(), " prompts x ",
             s["responses"].get<std::uint64_t>() /
                 std::max<std::uint64_t>(1, s["prompts"].get<std::uint64_t>()),
             " responses; score mean ", s["score_mean"].get<double>(), " std ",
             s["score_std"].get<double>(), " (min ", s["score_min"].get<double>(), ", max ",
             s["score_max"].get<double>(), ", mean spread within a prompt ",
             s["score_spread_mean"].get<double>(), "); all responses identical in ",
             100 * s["identical_share"].get<double>(), "% of prompts, ",
             s["distinct_mean"].get<double>(), " distinct per prompt; ",
             s["reply_words_mean"].get<double>(), " words per reply, ",
             100 * s["finished_share"].get<double>(), "% finished");
  }

  std::unique_ptr<RankingsSetup> s_;
};

}  // namespace

std::unique_ptr<StageJob> make_rankings_job(std::unique_ptr<RankingsSetup> setup) {
  return std::make_unique<RankingsJob>(std::move(setup));
}

}  // namespace forge
