#pragma once

// Everything a reward_model run is made of, built and checked before it starts.

#include <forge/chat.h>
#include <forge/tokenizer.h>

#include "stages/reward_model/preference_pairs.h"
#include "stages/stage.h"
#include "train/optimizer.h"
#include "train/reward_model.h"
#include "train/schedule.h"
#include "train/train_checkpoint.h"

#include <memory>
#include <vector>

namespace forge {

// A ranking rendered for the model: each response's conversation as token ids, and its pairs.
struct RankedSequences {
  std::vector<std::vector<TokenId>> sequences;  // prompt + response j, through the template
  std::vector<PreferencePair> pairs;            // indices into sequences
};

struct RewardModelSetup {
  std::unique_ptr<Tokenizer> tokenizer;
  std::unique_ptr<RewardModel> model;
  std::vector<RankedSequences> train, test;  // test may be empty: no evaluation
  std::int64_t steps = 0, rankings = 8, micro_batch = 8, log_every = 1;
  double grad_clip = 1.0;
  AdamWConfig optimizer;
  ScheduleConfig schedule;
  std::int64_t eval_every = 0;
  bool eval_at_start = true;
  std::int64_t checkpoint_every = 0, checkpoint_keep = 0;
  CheckpointMeta meta;
  std::uint64_t seed = 0;
  Device device;
};

FORGE_API std::unique_ptr<StageJob> make_reward_model_job(std::unique_ptr<RewardModelSetup> setup);

}  // namespace forge
