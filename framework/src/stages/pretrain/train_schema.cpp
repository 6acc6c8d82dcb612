#include "stages/pretrain/train_schema.h"

#include "dist/communicator.h"
#include "dist/tcp_rendezvous.h"
#include "recipe/recipe.h"

namespace forge {

Schema train_schema() {
  return {
      param::integer("steps").required().at_least(1).doc("optimizer steps"),
      param::integer("micro_batch").fallback(8).at_least(1).doc("sequences per forward pass"),
      param::integer("seq_len").fallback(0).at_least(0).doc(
          "tokens per sequence; 0 uses the model's context"),
      param::integer("batch_tokens")
          .fallback(0)
          .at_least(0)
          .doc("tokens per optimizer step over all ranks, a multiple of micro_batch * seq_len * "
               "ranks (gradient accumulation); 0 means one micro-batch per rank"),
      param::number("grad_clip")
          .fallback(1.0)
          .at_least(0)
          .doc("clip the global gradient norm to this; 0 disables"),
      param::integer("log_every").fallback(1).at_least(1).doc("steps between metrics lines"),
      param::string("data_parallel")
          .fallback("all_reduce")
          .one_of({"all_reduce", "zero1"})
          .doc("with several ranks: all_reduce keeps every optimizer state on every rank; zero1 "
               "shards it over the ranks"),
      param::number("bucket_mb")
          .fallback(25.0)
          .at_least(0.001)
          .doc("megabytes of gradients per all-reduce message"),
      param::boolean("overlap").fallback(true).doc(
          "with several ranks and all_reduce: each bucket starts its sum as soon as "
          "backward has finished its gradients; false: all sums after backward"),
      param::boolean("recompute")
          .fallback(false)
          .doc("keep only each block's input and run the block again in backward: less "
               "activation memory for about a third more compute"),
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

std::string plugin_label(const Registry& plugins, PluginKind kind, const Config& section) {
  const PluginInfo& info = plugins.get(kind, section.string("plugin"));
  return cat(kind_name(kind), "/", info.name, " ", info.version);
}

std::vector<Param> training_params() {
  return {
      param::plugin("loss", PluginKind::loss)
          .fallback_yaml(parse_yaml("{plugin: cross_entropy}", "(default)"))
          .doc("the training objective"),
      param::section("optimizer", optimizer_schema()).fallback_yaml(Node::map()).doc("AdamW"),
      param::section("schedule", schedule_schema())
          .fallback_yaml(Node::map())
          .doc("learning-rate schedule"),
      param::section("train", train_schema()).required().doc("steps and batch shape"),
      param::string("precision")
          .fallback("fp32")
          .one_of({"fp32", "bf16"})
          .doc("fp32; or bf16: weights, activations and gradients in bf16, each update applied "
               "to f32 master weights, which checkpoints store"),
      param::section("eval", eval_schema()).fallback_yaml(Node::map()).doc("validation"),
      param::plugin("sample", PluginKind::sampler)
          .with_keys(sample_keys())
          .doc("text generated now and then, with a sampler plugin"),
      param::section("checkpoint", checkpoint_schema())
          .fallback_yaml(Node::map())
          .doc("checkpoints"),
  };
}

std::int64_t checked_seq_len(const Config& train, std::int64_t context) {
  const std::int64_t seq_len = train.integer("seq_len") ? train.integer("seq_len") : context;
  if (seq_len > context)
    train.fail("seq_len",
               cat("sequences of ", seq_len, " tokens exceed the model's context of ", context));
  return seq_len;
}

std::int64_t checked_accumulation(const Config& train, std::int64_t seq_len, int world_size) {
  const std::int64_t per_step = train.integer("micro_batch") * seq_len * world_size;
  const std::int64_t batch_tokens = train.integer("batch_tokens");
  if (batch_tokens % per_step)
    train.fail("batch_tokens",
               cat(batch_tokens, " is not a multiple of micro_batch * seq_len",
                   world_size > 1 ? cat(" * ranks (", world_size, ")") : "", " = ", per_step,
                   "; try ", (batch_tokens / per_step + 1) * per_step,
                   train.integer("seq_len")
                       ? ""
                       : cat(" (seq_len 0 means the model's context, ", seq_len, ")")));
  return batch_tokens ? batch_tokens / per_step : 1;
}

DType read_precision(const Config& recipe) {
  if (recipe.string("precision") == "fp32") return DType::f32;
  if (recipe.section("train").string("data_parallel") == "zero1")
    recipe.fail("precision",
                "bf16 with train.data_parallel: zero1 is not built (its shards hold "
                "no master weights); use data_parallel: all_reduce, or fp32");
  return DType::bf16;
}

// Checked for one process: a batch one rank can't divide, no world size can; prepare() checks
// the ranks it finds.
void cross_check_training_keys(const Config& recipe, const ModelContexts& models) {
  read_precision(recipe);
  Config train = recipe.section("train");
  std::optional<std::int64_t> context = models.of_recipe(recipe.node());
  if (!context && !train.integer("seq_len")) return;
  const std::int64_t seq_len =
      context ? checked_seq_len(train, *context) : train.integer("seq_len");
  checked_accumulation(train, seq_len, 1);
}

void read_training_keys(const Config& recipe, const Registry& plugins, TrainSetup& setup,
                        std::vector<std::string>& labels) {
  Config train = recipe.section("train");
  setup.loss = plugins.create<Loss>(recipe.section("loss"));
  labels.push_back(plugin_label(plugins, PluginKind::loss, recipe.section("loss")));
  setup.steps = train.integer("steps");
  setup.micro_batch = train.integer("micro_batch");
  setup.seq_len = checked_seq_len(train, setup.model->shape().context);
  // The global batch is the recipe's, whatever the world size: each rank accumulates its share.
  setup.world_size = process_world().size();
  if (auto launched = environment_world(); launched && launched->size > setup.world_size)
    throw Error(cat("WORLD_SIZE=", launched->size,
                    " says this process is one of several, but it runs alone: CPU ranks run "
                    "under mpirun or srun (MPI), and ranks started by RANK/WORLD_SIZE need a "
                    "GPU each (NCCL)"));
  setup.accumulation = checked_accumulation(train, setup.seq_len, setup.world_size);
  if (setup.precision == DType::bf16 && setup.world_size > 1 && setup.device == Device::cpu())
    recipe.fail("precision", cat("bf16 on ", setup.world_size,
                                 " CPU ranks: MPI cannot sum bf16 "
                                 "gradients; use precision: fp32 under mpirun (bf16 is for GPUs)"));
  setup.parallel.mode =
      train.string("data_parallel") == "zero1" ? DataParallel::zero1 : DataParallel::all_reduce;
  setup.parallel.bucket_bytes = static_cast<std::int64_t>(train.number("bucket_mb") * (1 << 20));
  setup.parallel.overlap = train.boolean("overlap");
  setup.grad_clip = train.number("grad_clip");
  setup.recompute = train.boolean("recompute");
  setup.log_every = train.integer("log_every");
  setup.optimizer = optimizer_from(recipe.section("optimizer"));
  setup.schedule = schedule_from(recipe.section("schedule"), setup.steps);
  Config eval = recipe.section("eval"), checkpoint = recipe.section("checkpoint");
  setup.eval_every = eval.integer("every");
  setup.eval_batches = eval.integer("batches");
  setup.checkpoint_every = checkpoint.integer("every");
  setup.checkpoint_keep = checkpoint.integer("keep");
  if (recipe.has("sample")) {
    Config sample = recipe.section("sample");
    setup.sample = std::make_unique<SampleSettings>();
    setup.sample->sampler = plugins.create<Sampler>(sample);
    setup.sample->every = sample.integer("every");
    setup.sample->prompt = sample.string("prompt");
    setup.sample->max_tokens = sample.integer("max_tokens");
    setup.sample->count = sample.integer("count");
    labels.push_back(plugin_label(plugins, PluginKind::sampler, sample));
  }
}

LoadedModel read_init(const Config& recipe, const Registry& plugins, Device device, DType dtype) {
  try {
    return load_model(recipe.string("init"), plugins, device, dtype);
  } catch (const Error& e) {
    recipe.fail("init", e.what());
  }
}

std::vector<std::string> init_labels(const LoadedModel& init) {
  return {cat("tokenizer/", init.tokenizer_plugin, " (from init)"),
          cat("architecture/", init.architecture, " (from init)")};
}

CheckpointMeta init_meta(const Config& recipe, const LoadedModel& init, const std::string& stage,
                         std::vector<std::string> labels, std::uint64_t seed) {
  Node stored = recipe.node();
  if (const Node* model = init.recipe.find("model")) stored.set("model", *model);
  CheckpointMeta meta;
  meta.recipe = emit_yaml(stored);
  meta.stage = stage;
  meta.architecture = init.architecture;
  meta.tokenizer_plugin = init.tokenizer_plugin;
  meta.plugins = std::move(labels);
  meta.seed = seed;
  return meta;
}

}  // namespace forge
