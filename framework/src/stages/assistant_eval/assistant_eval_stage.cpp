#include "stages/assistant_eval/assistant_eval_stage.h"

#include <forge/dataset.h>
#include <forge/files.h>
#include <forge/log.h>
#include <forge/progress.h>

#include "engine/assistant_turn.h"
#include "engine/tool_set.h"
#include "recipe/recipe.h"
#include "stages/assistant_eval/reply_scoring.h"
#include "stages/device_choice.h"
#include "train/checkpoint_model.h"

#include <cstdio>

namespace forge {
namespace {

Schema check_keys() {
  return {
      param::string("match")
          .fallback("final")
          .one_of({"final", "contains"})
          .doc("final: the reply equals the conversation's final reply (case and spacing aside); "
               "contains: the reply holds every string of `contains`"),
      param::string_list("contains")
          .fallback(std::vector<std::string>{})
          .doc("strings a correct reply holds, for match: contains"),
  };
}

ReplyCheck reply_check(const Config& section) {
  ReplyCheck check;
  check.match = section.string("match");
  check.contains = section.strings("contains");
  if (check.match == "contains" && check.contains.empty())
    section.fail("contains", "match: contains needs at least one string");
  return check;
}

struct EvalSet {
  std::string label;
  std::unique_ptr<Dataset> dataset;
  ReplyCheck check;
};

struct Tally {
  std::uint64_t conversations = 0, well_formed = 0, expected_tool = 0, used_tool = 0, correct = 0;
  std::uint64_t with_answer = 0, answer_right = 0;  // chats whose data names the short answer
  nlohmann::json json() const {
    auto share = [&](std::uint64_t n) {
      return conversations ? static_cast<double>(n) / static_cast<double>(conversations) : 0.0;
    };
    return {
        {"conversations", conversations},
        {"well_formed", share(well_formed)},
        {"used_tool", share(used_tool)},
        {"reference_used_tool", share(expected_tool)},
        {"correct", share(correct)},
        {"with_answer", with_answer},
        {"answer_right",
         with_answer ? static_cast<double>(answer_right) / static_cast<double>(with_answer) : 0.0}};
  }
};

class AssistantEvalJob : public StageJob {
 public:
  AssistantEvalJob(LoadedModel model, std::unique_ptr<Sampler> sampler, ToolSet tools,
                   ChatTemplate chat, std::vector<EvalSet> sets, std::int64_t max_tokens,
                   std::uint64_t seed)
      : model_(std::move(model)),
        sampler_(std::move(sampler)),
        tools_(std::move(tools)),
        chat_(std::move(chat)),
        sets_(std::move(sets)),
        max_tokens_(max_tokens),
        seed_(seed) {}

