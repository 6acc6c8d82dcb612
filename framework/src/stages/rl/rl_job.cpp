#include "stages/rl/rl_job.h"

#include <forge/log.h>
#include <forge/progress.h>

#include "dist/communicator.h"
#include "stages/pretrain/run_files.h"
#include "stages/rl/rl_eval.h"
#include "stages/rl/rl_report.h"
#include "stages/rl/rl_update.h"
#include "stages/rlhf/preference_scores.h"
#include "stages/rlhf/rlhf_report.h"
#include "stages/runner.h"
#include "stages/step_clock.h"
#include "train/run_checkpoints.h"
#include "train/shuffled_order.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>

namespace forge {
namespace {

using Clock = StepClock;

class RlJob : public StageJob {
 public:
  explicit RlJob(std::unique_ptr<RlSetup> setup)
      : s_(std::move(setup)),
        world_(process_world()),
        optimizer_(make_parallel_optimizer(*s_->model, s_->optimizer, world_, {})),
        order_(s_->train.size(), s_->seed) {
    policy_ = {s_->model.get(), s_->tokenizer.get(), s_->sampler.get(), &s_->tools.tools(),
               s_->chat,        s_->limits};
    if (s_->monitor) monitor_.emplace(*s_->monitor);
  }

  void run(RunContext& context) override {
    context_ = &context;
    if (context.resuming) restore();
    if (position_.step == 0) log_start();
    if (position_.step == 0 && s_->eval_at_start && !s_->test.empty() && world_.is_root()) {
      nlohmann::json record = evaluate_now(0);
      record["step"] = 0;
      record["elapsed_s"] = 0.0;
      context.metrics->write(record);
    }
    Progress progress("rl", static_cast<std::uint64_t>(s_->steps), "steps");
    progress.skip(static_cast<std::uint64_t>(position_.step));
    while (position_.step < s_->steps) {
      nlohmann::json record = rl_step();
      const std::int64_t step = position_.step;
      progress.set_status(cat("reward ", fixed(record["reward"], 3),
                              rlhf() ? ", judge " : ", correct ",
                              fixed(record[rlhf() ? "judge" : "correct"], 3)));
      progress.advance();
      // Rank 0 evaluates; the others wait for it at the next step's first sum.
      if (!s_->test.empty() && world_.is_root() && due(s_->eval_every, step, s_->steps))
        record.update(evaluate_now(step));
      if (due(s_->log_every, step, s_->steps) || record.contains("eval_s"))
        context.metrics->write(record);
      // Every rank learns whether rank 0's monitor stops the run.
      const bool stop =
          monitor_ && world_.all_reduce({stop_reason_.empty() ? 0.0 : 1.0}, ReduceOp::max)[0] > 0;
      if (due(s_->checkpoint_every, step, s_->steps) || stop) save();
      if (stop) {
        context.stopped_early = stop_reason_.empty() ? "stopped by rank 0's monitor" : stop_reason_;
        break;
      }
    }
    progress.finish();
    if (!world_.is_root()) return;
    // The run's report card (report.md, .html) shows report.json.
    if (rlhf())
      write_rlhf_report(context.dir, context.stopped_early);
    else
      write_rl_report(context.dir);
  }

 private:
  // The problems of `step`: consecutive positions of a seeded order, reshuffled every pass.
  std::vector<const Problem*> problems_for(std::int64_t step) {
    std::vector<const Problem*> out;
    for (std::int64_t i = 0; i < s_->prompts; ++i)
      out.push_back(&s_->train[order_.at(static_cast<std::uint64_t>(step * s_->prompts + i))]);
    return out;
  }

