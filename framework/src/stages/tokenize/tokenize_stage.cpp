#include "stages/tokenize/tokenize_stage.h"

#include <forge/error.h>
#include <forge/files.h>
#include <forge/log.h>

#include "io/token_shard.h"
#include "recipe/recipe.h"
#include "stages/data/data_job.h"

#include <cstdio>
#include <filesystem>

namespace forge {
namespace fs = std::filesystem;
namespace {

// Tokens in this run's committed shards in `folder`: one per finished task, named as the data
// job names tasks ("00007.bin"), so other files in a shared folder don't count.
std::uint64_t tokens_in(const fs::path& folder, std::size_t tasks) {
  std::uint64_t total = 0;
  for (std::size_t task = 0; task < tasks; ++task) {
    char name[32];
    std::snprintf(name, sizeof name, "%05zu.bin", task);
    if (fs::exists(folder / name)) total += TokenShard(folder / name).size();
  }
  return total;
}

// Runs the data job, then counts what it wrote: tokens per split, and text bytes per token.
class TokenizeJob : public StageJob {
 public:
  TokenizeJob(std::unique_ptr<StageJob> data_job, fs::path output)
      : data_job_(std::move(data_job)), output_(std::move(output)) {}

  void run(RunContext& context) override {
    data_job_->run(context);
    fs::path folder = output_.is_absolute() ? output_ : context.dir / output_;
    fs::path stats_file = context.dir / "stats.json";
    nlohmann::json stats = nlohmann::json::parse(read_file(stats_file));
    auto tasks = stats["tasks"].get<std::size_t>();
    std::uint64_t train = tokens_in(folder / "train", tasks);
    std::uint64_t val = tokens_in(folder / "val", tasks);
    auto documents = stats["write"]["in"].get<std::uint64_t>();
    auto bytes = stats["write"]["bytes_in"].get<std::uint64_t>();
    // Every document ends with one end-of-text id; the ratio counts the text's tokens only.
    std::uint64_t text_tokens = train + val - documents;
    double bytes_per_token = text_tokens ? static_cast<double>(bytes) / text_tokens : 0.0;
    stats["tokens"] = {{"train", train},
                       {"val", val},
                       {"documents", documents},
                       {"text_bytes", bytes},
                       {"bytes_per_token", bytes_per_token}};
    write_file_atomic(stats_file, stats.dump(2) + "\n");
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.3f", bytes_per_token);
    log_info("tokenize: ", train + val, " tokens written (train ", train, ", val ", val, ") from ",
             documents, " documents, ", text_tokens ? ratio : "n/a", " bytes per token; shards in ",
             folder.string());
  }

 private:
  std::unique_ptr<StageJob> data_job_;
  fs::path output_;
};

}  // namespace

Schema TokenizeStage::schema() const {
  return {
      param::plugin("input", PluginKind::dataset).required().doc("the dataset documents come from"),
      param::plugin("tokenizer", PluginKind::tokenizer)
          .required()
          .doc("the tokenizer documents are encoded with"),
      param::number("val_fraction")
          .fallback(0.01)
          .range(0, 1)
          .doc("share of documents, below 1, written to val/ instead of train/ (by id hash)"),
      param::string("output").fallback("tokens").doc(
          "folder the shards go to (train/ and val/ inside); relative paths: inside the run"),
      param::integer("workers").fallback(0).at_least(0).doc(
          "tasks run at once; 0 uses every core (or FORGE_THREADS)"),
  };
}

std::unique_ptr<StageJob> TokenizeStage::prepare(const Config& recipe,
                                                 const Registry& plugins) const {
  auto pipeline = std::make_shared<DataPipeline>();
  pipeline->stage = "tokenize";
  Config input = recipe.section("input");
  pipeline->input = plugins.create<Dataset>(input);
  pipeline->input_name = input.string("plugin");
  try {
    pipeline->shards = pipeline->input->shards();
  } catch (const Error& e) {
    input.fail("plugin", e.what());
  }
  if (pipeline->shards.empty()) input.fail({}, "the input has nothing to read");

  // The writer is a token_shards dataset made from this stage's keys, validated as a recipe's
  // section would be; its errors point at those keys.
  const Node& keys = recipe.node();
  Node section = Node::map(recipe.location());
  section.set("plugin", Node::scalar("token_shards", false, recipe.location("output")));
  section.set("path", *keys.find("output"));
  section.set("tokenizer", *keys.find("tokenizer"));
  section.set("val_fraction", *keys.find("val_fraction"));
  Node root = Node::map();
  root.set("writer", std::move(section));
  validate(root, Schema{param::plugin("writer", PluginKind::dataset).required()}, plugins);
  pipeline->output = plugins.create<Dataset>(Config(*root.find("writer"), recipe.path()));
  pipeline->output_name = "token_shards";
  return std::make_unique<TokenizeJob>(make_data_job(pipeline, recipe), recipe.string("output"));
}

}  // namespace forge
