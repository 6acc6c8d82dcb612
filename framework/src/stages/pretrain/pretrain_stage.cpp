#include "stages/pretrain/pretrain_stage.h"

#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_job.h"
#include "stages/pretrain/train_schema.h"

namespace forge {
namespace {

Schema data_schema() {
  return {
      param::plugin("train", PluginKind::dataset).required().doc("token windows to train on"),
      param::plugin("val", PluginKind::dataset).doc("token windows for validation loss"),
  };
}

std::unique_ptr<Dataset> token_dataset(const Registry& plugins, const Config& section) {
  auto dataset = plugins.create<Dataset>(section);
  if (!dataset->can_provide_tokens())
    section.fail("plugin", cat("dataset '", section.string("plugin"),
                               "' gives documents, not tokens; use token_shards (after a tokenize "
                               "stage) or text"));
  return dataset;
}

}  // namespace

Schema PretrainStage::schema() const {
  Schema schema{
      param::plugin("tokenizer", PluginKind::tokenizer).required().doc("ids of the data"),
      param::section("data", data_schema()).required().doc("train (and val) token datasets"),
      param::plugin("model", PluginKind::architecture).required().doc("the model to train"),
  };
  for (Param& param : training_params()) schema.add(std::move(param));
  return schema;
}

void PretrainStage::cross_check(const Config& recipe, const ModelContexts& models) const {
  cross_check_training_keys(recipe, models);
}

std::unique_ptr<StageJob> PretrainStage::prepare(const Config& recipe,
                                                 const Registry& plugins) const {
  auto setup = std::make_unique<TrainSetup>();
  setup->device = choose_device(recipe);
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  setup->precision = read_precision(recipe);
  Config tokenizer = recipe.section("tokenizer"), model = recipe.section("model");
  Config data = recipe.section("data");
  setup->tokenizer = plugins.create<Tokenizer>(tokenizer);
  auto architecture = plugins.create<Architecture>(model);
  Generator init(mix64(setup->seed));
  ModelRequest request;
  request.vocab_size = static_cast<std::int64_t>(setup->tokenizer->vocab_size());
  request.device = setup->device;
  request.dtype = setup->precision;
  request.init = &init;
  setup->model = architecture->build(request);
  std::vector<std::string> labels = {plugin_label(plugins, PluginKind::tokenizer, tokenizer),
                                     plugin_label(plugins, PluginKind::architecture, model)};
  read_training_keys(recipe, plugins, *setup, labels);

  Config train_data = data.section("train");
  setup->train_data = token_dataset(plugins, train_data);
  TokenRequest tokens;
  tokens.tokenizer = setup->tokenizer.get();
  tokens.length = static_cast<std::size_t>(setup->seq_len + 1);
  tokens.seed = mix64(setup->seed + 1);
  try {
    setup->train_batches = window_batches(setup->train_data->open_tokens(tokens));
  } catch (const Error& e) {
    train_data.fail("plugin", e.what());
  }
  labels.push_back(plugin_label(plugins, PluginKind::dataset, train_data));
  if (data.has("val")) {
    Config val = data.section("val");
    setup->val_data = token_dataset(plugins, val);
    tokens.random_order = false;  // the same windows every evaluation
    try {
      setup->val_batches = window_batches(setup->val_data->open_tokens(tokens));
    } catch (const Error& e) {
      val.fail("plugin", e.what());
    }
    labels.push_back(plugin_label(plugins, PluginKind::dataset, val));
  }
  setup->meta.recipe = emit_yaml(recipe.node());
  setup->meta.stage = name();
  setup->meta.architecture = model.string("plugin");
  setup->meta.tokenizer_plugin = tokenizer.string("plugin");
  setup->meta.plugins = std::move(labels);
  setup->meta.seed = setup->seed;
  return make_train_job(std::move(setup));
}

}  // namespace forge
