#include "stages/rankings/rankings_stage.h"

#include <forge/dataset.h>
#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/assistant_eval/reply_scoring.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_schema.h"
#include "stages/rankings/ranking_job.h"

namespace forge {
namespace {

Schema data_schema() {
  return {
      param::plugin_list("train", PluginKind::dataset)
          .required()
          .doc("prompts to rank responses for: documents with metadata.messages (up to the first "
               "assistant message is the prompt; the rest of metadata is kept)"),
      param::plugin_list("test", PluginKind::dataset)
          .doc("held-out prompts, written to rankings/test.jsonl; none: no test file"),
  };
}

// A prompt document's own keys, dropped from the metadata kept with its rankings.
bool line_key(const std::string& key) {
  return key == "messages" || key == "responses" || key == "ranking" || key == "scores";
}

std::vector<RankingPrompt> prompts_of(const Config& data, const std::string& key,
                                      const Registry& plugins, const RankingsSetup& setup) {
  std::vector<RankingPrompt> prompts;
  if (!data.has(key)) return prompts;
  std::vector<Config> sections = data.sections(key);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    std::unique_ptr<Dataset> dataset = plugins.create<Dataset>(sections[i]);
    const std::string label = cat("data.", key, "[", i, "] (", sections[i].string("plugin"), ")");
    std::size_t read = 0;
    try {
      for (const std::string& shard : dataset->shards())
        dataset->read(shard, [&](Document&& document) {
          const std::string where = cat(label, ": document '", document.id, "'");
          auto messages = document.metadata.find("messages");
          if (messages == document.metadata.end())
            throw Error(cat(where, " has no metadata.messages; use a dataset of conversations ",
                            "such as verse_requests or conversations"));
          RankingPrompt prompt;
          prompt.id = document.id;
          prompt.messages = split_at_reply(chat_from_json(*messages, where)).prompt;
          if (prompt.messages.empty() || prompt.messages.back().role != "user")
            throw Error(cat(where, " does not end its prompt with a user message"));
          prompt.ids = render_chat(*setup.model.tokenizer, prompt.messages, setup.chat, true).ids;
          prompt.metadata = nlohmann::json::object();
          for (auto& [name, value] : document.metadata.items())
            if (!line_key(name)) prompt.metadata[name] = value;
          prompts.push_back(std::move(prompt));
          ++read;
          return true;
        });
    } catch (const Error& e) {
      sections[i].fail("plugin", e.what());
    }
    if (read == 0) sections[i].fail("plugin", cat(label, ": the dataset holds no prompts"));
    log_info(label, ": ", read, " prompts");
  }
  return prompts;
}

// Every prompt must leave its responses room in the model's context.
void check_lengths(const std::vector<RankingPrompt>& prompts, const RankingsSetup& setup,
                   const Config& recipe) {
  const std::int64_t context = setup.model.model->shape().context;
  for (const RankingPrompt& prompt : prompts) {
    const auto length = static_cast<std::int64_t>(prompt.ids.size());
    if (length + setup.max_tokens > context)
      recipe.fail("max_tokens",
                  cat("prompt '", prompt.id, "' takes ", length, " tokens; with max_tokens ",
                      setup.max_tokens, " it passes the model's context of ", context,
                      "; lower max_tokens or shorten the prompts"));
  }
}

// The scorer must be able to judge every prompt: a judge's missing metadata fails now.
void check_scorer(const std::vector<RankingPrompt>& prompts, const RankingsSetup& setup,
                  const Config& recipe) {
  for (const RankingPrompt& prompt : prompts) {
    RewardInput probe;
    probe.prompt = prompt.messages;
    probe.turn = {{"assistant", "", {}}};
    probe.finish = "stop";
    probe.metadata = prompt.metadata;
    try {
      setup.scorer.score(probe);
    } catch (const Error& e) {
      recipe.fail("scorer", cat("cannot score prompt '", prompt.id, "': ", e.what()));
    }
  }
}

}  // namespace

Schema RankingsStage::schema() const {
  return {
      param::string("init").required().doc("the chat checkpoint whose responses are ranked"),
      param::section("data", data_schema()).required().doc("train (and test) prompts"),
      param::integer("responses").fallback(5).at_least(2).doc("responses per prompt (K)"),
      param::plugin("sample", PluginKind::sampler)
          .fallback_yaml(parse_yaml("{plugin: temperature, temperature: 1.0}", "(default)"))
          .doc("how responses are drawn; a high temperature makes them differ"),
      param::integer("max_tokens").fallback(128).at_least(1).doc("tokens per response at most"),
      rewards_param("scorer").doc(
          "the hidden scorer: reward plugins with weights, e.g. [{plugin: preference_judge}]; "
          "a response's score is their weighted sum"),
      param::number("noise").fallback(0.0).at_least(0).doc(
          "std of seeded Gaussian noise added to scores before ranking (labellers "
          "disagree); the written scores are without it"),
  };
}

std::unique_ptr<StageJob> RankingsStage::prepare(const Config& recipe,
                                                 const Registry& plugins) const {
  auto setup = std::make_unique<RankingsSetup>();
  setup->model = read_init(recipe, plugins, choose_device(recipe));
  for (const std::string& marker : {setup->chat.start, setup->chat.separator, setup->chat.end})
    if (!setup->model.tokenizer->special_token(marker))
      recipe.fail("init", cat("the checkpoint's tokenizer has no special token '", marker,
                              "'; rank the responses of a chat model (an sft run's checkpoint)"));
  setup->responses = recipe.integer("responses");
  setup->max_tokens = recipe.integer("max_tokens");
  setup->noise = recipe.number("noise");
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  setup->sampler = plugins.create<Sampler>(recipe.section("sample"));
  if (recipe.sections("scorer").empty())
    recipe.fail("scorer", "needs at least one reward plugin, e.g. [{plugin: preference_judge}]");
  setup->scorer = RewardSet::from_configs(recipe.sections("scorer"), plugins);
  const Config data = recipe.section("data");
  for (const char* split : {"train", "test"}) {
    std::vector<RankingPrompt> prompts = prompts_of(data, split, plugins, *setup);
    if (prompts.empty()) continue;
    check_lengths(prompts, *setup, recipe);
    check_scorer(prompts, *setup, recipe);
    setup->splits.push_back({split, std::move(prompts)});
  }
  log_info("rankings: ", setup->responses, " responses per prompt from ", recipe.string("init"),
           " (step ", setup->model.position.step, ")");
  return make_rankings_job(std::move(setup));
}

}  // namespace forge
