#include "stages/pretrain/pretrain_stage.h"

#include <forge/log.h>

#include "recipe/recipe.h"
#include "stages/device_choice.h"
#include "stages/pretrain/train_job.h"

namespace forge {
namespace {

Schema train_schema() {
  return {
      param::integer("steps").required().at_least(1).doc("optimizer steps"),
      param::integer("micro_batch").fallback(8).at_least(1).doc("sequences per forward pass"),
      param::integer("seq_len").fallback(0).at_least(0).doc(
          "tokens per sequence; 0 uses the model's context"),
      param::integer("batch_tokens")
          .fallback(0)
          .at_least(0)
          .doc("tokens per optimizer step, a multiple of micro_batch * seq_len (gradient "
               "accumulation); 0 means one micro-batch"),
      param::number("grad_clip")
          .fallback(1.0)
          .at_least(0)
          .doc("clip the global gradient norm to this; 0 disables"),
      param::integer("log_every").fallback(1).at_least(1).doc("steps between metrics lines"),
  };
}

Schema eval_schema() {
  return {
      param::integer("every").fallback(100).at_least(0).doc(
          "steps between validation passes (and one at the end); 0: only at the end"),
      param::integer("batches").fallback(20).at_least(1).doc(
          "micro-batches of validation windows per pass, the same windows every time"),
  };
}

Schema sample_keys() {
  return {
      param::integer("every").fallback(0).at_least(0).doc(
          "steps between samples (and one at the end); 0: only at the end"),
      param::string("prompt").fallback("").doc("text the samples continue; empty: a new document"),
      param::integer("max_tokens").fallback(64).at_least(1).doc("tokens per sample"),
      param::integer("count").fallback(1).at_least(1).doc("samples each time"),
  };
}

Schema checkpoint_schema() {
  return {
      param::integer("every").fallback(0).at_least(0).doc(
          "steps between checkpoints (and one at the end); 0: only at the end"),
      param::integer("keep").fallback(3).at_least(0).doc("newest checkpoints kept; 0 keeps all"),
  };
}

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

std::string plugin_label(const Registry& plugins, PluginKind kind, const Config& section) {
  const PluginInfo& info = plugins.get(kind, section.string("plugin"));
  return cat(kind_name(kind), "/", info.name, " ", info.version);
}

}  // namespace

Schema PretrainStage::schema() const {
  return {
      param::plugin("tokenizer", PluginKind::tokenizer).required().doc("ids of the data"),
      param::section("data", data_schema()).required().doc("train (and val) token datasets"),
      param::plugin("model", PluginKind::architecture).required().doc("the model to train"),
      param::plugin("loss", PluginKind::loss)
          .fallback_yaml(parse_yaml("{plugin: cross_entropy}", "(default)"))
          .doc("the training objective"),
      param::section("optimizer", optimizer_schema()).fallback_yaml(Node::map()).doc("AdamW"),
      param::section("schedule", schedule_schema())
          .fallback_yaml(Node::map())
          .doc("learning-rate schedule"),
      param::section("train", train_schema()).required().doc("steps and batch shape"),
      param::section("eval", eval_schema()).fallback_yaml(Node::map()).doc("validation"),
      param::plugin("sample", PluginKind::sampler)
          .with_keys(sample_keys())
          .doc("text generated now and then, with a sampler plugin"),
      param::section("checkpoint", checkpoint_schema())
          .fallback_yaml(Node::map())
          .doc("checkpoints"),
  };
}

std::unique_ptr<StageJob> PretrainStage::prepare(const Config& recipe,
                                                 const Registry& plugins) const {
  auto setup = std::make_unique<TrainSetup>();
  setup->device = choose_device(recipe);
  setup->seed = static_cast<std::uint64_t>(recipe.integer("seed"));
  Config tokenizer = recipe.section("tokenizer"), model = recipe.section("model");
  Config data = recipe.section("data"), train = recipe.section("train");
  setup->tokenizer = plugins.create<Tokenizer>(tokenizer);
  auto architecture = plugins.create<Architecture>(model);
  Generator init(mix64(setup->seed));
  ModelRequest request;
  request.vocab_size = static_cast<std::int64_t>(setup->tokenizer->vocab_size());
  request.device = setup->device;
  request.init = &init;
  setup->model = architecture->build(request);
  setup->loss = plugins.create<Loss>(recipe.section("loss"));

  setup->steps = train.integer("steps");
  setup->micro_batch = train.integer("micro_batch");
  const std::int64_t context = setup->model->shape().context;
  setup->seq_len = train.integer("seq_len") ? train.integer("seq_len") : context;
  if (setup->seq_len > context)
    train.fail("seq_len", cat("sequences of ", setup->seq_len,
                              " tokens exceed the model's context of ", context));
  const std::int64_t per_micro = setup->micro_batch * setup->seq_len;
  const std::int64_t batch_tokens = train.integer("batch_tokens");
  if (batch_tokens % per_micro)
    train.fail("batch_tokens",
               cat(batch_tokens, " is not a multiple of micro_batch * seq_len = ", per_micro,
                   "; try ", (batch_tokens / per_micro + 1) * per_micro));
  setup->accumulation = batch_tokens ? batch_tokens / per_micro : 1;
  setup->grad_clip = train.number("grad_clip");
  setup->log_every = train.integer("log_every");
  setup->optimizer = optimizer_from(recipe.section("optimizer"));
  setup->schedule = schedule_from(recipe.section("schedule"), setup->steps);

  Config eval = recipe.section("eval"), checkpoint = recipe.section("checkpoint");
  setup->eval_every = eval.integer("every");
  setup->eval_batches = eval.integer("batches");
  setup->checkpoint_every = checkpoint.integer("every");
  setup->checkpoint_keep = checkpoint.integer("keep");

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
  std::vector<std::string> labels = {
      plugin_label(plugins, PluginKind::tokenizer, tokenizer),
      plugin_label(plugins, PluginKind::architecture, model),
      plugin_label(plugins, PluginKind::loss, recipe.section("loss")),
      plugin_label(plugins, PluginKind::dataset, train_data)};
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
  if (recipe.has("sample")) {
    Config sample = recipe.section("sample");
    setup->sample = std::make_unique<SampleSettings>();
    setup->sample->sampler = plugins.create<Sampler>(sample);
    setup->sample->every = sample.integer("every");
    setup->sample->prompt = sample.string("prompt");
    setup->sample->max_tokens = sample.integer("max_tokens");
    setup->sample->count = sample.integer("count");
    labels.push_back(plugin_label(plugins, PluginKind::sampler, sample));
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
