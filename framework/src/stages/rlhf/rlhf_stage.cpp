#include "stages/rlhf/rlhf_stage.h"

#include <forge/log.h>

#include "stages/pretrain/train_schema.h"
#include "stages/rl/rl_job.h"
#include "stages/rl/rl_recipe.h"

namespace forge {
namespace {

Schema data_schema() {
  return {
      param::plugin_list("train", PluginKind::dataset)
          .required()
          .doc("prompts (documents with metadata.messages) to practise on"),
      param::plugin_list("test", PluginKind::dataset)
          .required()
          .doc("held-out prompts the reward model and the judge score every eval.every steps"),
  };
}

Schema rlhf_eval_schema() {
  return {
      param::integer("every").fallback(10).at_least(0).doc(
          "steps between held-out evaluations (and one at the end); 0: only at the end"),
      param::integer("samples").fallback(2).at_least(1).doc("sampled replies per prompt"),
      param::boolean("at_start").fallback(true).doc("evaluate once before the first step"),
  };
}

Schema monitor_schema() {
  return {
      param::string("action")
          .fallback("stop")
          .one_of({"stop", "flag", "off"})
          .doc("on reward hacking: stop the run (with a checkpoint), only flag it, or no monitor"),
      param::integer("window").fallback(3).at_least(2).doc(
          "evaluations compared: the reward model's score rises from the first to the last "
          "while the judge's falls at each"),
      param::number("min_rise")
          .fallback(0.0)
          .doc("the reward model's score must rise by more than this over the window"),
      param::number("min_fall")
          .fallback(0.01)
          .at_least(0)
          .doc("the judge's score must fall by more than this at each evaluation of the window"),
      param::number("z").fallback(2.0).at_least(0).doc(
          "and end below its best by more than z standard errors of the difference"),
  };
}

}  // namespace

Schema RlhfStage::schema() const {
  Schema schema{
      param::string("reward_model")
          .required()
          .doc("the reward_model run's checkpoint whose scores are the rewards"),
      param::section("data", data_schema()).required().doc("train and test prompts"),
      rewards_param("judge").doc(
          "the held-out judge: reward plugins scoring the same replies, never trained on (the "
          "labellers' hidden scorer, or a second model's rewards)"),
      param::section("eval", rlhf_eval_schema())
          .fallback_yaml(Node::map())
          .doc("held-out reward-model and judge scores"),
      param::section("monitor", monitor_schema())
          .fallback_yaml(Node::map())
          .doc("reward-hacking monitor"),
  };
  for (Param& param : policy_params()) schema.add(std::move(param));
  return schema;
}

std::unique_ptr<StageJob> RlhfStage::prepare(const Config& recipe, const Registry& plugins) const {
  auto setup = std::make_unique<RlSetup>();
  std::vector<std::string> labels;
  LoadedModel init = read_policy(recipe, plugins, *setup, labels);
  if (setup->rejection_sampling)
    recipe.section("rl").fail("mode",
                              "rlhf has no correct answers to keep: use mode grpo (the default)");
  try {
    LoadedRewardModel loaded =
        load_reward_model(recipe.string("reward_model"), plugins, setup->device);
    if (loaded.tokenizer->serialize() != setup->tokenizer->serialize())
      throw Error(
          "its tokenizer differs from the policy's; train the reward model from the "
          "same SFT model");
    setup->reward_model = std::move(loaded.model);
  } catch (const Error& e) {
    recipe.fail("reward_model", e.what());
  }
  setup->rewards = RewardSet::from_configs(recipe.sections("judge"), plugins);
  for (const Config& section : recipe.sections("judge"))
    labels.push_back(plugin_label(plugins, PluginKind::reward, section));

  const Config eval = recipe.section("eval");
  setup->eval_every = eval.integer("every");
  setup->eval_samples = eval.integer("samples");
  setup->eval_at_start = eval.boolean("at_start");
  const Config monitor = recipe.section("monitor");
  if (monitor.string("action") != "off") {
    HackingMonitorConfig config;
    config.window = monitor.integer("window");
    config.min_rise = monitor.number("min_rise");
    config.min_fall = monitor.number("min_fall");
    config.z = monitor.number("z");
    config.stop = monitor.string("action") == "stop";
    setup->monitor = config;
  }
  if (!setup->reference)
    setup->kl_reference = load_model(recipe.string("init"), plugins, setup->device).model;

  const Config data = recipe.section("data");
  setup->train = problems_of(data, "train", plugins, *setup, labels, false);
  setup->test = problems_of(data, "test", plugins, *setup, labels, false);

  setup->meta = init_meta(recipe, init, name(), std::move(labels), setup->seed);
  log_info("rlhf: starting from ", recipe.string("init"), " (step ", init.position.step,
           "), rewards from ", recipe.string("reward_model"));
  return make_rl_job(std::move(setup));
}

}  // namespace forge