  // Which samples train, with what advantage.
  void select(const std::vector<Sample>& samples, std::vector<const Sample*>& chosen,
              std::vector<double>& advantages, double& groups_seen,
              double& informative_groups) const {
    const auto G = static_cast<std::size_t>(s_->group_size);
    std::vector<double> rewards;
    for (const Sample& sample : samples) rewards.push_back(sample.reward.value);
    std::vector<double> adv = group_advantages(rewards, G, s_->advantage, s_->std_eps);
    std::size_t groups = 0, informative = 0;
    for (std::size_t first = 0; first < samples.size(); first += G, ++groups) {
      bool varied = false;
      for (std::size_t i = first; i < first + G; ++i) varied |= rewards[i] != rewards[first];
      informative += varied;
      for (std::size_t i = first; i < first + G; ++i) {
        if (s_->rejection_sampling) {
          if (samples[i].correct) chosen.push_back(&samples[i]), advantages.push_back(1.0);
        } else if (varied || s_->reference) {
          // A uniform group's advantages are 0: without a KL term it teaches nothing.
          chosen.push_back(&samples[i]);
          advantages.push_back(adv[i]);
        }
      }
    }
    groups_seen = static_cast<double>(groups);
    informative_groups = static_cast<double>(informative);
  }

  // This rank's problems of `step` (every world-th, from its rank), each sampled with the
  // seeds one process would use for it, so any world size draws the same samples.
  std::vector<Sample> roll_out_share(std::int64_t step) {
    const std::vector<const Problem*> problems = problems_for(step);
    const std::uint64_t seed = mix64(s_->seed ^ mix64(static_cast<std::uint64_t>(step) + 7));
    const auto G = static_cast<std::uint64_t>(s_->group_size);
    std::vector<Sample> samples;
    for (std::size_t i = static_cast<std::size_t>(world_.rank()); i < problems.size();
         i += static_cast<std::size_t>(world_.size())) {
      std::vector<Sample> group = roll_out(policy_, {problems[i]}, s_->group_size, s_->max_tokens,
                                           s_->rewards, seed + i * G);
      if (rlhf())
        score_with_reward_model(*s_->reward_model, *s_->tokenizer, s_->chat, {problems[i]}, group,
                                s_->micro_batch);
      for (Sample& sample : group) {
        sample.problem = i;
        samples.push_back(std::move(sample));
      }
    }
    return samples;
  }

