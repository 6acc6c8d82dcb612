#include <forge/autograd.h>
#include <forge/log.h>
#include <forge/ops.h>
#include <forge/progress.h>

#include "dist/communicator.h"
#include "stages/pretrain/run_files.h"
#include "stages/reward_model/reward_model_setup.h"
#include "stages/runner.h"
#include "stages/step_clock.h"
#include "train/grad_norm.h"
#include "train/parallel_optimizer.h"
#include "train/run_checkpoints.h"
#include "train/shuffled_order.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

namespace forge {
namespace {

using Clock = StepClock;

// Several rankings' sequences in one right-padded batch, with their pairs renumbered.
struct PairBatch {
  Tensor ids;
  std::vector<std::int64_t> lengths;
  std::vector<PreferencePair> pairs;
  std::vector<double> weights;  // 1 / pairs of its ranking: each ranking counts once
};

PairBatch batch_of(const std::vector<const RankedSequences*>& rankings, TokenId pad,
                   Device device) {
  PairBatch batch;
  std::int64_t T = 1;
  for (const RankedSequences* ranking : rankings)
    for (const auto& sequence : ranking->sequences)
      T = std::max(T, static_cast<std::int64_t>(sequence.size()));
  std::vector<std::int32_t> ids;
  for (const RankedSequences* ranking : rankings) {
    const std::size_t offset = batch.lengths.size();
    for (const PreferencePair& pair : ranking->pairs) {
      batch.pairs.push_back({offset + pair.better, offset + pair.worse});
      batch.weights.push_back(1.0 / static_cast<double>(ranking->pairs.size()));
    }
    for (const auto& sequence : ranking->sequences) {
      batch.lengths.push_back(static_cast<std::int64_t>(sequence.size()));
      ids.insert(ids.end(), sequence.begin(), sequence.end());
      ids.resize(ids.size() + static_cast<std::size_t>(T) - sequence.size(),
                 static_cast<std::int32_t>(pad));
    }
  }
  batch.ids =
      Tensor::from_ints(ids, {static_cast<std::int64_t>(batch.lengths.size()), T}).to(device);
  return batch;
}

// Pairs ordered right and the mean loss, over a set of rankings.
struct PairScores {
  double pairs = 0, right = 0, loss = 0, margin = 0;
};

void add_scores(PairScores& into, const std::vector<double>& rewards, const PairBatch& batch) {
  for (const PreferencePair& pair : batch.pairs) {
    const double margin = rewards[pair.better] - rewards[pair.worse];
    into.pairs += 1;
    into.right += margin > 0;
    into.margin += margin;
    into.loss +=
        margin > 0 ? std::log1p(std::exp(-margin)) : -margin + std::log1p(std::exp(margin));
  }
}

class RewardModelJob : public StageJob {
 public:
  explicit RewardModelJob(std::unique_ptr<RewardModelSetup> setup)
      : s_(std::move(setup)),
        world_(process_world()),
        optimizer_(make_parallel_optimizer(*s_->model, s_->optimizer, world_, {})),
        order_(s_->train.size(), s_->seed) {}

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
    Progress progress("reward_model", static_cast<std::uint64_t>(s_->steps), "steps");
    progress.skip(static_cast<std::uint64_t>(position_.step));
    while (position_.step < s_->steps) {
      nlohmann::json record = train_step();
      const std::int64_t step = position_.step;
      char status[96];
      std::snprintf(status, sizeof status, "loss %.4f, pairs right %.3f",
                    record["loss"].get<double>(), record["accuracy"].get<double>());
      progress.set_status(status);
      progress.advance();
      if (!s_->test.empty() && world_.is_root() && due(s_->eval_every, step, s_->steps))
        record.update(evaluate_now(step));
      if (due(s_->log_every, step, s_->steps) || record.contains("val_accuracy"))
        context.metrics->write(record);
      if (due(s_->checkpoint_every, step, s_->steps)) save();
    }
    progress.finish();
  }

 private:
  // The rankings of `step`: consecutive positions of a seeded order, reshuffled every pass.
  std::vector<const RankedSequences*> rankings_for(std::int64_t step) {
    std::vector<const RankedSequences*> out;
    for (std::int64_t i = 0; i < s_->rankings; ++i)
      out.push_back(&s_->train[order_.at(static_cast<std::uint64_t>(step * s_->rankings + i))]);
    return out;
  }

