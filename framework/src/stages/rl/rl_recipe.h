#pragma once

// The recipe keys the rl and rlhf stages share: the policy (init, reference, loss, sampler,
// tools), the rollouts (rl), optimisation (optimizer, schedule, train) and checkpoints; and
// reading prompt datasets.

#include <forge/config.h>
#include <forge/schema.h>

#include "plugin/registry.h"
#include "stages/rl/rl_setup.h"
#include "train/checkpoint_model.h"

#include <string>
#include <vector>

namespace forge {

// init, reference, tools, sample, rl, loss, optimizer, schedule, train and checkpoint.
std::vector<Param> policy_params();

// Reads those keys into `setup` and returns init (its model and tokenizer moved into setup),
// appending the plugins' labels to `labels`.
LoadedModel read_policy(const Config& recipe, const Registry& plugins, RlSetup& setup,
                        std::vector<std::string>& labels);

// The problems of data.<key>'s datasets (none when the key is absent), each prompt checked to
// leave room in the model's context. Without `need_answer` a problem may have no answer key.
std::vector<Problem> problems_of(const Config& data, const std::string& key,
                                 const Registry& plugins, const RlSetup& setup,
                                 std::vector<std::string>& labels, bool need_answer = true);

}  // namespace forge