  nlohmann::json rl_step() {
    const std::int64_t step = position_.step;
    const double lr = learning_rate(s_->optimizer.lr, s_->schedule, step);
    const auto start = Clock::now();
    std::vector<Sample> samples = roll_out_share(step);
    const double rollout_s = seconds_since(start);

    std::vector<const Sample*> chosen;
    std::vector<double> advantages;
    double groups = 0, informative = 0;
    select(samples, chosen, advantages, groups, informative);
    // Every rank makes the same decisions from the totals over the ranks.
    const std::vector<double> counts =
        world_.all_reduce({static_cast<double>(chosen.size()), groups, informative});
    const double signal = counts[1] > 0 ? counts[2] / counts[1] : 0;
    const auto train_start = Clock::now();
    GradientResult total;
    double grad_norm = 0;
    std::int64_t updates = 0;
    if (counts[0] > 0) {
      UpdatePlan plan;
      plan.micro_batch = s_->micro_batch;
      plan.mini_batches = s_->mini_batches;
      plan.on_policy = s_->epochs == 1 && s_->mini_batches == 1;
      plan.context = s_->model->shape().context;
      plan.pad = s_->tokenizer->end_of_text();
      plan.device = s_->device;
      if (world_.size() > 1)
        plan.batches = std::max<std::int64_t>(
            1, std::min<std::int64_t>(s_->mini_batches, static_cast<std::int64_t>(counts[0])));
      std::vector<UpdateBatch> batches =
          plan_updates(chosen, advantages, *s_->model, s_->reference.get(), plan);
      sum_batch_totals(batches, world_);
      for (std::int64_t epoch = 0; epoch < s_->epochs; ++epoch)
        for (const UpdateBatch& batch : batches) {
          GradientResult g =
              compute_gradients(*s_->model, *optimizer_, *s_->loss, batch, s_->rejection_sampling);
          const double norm = apply_update(*optimizer_, lr, s_->grad_clip);
          if (!std::isfinite(g.loss) || !std::isfinite(norm)) stop_on_nan(g.loss, norm);
          total.loss += g.loss;
          for (const auto& [name, value] : g.metrics) total.metrics[name] += value;
          grad_norm += norm;
          ++updates;
        }
    }
    const double train_s = seconds_since(train_start);
    position_.elapsed_s += seconds_since(start);
    ++position_.step;
    position_.data_position = static_cast<std::uint64_t>(position_.step * s_->prompts);

    // Sums over every rank's samples: [n, reward, correct, tokens, calls, closed, loss, judge,
    // metrics..., reward parts...].
    const std::size_t labels = s_->rewards.labels().size();
    constexpr std::size_t kFixed = 8;
    std::vector<double> sums(kFixed + total.metrics.size() + labels, 0.0);
    sums[0] = static_cast<double>(samples.size());
    for (const Sample& sample : samples) {
      sums[1] += sample.reward.value;
      sums[2] += sample.correct;
      sums[3] += static_cast<double>(sample.sampled_tokens());
      sums[4] += sample.turn.tool_calls;
      sums[5] += sample.turn.finish == "stop";
      sums[7] += sample.judge;
      for (std::size_t r = 0; r < labels; ++r)
        sums[kFixed + total.metrics.size() + r] += sample.reward.parts[r];
    }
    sums[6] = total.loss;
    std::size_t at = kFixed;
    for (const auto& [name, value] : total.metrics) sums[at++] = value;
    sums = world_.all_reduce(sums);
    const double n = sums[0], reward = sums[1], correct = sums[2], tokens = sums[3],
                 calls = sums[4], closed = sums[5];
    total.loss = sums[6];
    at = kFixed;
    for (auto& [name, value] : total.metrics) value = sums[at++];
    std::vector<double> parts(sums.begin() + static_cast<std::ptrdiff_t>(at), sums.end());
    position_.tokens_seen += static_cast<std::uint64_t>(tokens);
    const double per_update = updates ? 1.0 / static_cast<double>(updates) : 0.0;
    nlohmann::json record = {{"step", position_.step},
                             {"lr", lr},
                             {"reward", reward / n},
                             {"correct", correct / n},
                             {"response_tokens", tokens / n},
                             {"tool_calls", calls / n},
                             {"well_formed", closed / n},
                             {"groups_with_signal", signal},
                             {"trained_samples", counts[0]},
                             {"updates", updates},
                             {"loss", total.loss * per_update},
                             {"grad_norm", grad_norm * per_update},
                             {"rollout_s", rollout_s},
                             {"train_s", train_s},
                             {"elapsed_s", position_.elapsed_s}};
    for (const auto& [name, value] : total.metrics) record[name] = value * per_update;
    const char* part_prefix = rlhf() ? "judge/" : "reward/";
    for (std::size_t r = 0; r < parts.size(); ++r)
      record[cat(part_prefix, s_->rewards.labels()[r])] = parts[r] / n;
    if (rlhf()) {
      record.erase("correct");
      record["judge"] = sums[7] / n;
    }
    if (!world_.is_root()) return record;
    const Sample& first = samples.front();
    append_sample(context_->dir, position_.step, problems_for(step).front()->prompt.back().content,
                  chat_transcript(first.turn.messages), first.turn.finish);
    return record;
  }

  nlohmann::json evaluate_now(std::int64_t step) {
    if (rlhf()) return evaluate_preferences_now(step);
    const auto start = Clock::now();
    EvalSettings settings;
    settings.samples = s_->eval_samples;
    settings.k = s_->eval_k;
    settings.greedy = s_->greedy.get();
    settings.max_tokens = s_->max_tokens;
    settings.seed = mix64(s_->seed + 0x5eed);  // the same draws every time: paired comparisons
    nlohmann::json scores = evaluate_problems(policy_, s_->test, s_->rewards, settings);
    std::string line = cat("step ", step, ": held-out pass@1 ", fixed(scores["pass@1"], 3));
    for (std::int64_t k : s_->eval_k)
      if (k > 1) line += cat(", pass@", k, " ", fixed(scores[cat("pass@", k)], 3));
    if (scores.contains("greedy_pass@1"))
      line += cat(", greedy pass@1 ", fixed(scores["greedy_pass@1"], 3));
    log_info(line, " (", s_->test.size(), " problems, ", fixed(seconds_since(start), 0), " s)");
    scores["eval_s"] = seconds_since(start);
    return scores;
  }

