#include "stages/sft/sft_stage.h"

#include <forge/log.h>

#include "engine/tool_set.h"
#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_job.h"
#include "stages/pretrain/train_schema.h"
#include "stages/sft/conversation_batches.h"
#include "train/checkpoint_model.h"

namespace forge {
namespace {

Schema source_keys() {
  return {param::number("weight").fallback(1.0).at_least(0).doc(
      "share of the training conversations drawn from this dataset, relative to the others")};
}

Schema data_schema() {
  return {
      param::plugin_list("train", PluginKind::dataset)
          .with_keys(source_keys())
          .required()
          .doc("datasets of conversations (documents with metadata.messages), mixed by weight"),
      param::plugin_list("val", PluginKind::dataset)
          .with_keys(source_keys())
          .doc("conversations for the validation loss, read in order"),
  };
}

Schema chat_schema() {
  const ChatTemplate d;
  return {
      param::string("start").fallback(d.start).doc("special token opening a message"),
      param::string("separator").fallback(d.separator).doc("between the role and the content"),
      param::string("end").fallback(d.end).doc("special token closing a message"),
      param::string("tool_start").fallback(d.tool_start).doc("opens the assistant's tool call"),
      param::string("tool_end").fallback(d.tool_end).doc("closes the tool call"),
      param::string("output_start").fallback(d.output_start).doc("opens a tool's output"),
      param::string("output_end").fallback(d.output_end).doc("closes a tool's output"),
  };
}

ChatTemplate chat_from(const Config& chat) {
  return {chat.string("start"),      chat.string("separator"), chat.string("end"),
          chat.string("tool_start"), chat.string("tool_end"),  chat.string("output_start"),
          chat.string("output_end")};
}

std::vector<ConversationSource> sources_of(const Config& data, const std::string& key,
                                           const Registry& plugins,
                                           std::vector<std::unique_ptr<Dataset>>& keep,
                                           std::vector<std::string>& labels) {
  std::vector<ConversationSource> sources;
  std::vector<Config> sections = data.sections(key);
  for (std::size_t i = 0; i < sections.size(); ++i) {
    keep.push_back(plugins.create<Dataset>(sections[i]));
    sources.push_back({keep.back().get(), sections[i].number("weight"),
                       cat("data.", key, "[", i, "] (", sections[i].string("plugin"), ")")});
    labels.push_back(plugin_label(plugins, PluginKind::dataset, sections[i]));
  }
  double total = 0;
  for (const ConversationSource& source : sources) total += source.weight;
  if (total <= 0) data.fail(key, "every weight is 0: nothing would be drawn");
  return sources;
}

}  // namespace

Schema SftStage::schema() const {
  Schema schema{
      param::string("init").required().doc(
          "the checkpoint to start from (model and tokenizer), e.g. a pretrain run's "
          "checkpoints/step-00001000.h5"),
      param::section("data", data_schema()).required().doc("train (and val) conversations"),
      param::section("chat", chat_schema())
          .fallback_yaml(Node::map())
          .doc("the chat template's special tokens; the tokenizer must have them"),
      param::boolean("pack").fallback(true).doc(
          "several conversations per window (attention kept within each); false: one per "
          "window, padded"),
  };
  for (Param& param : training_params()) schema.add(std::move(param));
  schema.add(tools_param().doc("tools the samples' assistant turns may call"));
  return schema;
}

void SftStage::cross_check(const Config& recipe, const ModelContexts& models) const {
  cross_check_training_keys(recipe, models);
}

std::unique_ptr<StageJob> SftStage::prepare(const Config& recipe, const Registry& plugins) const {
  auto setup = std::make_unique<TrainSetup>();
  setup->device = choose_device(recipe);
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  setup->precision = read_precision(recipe);
  LoadedModel init = read_init(recipe, plugins, setup->device, setup->precision);
  setup->tokenizer = std::move(init.tokenizer);
  setup->model = std::move(init.model);
  setup->chat = chat_from(recipe.section("chat"));
  for (const std::string& marker : {setup->chat.start, setup->chat.separator, setup->chat.end})
    if (!setup->tokenizer->special_token(marker))
      recipe.section("chat").fail("start",
                                  cat("the checkpoint's tokenizer has no special token '", marker,
                                      "'; pretrain with it among the tokenizer's special_tokens"));
  std::vector<std::string> labels = init_labels(init);
  read_training_keys(recipe, plugins, *setup, labels);
  if (setup->sample) {
    setup->sample->chat = true;
    setup->sample->tools = ToolSet::from_configs(recipe.sections("tools"), plugins);
  }

  Config data = recipe.section("data");
  ConversationSettings settings;
  settings.seq_len = setup->seq_len;
  settings.pack = recipe.boolean("pack");
  settings.seed = mix64(setup->seed + 1);
  settings.chat = setup->chat;
  std::vector<std::unique_ptr<Dataset>> datasets;
  setup->train_batches = conversation_batches(sources_of(data, "train", plugins, datasets, labels),
                                              *setup->tokenizer, settings);
  if (data.has("val")) {
    settings.shuffle = false;  // the same conversations every evaluation
    setup->val_batches = conversation_batches(sources_of(data, "val", plugins, datasets, labels),
                                              *setup->tokenizer, settings);
  }

  setup->meta = init_meta(recipe, init, name(), std::move(labels), setup->seed);
  log_info("sft: starting from ", recipe.string("init"), " (step ", init.position.step, ")");
  return make_train_job(std::move(setup));
}

}  // namespace forge
