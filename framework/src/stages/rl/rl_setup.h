#pragma once

// Everything an RL run is made of, built and checked before it starts.

#include <forge/architecture.h>
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/loss.h>
#include <forge/sampler.h>
#include <forge/tokenizer.h>

#include "engine/tool_set.h"
#include "stages/rl/advantages.h"
#include "stages/rl/reward_set.h"
#include "stages/rl/rollouts.h"
#include "stages/rlhf/hacking_monitor.h"
#include "train/optimizer.h"
#include "train/reward_model.h"
#include "train/schedule.h"
#include "train/train_checkpoint.h"

#include <memory>
#include <optional>
#include <vector>

namespace forge {

struct RlSetup {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<Model> model;
  std::unique_ptr<Model> reference;  // null: no KL penalty
  std::unique_ptr<Loss> loss;
  std::unique_ptr<Sampler> sampler, greedy;  // greedy: null unless eval.greedy
  ToolSet tools;
  RewardSet rewards;
  std::vector<Problem> train, test;  // test may be empty: no evaluation
  ChatTemplate chat;
  TurnLimits limits;

  bool rejection_sampling = false;  // fine-tune on the correct samples only
  AdvantageMode advantage = AdvantageMode::grpo;
  double std_eps = 1e-4;
  std::int64_t steps = 0, prompts = 0, group_size = 0, max_tokens = 0;
  std::int64_t epochs = 1, mini_batches = 1, micro_batch = 8, log_every = 1;
  double grad_clip = 1.0;
  AdamWConfig optimizer;
  ScheduleConfig schedule;

  std::int64_t eval_every = 0, eval_samples = 4;
  std::vector<std::int64_t> eval_k;
  bool eval_at_start = true;
  std::int64_t checkpoint_every = 0, checkpoint_keep = 0;

  // rlhf: a learned reward model scores the samples, and `rewards` is the held-out judge.
  std::unique_ptr<RewardModel> reward_model;
  std::unique_ptr<Model> kl_reference;  // the evaluations' KL when `reference` is unset
  std::optional<HackingMonitorConfig> monitor;

  CheckpointMeta meta;
  std::uint64_t seed = 0;
  Device device;
};

}  // namespace forge