  // Held-out replies scored by the reward model and the judge, with the monitor's verdict.
  nlohmann::json evaluate_preferences_now(std::int64_t step) {
    const auto start = Clock::now();
    PreferenceEvalSettings settings;
    settings.samples = s_->eval_samples;
    settings.max_tokens = s_->max_tokens;
    settings.micro_batch = s_->micro_batch;
    settings.seed = mix64(s_->seed + 0x5eed);  // the same draws every time: paired comparisons
    settings.reference = s_->reference ? s_->reference.get() : s_->kl_reference.get();
    nlohmann::json scores =
        evaluate_preferences(policy_, *s_->reward_model, s_->test, s_->rewards, settings);
    std::string line = cat("step ", step, ": held-out reward model ", fixed(scores["rm_score"], 3),
                           ", judge ", fixed(scores["judge_score"], 3));
    if (scores.contains("kl")) line += cat(", KL ", fixed(scores["kl"], 3));
    log_info(line, ", ", fixed(scores["eval_response_tokens"], 1), " tokens (", s_->test.size(),
             " prompts, ", fixed(seconds_since(start), 0), " s)");
    scores["eval_s"] = seconds_since(start);
    if (monitor_) {
      std::optional<std::string> verdict =
          monitor_->observe({step, scores["rm_score"], scores["judge_score"],
                             scores.value("kl", 0.0), scores.value("judge_se", 0.0)});
      if (verdict) {
        scores["hacking"] = *verdict;
        log_warn(*verdict, monitor_->config().stop ? "; stopping the run" : "");
        if (monitor_->config().stop) stop_reason_ = *verdict;
      }
    }
    return scores;
  }

  // A resumed run's monitor starts from the evaluations it had logged.
  void replay_monitor() {
    if (!monitor_) return;
    std::ifstream in(context_->dir / "metrics.jsonl");
    for (std::string line; std::getline(in, line);) {
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded() || !record.contains("rm_score")) continue;
      monitor_->observe({record["step"], record["rm_score"], record["judge_score"],
                         record.value("kl", 0.0), record.value("judge_se", 0.0)});
    }
  }

  bool rlhf() const { return s_->reward_model != nullptr; }

  [[noreturn]] void stop_on_nan(double loss, double norm) const {
    throw RunFailure(cat("step ", position_.step + 1, ": the loss is ", loss,
                         " and the gradient norm ", norm,
                         ". Lower optimizer.lr or set train.grad_clip; the last checkpoint is "
                         "intact"));
  }

  void save() {
    save_run_checkpoint(context_->dir, s_->checkpoint_keep, *s_->model, *optimizer_, *s_->tokenizer,
                        s_->meta, position_);
  }

  void restore() {
    std::optional<TrainPosition> resumed =
        restore_run_checkpoint(context_->dir, *s_->model, *optimizer_, s_->steps);
    if (resumed) position_ = *resumed;
    if (world_.is_root()) truncate_run_files(context_->dir, resumed ? position_.step : -1);
    if (world_.is_root()) replay_monitor();
  }

  void log_start() const {
    log_info("rl: ", s_->rejection_sampling ? "rejection sampling" : "policy gradient", ", ",
             s_->prompts, " problems x ", s_->group_size, " samples per step, ", s_->steps,
             " steps, ", s_->epochs, " epoch(s) of ", s_->mini_batches, " update(s) per rollout; ",
             s_->train.size(), " training problems, ", s_->test.size(), " held out",
             s_->reference ? "; KL to a frozen reference" : "",
             rlhf() ? "; rewards from a reward model, judged by the held-out judge" : "",
             world_.size() > 1 ? cat("; ", world_.size(), " ranks share the problems") : "");
  }

  std::unique_ptr<RlSetup> s_;
  Communicator& world_;
  std::unique_ptr<ParallelOptimizer> optimizer_;
  Policy policy_;
  TrainPosition position_;
  ShuffledOrder order_;
  RunContext* context_ = nullptr;
  std::optional<HackingMonitor> monitor_;
  std::string stop_reason_;  // rank 0's monitor's verdict when it stops the run
};

}  // namespace

std::unique_ptr<StageJob> make_rl_job(std::unique_ptr<RlSetup> setup) {
  return std::make_unique<RlJob>(std::move(setup));
}

}  // namespace forge