  nlohmann::json train_step() {
    const std::int64_t step = position_.step;
    const double lr = learning_rate(s_->optimizer.lr, s_->schedule, step);
    const auto start = Clock::now();
    const std::vector<const RankedSequences*> all = rankings_for(step);
    // This rank's share: every world-th ranking from its rank.
    std::vector<const RankedSequences*> mine;
    for (std::size_t i = static_cast<std::size_t>(world_.rank()); i < all.size();
         i += static_cast<std::size_t>(world_.size()))
      mine.push_back(all[i]);
    optimizer_->zero_grad();
    PairScores scores;
    double tokens = 0;
    const TokenId pad = s_->tokenizer->end_of_text();
    for (std::size_t first = 0; first < mine.size();
         first += static_cast<std::size_t>(s_->micro_batch)) {
      const std::size_t end =
          std::min(mine.size(), first + static_cast<std::size_t>(s_->micro_batch));
      std::vector<const RankedSequences*> micro(mine.begin() + static_cast<std::ptrdiff_t>(first),
                                                mine.begin() + static_cast<std::ptrdiff_t>(end));
      PairBatch batch = batch_of(micro, pad, s_->device);
      Tensor rewards = final_rewards(s_->model->forward(batch.ids), batch.lengths);
      // Each micro-batch's mean over its rankings, weighted by its share of the step's.
      Tensor loss =
          ops::affine(bradley_terry_loss(rewards, batch.pairs, batch.weights),
                      static_cast<double>(micro.size()) / static_cast<double>(all.size()));
      loss.backward();
      add_scores(scores, rewards.to_doubles(), batch);
      for (std::int64_t length : batch.lengths) tokens += static_cast<double>(length);
    }
    zero_missing_gradients(s_->model->parameters());
    const double norm = optimizer_->reduce_gradients();
    if (!std::isfinite(norm))
      throw RunFailure(cat("step ", step + 1, ": the gradient norm is ", norm,
                           ". Lower optimizer.lr or set train.grad_clip; the last checkpoint is "
                           "intact"));
    optimizer_->step(lr, clip_factor(norm, s_->grad_clip));
    std::vector<double> sums =
        world_.all_reduce({scores.pairs, scores.right, scores.loss, scores.margin, tokens});
    position_.elapsed_s += seconds_since(start);
    ++position_.step;
    position_.tokens_seen += static_cast<std::uint64_t>(sums[4]);
    position_.data_position = static_cast<std::uint64_t>(position_.step * s_->rankings);
    const double pairs = std::max(1.0, sums[0]);
    return {{"step", position_.step},
            {"lr", lr},
            {"loss", sums[2] / pairs},
            {"accuracy", sums[1] / pairs},
            {"margin", sums[3] / pairs},
            {"pairs", sums[0]},
            {"grad_norm", norm},
            {"tokens", position_.tokens_seen},
            {"elapsed_s", position_.elapsed_s}};
  }

  nlohmann::json evaluate_now(std::int64_t step) {
    const auto start = Clock::now();
    PairScores scores;
    const TokenId pad = s_->tokenizer->end_of_text();
    NoGradGuard no_grad;
    for (std::size_t first = 0; first < s_->test.size();
         first += static_cast<std::size_t>(s_->micro_batch)) {
      std::vector<const RankedSequences*> micro;
      for (std::size_t i = first;
           i < std::min(s_->test.size(), first + static_cast<std::size_t>(s_->micro_batch)); ++i)
        micro.push_back(&s_->test[i]);
      PairBatch batch = batch_of(micro, pad, s_->device);
      add_scores(scores, final_rewards(s_->model->forward(batch.ids), batch.lengths).to_doubles(),
                 batch);
    }
    const double accuracy = scores.right / scores.pairs;
    char line[160];
    std::snprintf(line, sizeof line,
                  "step %lld: held-out pairwise accuracy %.3f, loss %.4f (%zu rankings, %.0f "
                  "pairs, %.0f s)",
                  static_cast<long long>(step), accuracy, scores.loss / scores.pairs,
                  s_->test.size(), scores.pairs, seconds_since(start));
    log_info(line);
    return {{"val_accuracy", accuracy},
            {"val_loss", scores.loss / scores.pairs},
            {"val_margin", scores.margin / scores.pairs},
            {"eval_s", seconds_since(start)}};
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
  }

  void log_start() const {
    log_info("reward_model: ", s_->rankings, " rankings per step (", s_->micro_batch,
             " per forward pass), ", s_->steps, " steps; ", s_->train.size(),
             " training rankings, ", s_->test.size(), " held out",
             world_.size() > 1 ? cat("; ", world_.size(), " ranks share the rankings") : "");
  }

  std::unique_ptr<RewardModelSetup> s_;
  Communicator& world_;
  std::unique_ptr<ParallelOptimizer> optimizer_;
  TrainPosition position_;
  ShuffledOrder order_;
  RunContext* context_ = nullptr;
};

}  // namespace

std::unique_ptr<StageJob> make_reward_model_job(std::unique_ptr<RewardModelSetup> setup) {
  return std::make_unique<RewardModelJob>(std::move(setup));
}

}  // namespace forge
