#include "stages/reward_model/reward_model_stage.h"

#include <forge/log.h>

#include "stages/device_choice.h"
#include "stages/pretrain/train_schema.h"
#include "stages/reward_model/reward_model_setup.h"

namespace forge {
namespace {

Schema data_schema() {
  return {
      param::plugin_list("train", PluginKind::dataset)
          .required()
          .doc("rankings to learn from (the rankings dataset reads ranking files)"),
      param::plugin_list("test", PluginKind::dataset)
          .doc("held-out rankings for pairwise accuracy; none: no evaluation"),
  };
}

Schema rm_train_schema() {
  return {
      param::integer("steps").required().at_least(1).doc("optimizer steps"),
      param::integer("rankings")
          .fallback(8)
          .at_least(1)
          .doc("rankings per step; each is one batch element holding all its pairs"),
      param::integer("micro_batch")
          .fallback(8)
          .at_least(1)
          .doc("rankings per forward pass (their K responses each go through together)"),
      param::number("grad_clip")
          .fallback(1.0)
          .at_least(0)
          .doc("clip the global gradient norm to this; 0 disables"),
      param::integer("log_every").fallback(1).at_least(1).doc("steps between metrics lines"),
  };
}

Schema rm_eval_schema() {
  return {
      param::integer("every").fallback(50).at_least(0).doc(
          "steps between held-out evaluations (and one at the end); 0: only at the end"),
      param::boolean("at_start").fallback(true).doc("evaluate once before the first step"),
  };
}

// Each ranking's responses as full conversations, checked against the model's context.
std::vector<RankedSequences> rendered(const std::vector<Ranking>& rankings,
                                      const Tokenizer& tokenizer, std::int64_t context,
                                      const Config& data, const std::string& key) {
  std::vector<RankedSequences> out;
  std::size_t pairs = 0, dropped = 0;
  const ChatTemplate chat;
  for (const Ranking& ranking : rankings) {
    RankedSequences ranked;
    for (const std::string& response : ranking.responses) {
      std::vector<ChatMessage> messages = ranking.prompt;
      messages.push_back({"assistant", response, {}});
      ranked.sequences.push_back(render_chat(tokenizer, messages, chat).ids);
      if (static_cast<std::int64_t>(ranked.sequences.back().size()) > context)
        data.fail(key, cat("ranking '", ranking.id, "' has a response that takes ",
                           ranked.sequences.back().size(), " tokens with its prompt, more than ",
                           "the model's context of ", context, "; shorten it or drop it"));
    }
    ranked.pairs = ranking_pairs(ranking);
    const std::size_t all = ranking.responses.size() * (ranking.responses.size() - 1) / 2;
    dropped += all - ranked.pairs.size();
    pairs += ranked.pairs.size();
    if (!ranked.pairs.empty()) out.push_back(std::move(ranked));
  }
  log_info("data.", key, ": ", rankings.size(), " rankings, ", pairs, " pairs",
           dropped ? cat(" (", dropped, " pairs of identical responses left out)") : "");
  if (out.empty())
    data.fail(key, "every ranking's responses are identical: there is nothing to learn");
  return out;
}

std::vector<Ranking> rankings_of(const Config& data, const std::string& key,
                                 const Registry& plugins, std::vector<std::string>& labels) {
  std::vector<Ranking> rankings;
  if (!data.has(key)) return rankings;
  std::vector<Config> sections = data.sections(key);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::unique_ptr<Dataset> dataset = plugins.create<Dataset>(sections[i]);
    const std::string label = cat("data.", key, "[", i, "] (", sections[i].string("plugin"), ")");
    std::vector<Ranking> read;
    try {
      read = read_rankings(*dataset, label);
    } catch (const Error& e) {
      sections[i].fail("plugin", e.what());
    }
    rankings.insert(rankings.end(), read.begin(), read.end());
    labels.push_back(plugin_label(plugins, PluginKind::dataset, sections[i]));
  }
  return rankings;
}

}  // namespace

Schema RewardModelStage::schema() const {
  return {
      param::string("init").required().doc(
          "the checkpoint the model starts from, e.g. an sft run's (a reward_model run's "
          "keeps its head)"),
      param::section("data", data_schema()).required().doc("train (and test) rankings"),
      param::section("optimizer", optimizer_schema()).fallback_yaml(Node::map()).doc("AdamW"),
      param::section("schedule", schedule_schema())
          .fallback_yaml(Node::map())
          .doc("learning-rate schedule over the steps"),
      param::section("train", rm_train_schema()).required().doc("steps and batch shape"),
      param::section("eval", rm_eval_schema())
          .fallback_yaml(Node::map())
          .doc("held-out pairwise accuracy"),
      param::section("checkpoint", checkpoint_schema())
          .fallback_yaml(Node::map())
          .doc("checkpoints"),
  };
}

std::unique_ptr<StageJob> RewardModelStage::prepare(const Config& recipe,
                                                    const Registry& plugins) const {
  auto setup = std::make_unique<RewardModelSetup>();
  setup->device = choose_device(recipe);
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  LoadedModel init = read_init(recipe, plugins, setup->device);
  const ChatTemplate chat;
  for (const std::string& marker : {chat.start, chat.separator, chat.end})
    if (!init.tokenizer->special_token(marker))
      recipe.fail("init", cat("the checkpoint's tokenizer has no special token '", marker,
                              "'; a reward model starts from a chat model (an sft run's "
                              "checkpoint)"));
  std::vector<std::string> labels = init_labels(init);
  Generator head_init(mix64(setup->seed ^ 0x5c07e));
  const std::string init_file = recipe.string("init");
  setup->model = std::make_unique<RewardModel>(std::move(init.model), head_init);
  read_reward_head(init_file, *setup->model);  // a reward_model run's init keeps its head
  setup->tokenizer = std::move(init.tokenizer);

  const Config train = recipe.section("train");
  setup->steps = train.integer("steps");
  setup->rankings = train.integer("rankings");
  setup->micro_batch = train.integer("micro_batch");
  setup->grad_clip = train.number("grad_clip");
  setup->log_every = train.integer("log_every");
  setup->optimizer = optimizer_from(recipe.section("optimizer"));
  setup->schedule = schedule_from(recipe.section("schedule"), setup->steps);
  const Config eval = recipe.section("eval");
  setup->eval_every = eval.integer("every");
  setup->eval_at_start = eval.boolean("at_start");
  const Config checkpoint = recipe.section("checkpoint");
  setup->checkpoint_every = checkpoint.integer("every");
  setup->checkpoint_keep = checkpoint.integer("keep");

  const Config data = recipe.section("data");
  const std::int64_t context = setup->model->shape().context;
  setup->train = rendered(rankings_of(data, "train", plugins, labels), *setup->tokenizer, context,
                          data, "train");
  if (data.has("test"))
    setup->test = rendered(rankings_of(data, "test", plugins, labels), *setup->tokenizer, context,
                           data, "test");

  setup->meta = init_meta(recipe, init, name(), std::move(labels), setup->seed);
  log_info("reward_model: starting from ", init_file, " (step ", init.position.step, ")");
  return make_reward_model_job(std::move(setup));
}

}  // namespace forge
