#include "stages/rl/rl_stage.h"

#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/pretrain/train_schema.h"
#include "stages/rl/rl_job.h"
#include "stages/rl/rl_recipe.h"

namespace forge {
namespace {

Schema data_schema() {
  return {
      param::plugin_list("train", PluginKind::dataset)
          .required()
          .doc("problems (documents with metadata.messages and metadata.answer) to practise on"),
      param::plugin_list("test", PluginKind::dataset)
          .doc("held-out problems for pass@1 and pass@k; none: no evaluation"),
  };
}

Schema rl_eval_schema() {
  return {
      param::integer("every").fallback(10).at_least(0).doc(
          "steps between held-out evaluations (and one at the end); 0: only at the end"),
      param::integer("samples").fallback(4).at_least(1).doc("sampled replies per problem (n)"),
      param::number_list("k")
          .fallback(std::vector<double>{1})
          .doc("pass@k for each k (1 <= k <= samples)"),
      param::boolean("greedy").fallback(true).doc("also one greedy reply per problem"),
      param::boolean("at_start").fallback(true).doc("evaluate once before the first step"),
  };
}

}  // namespace

Schema RlStage::schema() const {
  Schema schema{
      param::section("data", data_schema()).required().doc("train (and test) problems"),
      rewards_param(),
      param::section("eval", rl_eval_schema()).fallback_yaml(Node::map()).doc("held-out pass@k"),
  };
  for (Param& param : policy_params()) schema.add(std::move(param));
  return schema;
}

std::unique_ptr<StageJob> RlStage::prepare(const Config& recipe, const Registry& plugins) const {
  auto setup = std::make_unique<RlSetup>();
  std::vector<std::string> labels;
  LoadedModel init = read_policy(recipe, plugins, *setup, labels);
  setup->rewards = RewardSet::from_configs(recipe.sections("rewards"), plugins);
  for (const Config& section : recipe.sections("rewards"))
    labels.push_back(plugin_label(plugins, PluginKind::reward, section));
  RewardInput probe;
  probe.reply = "0";
  if (!setup->rewards.score(probe).correct)
    recipe.fail("rewards",
                "no reward checks an answer (such as exact_answer or numeric), so "
                "nothing is ever correct; add one");

  const Config eval = recipe.section("eval");
  setup->eval_every = eval.integer("every");
  setup->eval_samples = eval.integer("samples");
  setup->eval_at_start = eval.boolean("at_start");
  for (double k : eval.numbers("k")) {
    if (k < 1 || k > static_cast<double>(setup->eval_samples) ||
        k != static_cast<double>(static_cast<int>(k)))
      eval.fail("k",
                cat("pass@", k, " needs a whole k from 1 to eval.samples = ", setup->eval_samples));
    setup->eval_k.push_back(static_cast<std::int64_t>(k));
  }
  if (eval.boolean("greedy"))
    setup->greedy.reset(
        static_cast<Sampler*>(make_plugin_from(parse_yaml("{plugin: greedy}", "(default)"),
                                               PluginKind::sampler, "eval.greedy", plugins)
                                  .release()));

  const Config data = recipe.section("data");
  setup->train = problems_of(data, "train", plugins, *setup, labels);
  setup->test = problems_of(data, "test", plugins, *setup, labels);

  setup->meta = init_meta(recipe, init, name(), std::move(labels), setup->seed);
  log_info("rl: starting from ", recipe.string("init"), " (step ", init.position.step, ")");
  return make_rl_job(std::move(setup));
}

}  // namespace forge
