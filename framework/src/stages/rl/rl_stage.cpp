#include "stages/rl/rl_stage.h"

#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_schema.h"
#include "stages/rl/rl_job.h"
#include "train/checkpoint_model.h"

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

Schema rl_schema() {
  return {
      param::string("mode")
          .fallback("grpo")
          .one_of({"grpo", "rejection_sampling"})
          .doc("grpo: policy gradient on group advantages; rejection_sampling: fine-tune on "
               "the correct samples only"),
      param::integer("prompts").fallback(8).at_least(1).doc("problems per step"),
      param::integer("group_size").fallback(8).at_least(1).doc("samples per problem (G)"),
      param::integer("max_tokens")
          .fallback(256)
          .at_least(1)
          .doc("tokens each sampled turn writes at most"),
      param::string("advantage")
          .fallback("grpo")
          .one_of({"grpo", "mean"})
          .doc("grpo: (r - mean) / (std + std_eps) per group; mean: r - mean"),
      param::number("std_eps").fallback(1e-4).at_least(0).doc("added to the group's std"),
      param::integer("epochs").fallback(1).at_least(1).doc(
          "passes of optimisation over each rollout"),
      param::integer("mini_batches")
          .fallback(1)
          .at_least(1)
          .doc("optimizer steps per epoch, each on its share of the rollout; epochs = "
               "mini_batches = 1 is strictly on-policy"),
      param::integer("tool_calls").fallback(4).at_least(0).doc("tool calls per turn at most"),
      param::number("tool_seconds")
          .fallback(10.0)
          .at_least(0)
          .doc("wall-clock seconds per tool call"),
  };
}

Schema rl_train_schema() {
  return {
      param::integer("steps").required().at_least(1).doc("rollouts, each followed by its updates"),
      param::integer("micro_batch").fallback(8).at_least(1).doc("samples per forward pass"),
      param::number("grad_clip")
          .fallback(1.0)
          .at_least(0)
          .doc("clip the global gradient norm to this; 0 disables"),
      param::integer("log_every").fallback(1).at_least(1).doc("steps between metrics lines"),
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

std::vector<Problem> problems_of(const Config& data, const std::string& key,
                                 const Registry& plugins, std::vector<std::string>& labels) {
  std::vector<Problem> problems;
  if (!data.has(key)) return problems;
  std::vector<Config> sections = data.sections(key);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::unique_ptr<Dataset> dataset = plugins.create<Dataset>(sections[i]);
    const std::string label = cat("data.", key, "[", i, "] (", sections[i].string("plugin"), ")");
    std::vector<Problem> read;
    try {
      read = read_problems(*dataset, label);
    } catch (const Error& e) {
      sections[i].fail("plugin", e.what());
    }
    log_info(label, ": ", read.size(), " problems");
    problems.insert(problems.end(), read.begin(), read.end());
    labels.push_back(plugin_label(plugins, PluginKind::dataset, sections[i]));
  }
  return problems;
}

// Every prompt must leave the turn room in the model's context.
void check_prompts(const std::vector<Problem>& problems, const RlSetup& setup, const Config& data) {
  const std::int64_t context = setup.model->shape().context;
  for (const Problem& problem : problems) {
    const auto length = static_cast<std::int64_t>(
        render_chat(*setup.tokenizer, problem.prompt, setup.chat, true).ids.size());
    if (length + 8 > context)
      data.fail("train", cat("problem '", problem.id, "' takes ", length,
                             " tokens of the model's context of ", context,
                             ", leaving no room to answer; shorten it or drop it"));
  }
}

std::unique_ptr<Model> load_reference(const Config& recipe, const Registry& plugins,
                                      Device device) {
  const Config loss = recipe.section("loss");
  if (!loss.has("kl_coef") || loss.number("kl_coef") <= 0) return nullptr;
  const std::string key = recipe.has("reference") ? "reference" : "init";
  try {
    return load_model(recipe.string(key), plugins, device).model;
  } catch (const Error& e) {
    recipe.fail(key, e.what());
  }
}

}  // namespace

Schema RlStage::schema() const {
  Schema schema{
      param::string("init").required().doc("the checkpoint to start from, e.g. an sft run's"),
      param::string("reference")
          .doc("the frozen reference of the KL penalty (when loss.kl_coef > 0); unset: init"),
      param::section("data", data_schema()).required().doc("train (and test) problems"),
      rewards_param(),
      tools_param(),
      param::plugin("sample", PluginKind::sampler)
          .fallback_yaml(parse_yaml("{plugin: temperature, temperature: 1.0}", "(default)"))
          .doc("how rollouts are sampled (temperature 1 keeps the ratio exact)"),
      param::section("rl", rl_schema()).fallback_yaml(Node::map()).doc("rollouts and updates"),
      param::plugin("loss", PluginKind::loss)
          .doc("default: policy_gradient (grpo), cross_entropy (rejection_sampling)"),
      param::section("optimizer", optimizer_schema()).fallback_yaml(Node::map()).doc("AdamW"),
      param::section("schedule", schedule_schema())
          .fallback_yaml(Node::map())
          .doc("learning-rate schedule over the steps"),
      param::section("train", rl_train_schema()).required().doc("steps and batch shape"),
      param::section("eval", rl_eval_schema()).fallback_yaml(Node::map()).doc("held-out pass@k"),
      param::section("checkpoint", checkpoint_schema())
          .fallback_yaml(Node::map())
          .doc("checkpoints"),
  };
  return schema;
}

