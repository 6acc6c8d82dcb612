#include "stages/knowledge_probe/knowledge_probe_stage.h"

#include <forge/dataset.h>
#include <forge/files.h>
#include <forge/log.h>
#include <forge/progress.h>

#include "engine/generate.h"
#include "recipe/recipe.h"
#include "stages/assistant_eval/reply_scoring.h"
#include "stages/device_choice.h"
#include "stages/runner.h"
#include "train/checkpoint_model.h"

#include <algorithm>

namespace forge {
namespace {

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

struct Counts {
  std::uint64_t questions = 0, known = 0;
  // Against the data's own labels (metadata.known), when it has them.
  std::uint64_t labelled = 0, agree = 0, labelled_known = 0, probed_known_of_labelled = 0;
};

class ProbeJob : public StageJob {
 public:
  ProbeJob(LoadedModel model, std::unique_ptr<Sampler> sampler,
           std::vector<std::unique_ptr<Dataset>> data, std::int64_t samples,
           std::int64_t known_when, std::int64_t max_tokens, std::vector<std::string> refusals,
           std::uint64_t seed)
      : model_(std::move(model)),
        sampler_(std::move(sampler)),
        data_(std::move(data)),
        samples_(samples),
        known_when_(known_when),
        max_tokens_(max_tokens),
        refusals_(std::move(refusals)),
        seed_(seed) {}

  void run(RunContext& context) override {
    std::vector<Document> questions;
    for (const auto& dataset : data_)
      for (const std::string& shard : dataset->shards())
        dataset->read(shard, [&](Document&& d) {
          questions.push_back(std::move(d));
          return true;
        });
    AtomicFileWriter chats(context.dir / "conversations.jsonl", false);
    AtomicFileWriter results(context.dir / "results.jsonl", false);
    Counts counts;
    const ChatTemplate chat;
    const TokenId end = *model_.tokenizer->special_token(chat.end);
    Progress progress("probe", questions.size(), "questions");
    for (const Document& question : questions) {
      auto answer = question.metadata.find("answer");
      if (answer == question.metadata.end() || !answer->is_string())
        throw RunFailure(cat("question '", question.id, "' has no metadata.answer to judge by; ",
                             "use a dataset that sets it, such as fact_questions"));
      auto [prompt, reference] =
          split_at_reply(chat_from_json(question.metadata.at("messages"), question.id));
      GenerationRequest request;
      request.prompts.assign(static_cast<std::size_t>(samples_),
                             render_chat(*model_.tokenizer, prompt, chat, true).ids);
      request.max_tokens = max_tokens_;
      request.stop_tokens = {end};
      request.seed = mix64(seed_ + counts.questions);
      std::vector<GenerationRow> rows = generate(*model_.model, *sampler_, request);
      std::int64_t right = 0;
      nlohmann::json replies = nlohmann::json::array();
      const std::string expected = normalized_reply(answer->get<std::string>());
      for (GenerationRow& row : rows) {
        if (!row.tokens.empty() && row.tokens.back() == end) row.tokens.pop_back();
        const std::string reply = model_.tokenizer->decode(row.tokens);
        right += normalized_reply(reply).find(expected) != std::string::npos;
        replies.push_back(reply);
      }
      const bool known = right >= known_when_;
      std::vector<ChatMessage> out = prompt;
      out.push_back(
          {"assistant",
           known ? final_reply(reference) : refusals_[counts.questions % refusals_.size()],
           {}});
      chats.write(dump({{"messages", chat_to_json(out)}}) + "\n");
      nlohmann::json row{{"id", question.id},   {"answer", *answer}, {"right", right},
                         {"samples", samples_}, {"known", known},    {"replies", replies}};
      ++counts.questions;
      counts.known += known;
      if (auto label = question.metadata.find("known"); label != question.metadata.end()) {
        row["known_in_data"] = *label;
        ++counts.labelled;
        counts.agree += label->get<bool>() == known;
        counts.labelled_known += label->get<bool>();
        counts.probed_known_of_labelled += label->get<bool>() && known;
      }
      results.write(dump(row) + "\n");
      progress.set_status(cat(counts.known, " known"));
      progress.advance();
    }
    progress.finish();
    chats.commit();
    results.commit();
    nlohmann::json report{{"questions", counts.questions},
                          {"known", counts.known},
                          {"refusals", counts.questions - counts.known}};
    if (counts.labelled)
      report["agreement_with_data"] =
          static_cast<double>(counts.agree) / static_cast<double>(counts.labelled);
    write_file_atomic(context.dir / "report.json", report.dump(2) + "\n");
    context.metrics->write(report);
    log_info("probe: ", counts.questions, " questions, ", counts.known, " known (right at least ",
             known_when_, " of ", samples_, " times), ", counts.questions - counts.known,
             " turned into refusals",
             counts.labelled ? cat("; agreement with the data's labels ",
                                   report["agreement_with_data"].get<double>())
                             : "");
  }

 private:
  LoadedModel model_;
  std::unique_ptr<Sampler> sampler_;
  std::vector<std::unique_ptr<Dataset>> data_;
  std::int64_t samples_, known_when_, max_tokens_;
  std::vector<std::string> refusals_;
  std::uint64_t seed_;
};

}  // namespace

Schema KnowledgeProbeStage::schema() const {
  return {
      param::string("init").required().doc("the checkpoint to probe"),
      param::plugin_list("data", PluginKind::dataset)
          .required()
          .doc("questions: conversations with metadata.answer, e.g. fact_questions"),
      param::integer("samples").fallback(5).at_least(1).doc("samples per question"),
      param::integer("known_when")
          .fallback(1)
          .at_least(1)
          .doc("right answers (of `samples`) for a question to count as known"),
      param::plugin("sample", PluginKind::sampler)
          .fallback_yaml(parse_yaml("{plugin: temperature, temperature: 1.0}", "(default)"))
          .doc("how the samples are drawn"),
      param::integer("max_tokens").fallback(48).at_least(1).doc("tokens per sample at most"),
      param::string_list("refusals")
          .fallback(
              std::vector<std::string>{"I'm sorry, but I don't know that.",
                                       "I don't know the answer to that, and I'd rather not guess.",
                                       "I'm not sure; I don't know enough about that to answer."})
          .doc("replies written for the questions the model does not know, in turn"),
  };
}

std::unique_ptr<StageJob> KnowledgeProbeStage::prepare(const Config& recipe,
                                                       const Registry& plugins) const {
  LoadedModel model;
  try {
    model = load_model(recipe.string("init"), plugins, choose_device(recipe));
  } catch (const Error& e) {
    recipe.fail("init", e.what());
  }
  if (!model.tokenizer->special_token(ChatTemplate{}.end))
    recipe.fail("init", "the checkpoint's tokenizer has no chat markers; probe a chat model");
  std::vector<std::unique_ptr<Dataset>> data;
  for (const Config& section : recipe.sections("data"))
    data.push_back(plugins.create<Dataset>(section));
  if (recipe.integer("known_when") > recipe.integer("samples"))
    recipe.fail("known_when", "cannot exceed `samples`");
  std::vector<std::string> refusals = recipe.strings("refusals");
  if (refusals.empty()) recipe.fail("refusals", "needs at least one reply");
  return std::make_unique<ProbeJob>(
      std::move(model), plugins.create<Sampler>(recipe.section("sample")), std::move(data),
      recipe.integer("samples"), recipe.integer("known_when"), recipe.integer("max_tokens"),
      std::move(refusals), static_cast<std::uint64_t>(recipe.integer("seed")));
}

}  // namespace forge
