#include "stages/rl/rl_recipe.h"

#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_schema.h"

namespace forge {
namespace {

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

// Every prompt must leave the turn room in the model's context.
void check_prompts(const std::vector<Problem>& problems, const RlSetup& setup, const Config& data,
                   const std::string& key) {
  const std::int64_t context = setup.model->shape().context;
  for (const Problem& problem : problems) {
    const auto length = static_cast<std::int64_t>(
        render_chat(*setup.tokenizer, problem.prompt, setup.chat, true).ids.size());
    if (length + 8 > context)
      data.fail(key, cat("problem '", problem.id, "' takes ", length,
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

std::vector<Problem> problems_of(const Config& data, const std::string& key,
                                 const Registry& plugins, const RlSetup& setup,
                                 std::vector<std::string>& labels, bool need_answer) {
  std::vector<Problem> problems;
  if (!data.has(key)) return problems;
  std::vector<Config> sections = data.sections(key);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::unique_ptr<Dataset> dataset = plugins.create<Dataset>(sections[i]);
    const std::string label = cat("data.", key, "[", i, "] (", sections[i].string("plugin"), ")");
    std::vector<Problem> read;
    try {
      read = read_problems(*dataset, label, need_answer);
    } catch (const Error& e) {
      sections[i].fail("plugin", e.what());
    }
    log_info(label, ": ", read.size(), need_answer ? " problems" : " prompts");
    problems.insert(problems.end(), read.begin(), read.end());
    labels.push_back(plugin_label(plugins, PluginKind::dataset, sections[i]));
  }
  check_prompts(problems, setup, data, key);
  return problems;
}

std::vector<Param> policy_params() {
  return {
      param::string("init").required().doc("the checkpoint to start from, e.g. an sft run's"),
      param::string("reference")
          .doc("the frozen reference of the KL penalty (when loss.kl_coef > 0); unset: init"),
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
      param::section("checkpoint", checkpoint_schema())
          .fallback_yaml(Node::map())
          .doc("checkpoints"),
  };
}

LoadedModel read_policy(const Config& recipe, const Registry& plugins, RlSetup& setup,
                        std::vector<std::string>& labels) {
  setup.device = choose_device(recipe);
  setup.seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  LoadedModel init = read_init(recipe, plugins, setup.device);
  setup.tokenizer = std::move(init.tokenizer);
  setup.model = std::move(init.model);
  for (const std::string& marker : {setup.chat.start, setup.chat.separator, setup.chat.end})
    if (!setup.tokenizer->special_token(marker))
      recipe.fail("init", cat("the checkpoint's tokenizer has no special token '", marker,
                              "'; RL starts from a chat model (an sft run's checkpoint)"));
  for (std::string& label : init_labels(init)) labels.push_back(std::move(label));

  const Config rl = recipe.section("rl");
  setup.rejection_sampling = rl.string("mode") == "rejection_sampling";
  setup.advantage = parse_advantage_mode(rl.string("advantage"));
  setup.std_eps = rl.number("std_eps");
  setup.prompts = rl.integer("prompts");
  setup.group_size = rl.integer("group_size");
  setup.max_tokens = rl.integer("max_tokens");
  setup.epochs = rl.integer("epochs");
  setup.mini_batches = rl.integer("mini_batches");
  setup.limits.calls = static_cast<int>(rl.integer("tool_calls"));
  setup.limits.seconds = rl.number("tool_seconds");

  if (recipe.has("loss")) {
    setup.loss = plugins.create<Loss>(recipe.section("loss"));
    labels.push_back(plugin_label(plugins, PluginKind::loss, recipe.section("loss")));
    setup.reference = load_reference(recipe, plugins, setup.device);
    if (setup.rejection_sampling && recipe.section("loss").string("plugin") == "policy_gradient")
      recipe.section("loss").fail(
          "plugin",
          "rejection_sampling fine-tunes on correct samples: give it a mean "
          "next-token loss such as cross_entropy (the default), not policy_gradient");
  } else {
    const std::string name = setup.rejection_sampling ? "cross_entropy" : "policy_gradient";
    setup.loss.reset(
        static_cast<Loss*>(make_plugin_from(parse_yaml(cat("{plugin: ", name, "}"), "(default)"),
                                            PluginKind::loss, "loss", plugins)
                               .release()));
    labels.push_back(cat("loss/", name, " (default)"));
  }
  setup.sampler = plugins.create<Sampler>(recipe.section("sample"));
  labels.push_back(plugin_label(plugins, PluginKind::sampler, recipe.section("sample")));
  setup.tools = ToolSet::from_configs(recipe.sections("tools"), plugins);
  const Config train = recipe.section("train");
  setup.steps = train.integer("steps");
  setup.micro_batch = train.integer("micro_batch");
  setup.grad_clip = train.number("grad_clip");
  setup.log_every = train.integer("log_every");
  setup.optimizer = optimizer_from(recipe.section("optimizer"));
  setup.schedule = schedule_from(recipe.section("schedule"), setup.steps);

  const Config checkpoint = recipe.section("checkpoint");
  setup.checkpoint_every = checkpoint.integer("every");
  setup.checkpoint_keep = checkpoint.integer("keep");

  return init;
}

}  // namespace forge