  void run(RunContext& context) override {
    AtomicFileWriter results(context.dir / "results.jsonl", false);
    nlohmann::json report = nlohmann::json::object();
    for (EvalSet& set : sets_) {
      Tally tally;
      std::vector<Document> documents;
      for (const std::string& shard : set.dataset->shards())
        set.dataset->read(shard, [&](Document&& d) {
          documents.push_back(std::move(d));
          return true;
        });
      Progress progress(set.label, documents.size(), "chats");
      for (const Document& document : documents) {
        nlohmann::json row = score(document, set, tally);
        results.write(row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
        progress.set_status(cat(tally.correct, " correct"));
        progress.advance();
      }
      progress.finish();
      report[set.label] = tally.json();
      nlohmann::json record = tally.json();
      record["set"] = set.label;
      context.metrics->write(record);
      char line[256];
      std::snprintf(
          line, sizeof line,
          "%s: %llu chats, %.1f%% well formed, %.1f%% used a tool (reference %.1f%%), "
          "%.1f%% correct",
          set.label.c_str(), static_cast<unsigned long long>(tally.conversations),
          100 * record["well_formed"].get<double>(), 100 * record["used_tool"].get<double>(),
          100 * record["reference_used_tool"].get<double>(), 100 * record["correct"].get<double>());
      std::string answers;
      if (tally.with_answer) {
        char part[64];
        std::snprintf(part, sizeof part, ", %.1f%% with the right answer",
                      100 * record["answer_right"].get<double>());
        answers = part;
      }
      log_info(line, answers);
    }
    results.commit();
    write_file_atomic(context.dir / "report.json", report.dump(2) + "\n");
  }

 private:
  nlohmann::json score(const Document& document, const EvalSet& set, Tally& tally) {
    auto [prompt, reference] =
        split_at_reply(chat_from_json(document.metadata.at("messages"), document.id));
    TurnRequest request;
    request.conversation = std::move(prompt);
    request.max_tokens = max_tokens_;
    request.seed = mix64(seed_ + tally.conversations);
    bool reference_tool = false;
    for (const ChatMessage& m : reference) reference_tool |= !m.tool_calls.empty();
    TurnResult turn =
        assistant_turn(*model_.model, *model_.tokenizer, *sampler_, tools_.tools(), chat_, request);
    const std::string reply = final_reply(turn.messages);
    const bool well_formed = turn.finish == "stop";
    const bool correct = well_formed && reply_correct(set.check, reply, final_reply(reference));
    ++tally.conversations;
    tally.well_formed += well_formed;
    tally.expected_tool += reference_tool;
    tally.used_tool += turn.tool_calls > 0;
    tally.correct += correct;
    // The short answer (a count, Yes or No) as whole words of the reply, however it is worded.
    nlohmann::json answer_right = nullptr;
    if (auto answer = document.metadata.find("answer");
        answer != document.metadata.end() && answer->is_string()) {
      const bool right = well_formed && holds_answer(reply, answer->get<std::string>());
      ++tally.with_answer;
      tally.answer_right += right;
      answer_right = right;
    }
    // The lesson's labels (whether pretraining knew the fact, ...) stay with the verdict.
    nlohmann::json labels = document.metadata;
    labels.erase("messages");
    return {{"set", set.label},
            {"answer_right", answer_right},
            {"id", document.id},
            {"metadata", std::move(labels)},
            {"prompt", chat_to_json(request.conversation)},
            {"reply", chat_to_json(turn.messages)},
            {"reference", final_reply(reference)},
            {"finish", turn.finish},
            {"tool_calls", turn.tool_calls},
            {"correct", correct}};
  }

  LoadedModel model_;
  std::unique_ptr<Sampler> sampler_;
  ToolSet tools_;
  ChatTemplate chat_;
  std::vector<EvalSet> sets_;
  std::int64_t max_tokens_;
  std::uint64_t seed_;
};

}  // namespace

Schema AssistantEvalStage::schema() const {
  return {
      param::string("init").required().doc("the checkpoint to evaluate"),
      param::plugin_list("data", PluginKind::dataset)
          .with_keys(check_keys())
          .required()
          .doc("held-out conversations (documents with metadata.messages); each is answered "
               "from its messages before the first assistant message"),
      tools_param(),
      param::plugin("sample", PluginKind::sampler)
          .fallback_yaml(parse_yaml("{plugin: greedy}", "(default)"))
          .doc("how replies are sampled"),
      param::integer("max_tokens").fallback(256).at_least(1).doc("tokens per reply at most"),
  };
}

void AssistantEvalStage::cross_check(const Config& recipe, const ModelContexts& /*models*/) const {
  for (const Config& section : recipe.sections("data")) reply_check(section);
}

std::unique_ptr<StageJob> AssistantEvalStage::prepare(const Config& recipe,
                                                      const Registry& plugins) const {
  LoadedModel model;
  try {
    model = load_model(recipe.string("init"), plugins, choose_device(recipe));
  } catch (const Error& e) {
    recipe.fail("init", e.what());
  }
  auto sampler = plugins.create<Sampler>(recipe.section("sample"));
  ToolSet tools = ToolSet::from_configs(recipe.sections("tools"), plugins);
  std::vector<EvalSet> sets;
  std::vector<Config> sections = recipe.sections("data");
  for (std::size_t i = 0; i < sections.size(); ++i) {
    EvalSet set;
    set.label = cat(sections[i].string("plugin"), "[", i, "]");
    set.dataset = plugins.create<Dataset>(sections[i]);
    set.check = reply_check(sections[i]);
    sets.push_back(std::move(set));
  }
  return std::make_unique<AssistantEvalJob>(
      std::move(model), std::move(sampler), std::move(tools), ChatTemplate{}, std::move(sets),
      recipe.integer("max_tokens"), static_cast<std::uint64_t>(recipe.integer("seed")));
}

}  // namespace forge