std::unique_ptr<StageJob> RlStage::prepare(const Config& recipe, const Registry& plugins) const {
  auto setup = std::make_unique<RlSetup>();
  setup->device = choose_device(recipe);
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  LoadedModel init = read_init(recipe, plugins, setup->device);
  setup->tokenizer = std::move(init.tokenizer);
  setup->model = std::move(init.model);
  for (const std::string& marker : {setup->chat.start, setup->chat.separator, setup->chat.end})
    if (!setup->tokenizer->special_token(marker))
      recipe.fail("init", cat("the checkpoint's tokenizer has no special token '", marker,
                              "'; RL starts from a chat model (an sft run's checkpoint)"));
  std::vector<std::string> labels = init_labels(init);

  const Config rl = recipe.section("rl");
  setup->rejection_sampling = rl.string("mode") == "rejection_sampling";
  setup->advantage = parse_advantage_mode(rl.string("advantage"));
  setup->std_eps = rl.number("std_eps");
  setup->prompts = rl.integer("prompts");
  setup->group_size = rl.integer("group_size");
  setup->max_tokens = rl.integer("max_tokens");
  setup->epochs = rl.integer("epochs");
  setup->mini_batches = rl.integer("mini_batches");
  setup->limits.calls = static_cast<int>(rl.integer("tool_calls"));
  setup->limits.seconds = rl.number("tool_seconds");

  if (recipe.has("loss")) {
    setup->loss = plugins.create<Loss>(recipe.section("loss"));
    labels.push_back(plugin_label(plugins, PluginKind::loss, recipe.section("loss")));
    setup->reference = load_reference(recipe, plugins, setup->device);
    if (setup->rejection_sampling && recipe.section("loss").string("plugin") == "policy_gradient")
      recipe.section("loss").fail(
          "plugin",
          "rejection_sampling fine-tunes on correct samples: give it a mean "
          "next-token loss such as cross_entropy (the default), not policy_gradient");
  } else {
    const std::string name = setup->rejection_sampling ? "cross_entropy" : "policy_gradient";
    setup->loss.reset(
        static_cast<Loss*>(make_plugin_from(parse_yaml(cat("{plugin: ", name, "}"), "(default)"),
                                            PluginKind::loss, "loss", plugins)
                               .release()));
    labels.push_back(cat("loss/", name, " (default)"));
  }
  setup->sampler = plugins.create<Sampler>(recipe.section("sample"));
  labels.push_back(plugin_label(plugins, PluginKind::sampler, recipe.section("sample")));
  setup->tools = ToolSet::from_configs(recipe.sections("tools"), plugins);
  setup->rewards = RewardSet::from_configs(recipe.sections("rewards"), plugins);
  for (const Config& section : recipe.sections("rewards"))
    labels.push_back(plugin_label(plugins, PluginKind::reward, section));
  RewardInput probe;
  probe.reply = "0";
  if (!setup->rewards.score(probe).correct)
    recipe.fail("rewards",
                "no reward checks an answer (such as exact_answer or numeric), so "
                "nothing is ever correct; add one");

  const Config train = recipe.section("train");
  setup->steps = train.integer("steps");
  setup->micro_batch = train.integer("micro_batch");
  setup->grad_clip = train.number("grad_clip");
  setup->log_every = train.integer("log_every");
  setup->optimizer = optimizer_from(recipe.section("optimizer"));
  setup->schedule = schedule_from(recipe.section("schedule"), setup->steps);

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
  const Config checkpoint = recipe.section("checkpoint");
  setup->checkpoint_every = checkpoint.integer("every");
  setup->checkpoint_keep = checkpoint.integer("keep");

  const Config data = recipe.section("data");
  setup->train = problems_of(data, "train", plugins, labels);
  setup->test = problems_of(data, "test", plugins, labels);
  check_prompts(setup->train, *setup, data);
  check_prompts(setup->test, *setup, data);

  setup->meta = init_meta(recipe, init, name(), std::move(labels), setup->seed);
  log_info("rl: starting from ", recipe.string("init"), " (step ", init.position.step, ")");
  return make_rl_job(std::move(setup));
}

}  // namespace forge
