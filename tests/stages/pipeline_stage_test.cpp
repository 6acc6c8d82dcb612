// The pipeline stage through the `forge` executable: stages that pass artifacts by name, one
// validation of every stage before the first starts, and a resume that skips finished stages.
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::read_jsonl;
using test::read_text;
using test::run_forge;
using test::write_text;

const std::string kTokenizer =
    std::string("{plugin: bytes, special_tokens: [") + test::kChatSpecialTokens + "]}";

// Three small text files, a few chats, and a pretrain recipe (its model in a base file) in
// dir/stages, away from the pipeline's folder dir/pipes.
void write_inputs(const fs::path& dir) {
  for (int f = 0; f < 3; ++f) {
    std::string text;
    for (int p = 0; p < 40; ++p)
      text += "Paragraph " + std::to_string(p) + " of file " + std::to_string(f) +
              ": the quick brown fox jumps over the lazy dog.\n\n";
    write_text(dir / "corpus" / ("f" + std::to_string(f) + ".txt"), text);
  }
  std::string chats;
  for (int n = 0; n < 20; ++n)
    chats += "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi " + std::to_string(n) +
             "\"}, {\"role\": \"assistant\", \"content\": \"Yo " + std::to_string(n) + "\"}]}\n";
  write_text(dir / "chats.jsonl", chats);
  write_text(dir / "stages" / "model.yaml",
             "model: {plugin: gpt2, n_layer: 1, n_head: 2, d_model: 16, context: 64}\n");
  write_text(dir / "stages" / "pre.yaml",
             "base: model.yaml\nstage: pretrain\nname: standalone\n"
             "tokenizer: " +
                 kTokenizer +
                 "\n"
                 "data:\n  train: {plugin: text, paths: ['nowhere/*.txt']}\n"
                 "train: {steps: 50, micro_batch: 2}\n");
}

// tokenize -> pretrain (from ../stages/pre.yaml, reading the tokenize stage's shards) -> sft
// (from the pretrain stage's last checkpoint).
fs::path write_pipeline(const fs::path& dir) {
  write_inputs(dir);
  write_text(dir / "pipes" / "tiny.yaml",
             "stage: pipeline\nname: tiny-pipe\ndescription: pipeline ${name}\nseed: 7\n"
             "stages:\n"
             "  - name: tok\n"
             "    stage: tokenize\n"
             "    input: {plugin: text_files, paths: ['corpus/*.txt'], mode: paragraph}\n"
             "    tokenizer: " +
                 kTokenizer +
                 "\n"
                 "    val_fraction: 0\n"
                 "    workers: 1\n"
                 "  - name: pre\n"
                 "    recipe: ../stages/pre.yaml\n"
                 "    description: ${name} for ${train.steps} steps\n"
                 "    data:\n"
                 "      train: {plugin: token_shards, paths: ['${stages.tok.dir}/tokens/train']}\n"
                 "  - name: sft\n"
                 "    stage: sft\n"
                 "    init: ${stages.pre.checkpoint}\n"
                 "    data: {train: [{plugin: conversations, paths: [chats.jsonl]}]}\n"
                 "    train: {steps: 3, micro_batch: 2}\n"
                 "    checkpoint: {every: 1, keep: 0}\n");
  return dir / "pipes" / "tiny.yaml";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void set_status(const fs::path& run, const std::string& status) {
  auto json = nlohmann::json::parse(read_text(run / "run.json"));
  json["status"] = status;
  write_text(run / "run.json", json.dump());
}

TEST(PipelineStage, RunsItsStagesInOrderPassingArtifactsAndResumesWhereItStopped) {
  auto dir = test::temp_dir("pipeline-run");
  auto recipe = write_pipeline(dir);
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto run = fs::path("P");
  // Given relative to the working folder, so `from:` below is too.
  ASSERT_EQ(recipe, dir / "pipes" / "tiny.yaml");
  auto result = run_forge(
      {"run", "pipes/tiny.yaml", "--run-dir", run.string(), "stages.1.train.steps=4"}, dir, env);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_TRUE(contains(result.output, "stage 1/3 'tok' (tokenize): starting")) << result.output;
  EXPECT_TRUE(contains(result.output, "stage 2/3 'pre' (pretrain): done in ")) << result.output;
  EXPECT_TRUE(contains(result.output, "stage 3/3 'sft' (sft): done in ")) << result.output;
  const fs::path p = dir / run;

  // The override reached the pretrain stage; last.h5 names each training stage's newest.
  ASSERT_TRUE(fs::is_symlink(p / "pre" / "checkpoints" / "last.h5"));
  EXPECT_EQ(fs::read_symlink(p / "pre" / "checkpoints" / "last.h5"), "step-00000004.h5");
  EXPECT_EQ(fs::read_symlink(p / "sft" / "checkpoints" / "last.h5"), "step-00000003.h5");
  EXPECT_FALSE(fs::exists(p / "tok" / "checkpoints"));
  std::string sft = read_text(p / "sft" / "recipe.yaml");
  EXPECT_TRUE(contains(sft, "init: P/pre/checkpoints/last.h5")) << sft;
  EXPECT_TRUE(contains(sft, "seed: 7")) << sft;
  // ${...} in a stage resolves against the stage's own recipe (the file's keys included).
  std::string pre = read_text(p / "pre" / "recipe.yaml");
  EXPECT_TRUE(contains(pre, "description: pre for 4 steps")) << pre;
  EXPECT_TRUE(contains(pre, "name: pre")) << pre;
  EXPECT_TRUE(contains(pre, "d_model: 16")) << pre;
  EXPECT_TRUE(contains(pre, "- P/tok/tokens/train")) << pre;
  // The pipeline's own recipe.yaml: top level resolved, stages inline and as written.
  std::string own = read_text(p / "recipe.yaml");
  EXPECT_TRUE(contains(own, "description: pipeline tiny-pipe")) << own;
  EXPECT_TRUE(contains(own, "from: stages/pre.yaml")) << own;
  EXPECT_TRUE(contains(own, "${stages.pre.checkpoint}")) << own;
  EXPECT_FALSE(contains(own, "$${")) << own;
  EXPECT_FALSE(contains(own, "recipe:")) << own;

  auto summary = nlohmann::json::parse(read_text(p / "report.json"));
  ASSERT_EQ(summary["stages"].size(), 3u);
  for (const auto& row : summary["stages"]) EXPECT_EQ(row["status"], "complete") << row;
  EXPECT_EQ(summary["stages"][1]["name"], "pre");
  EXPECT_EQ(summary["stages"][1]["stage"], "pretrain");
  EXPECT_EQ(summary["stages"][1]["run_dir"], "P/pre");
  EXPECT_TRUE(summary["stages"][2]["seconds"].is_number());
  auto metrics = read_jsonl(p / "metrics.jsonl");
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[2]["step"], 3);
  EXPECT_EQ(metrics[2]["name"], "sft");
  EXPECT_EQ(metrics[2]["stage"], "sft");
  EXPECT_TRUE(contains(read_text(p / "report.html"), "href=\"pre/report.html\""));
  EXPECT_TRUE(contains(read_text(p / "report.md"), "[sft/report.md](sft/report.md)"));
  EXPECT_TRUE(fs::exists(p / "pre" / "report.html"));
  EXPECT_TRUE(contains(read_text(p / "log.txt"), "stage 3/3 'sft' (sft): done in "));
  // Only the pipeline is a run of its own name.
  EXPECT_TRUE(fs::exists(dir / "runs" / "tiny-pipe" / "latest"));
  for (const char* stage : {"tok", "pre", "sft"}) EXPECT_FALSE(fs::exists(dir / "runs" / stage));

  // As if the last stage had failed after its second step: resume redoes only that stage,
  // from the pipeline's own recipe.yaml even though the recipe file has changed since.
  const fs::path shard = p / "tok" / "tokens" / "train" / "00000.bin";
  const fs::path checkpoint = p / "pre" / "checkpoints" / "step-00000004.h5";
  auto shard_time = fs::last_write_time(shard);
  auto checkpoint_time = fs::last_write_time(checkpoint);
  fs::remove(p / "sft" / "checkpoints" / "step-00000003.h5");
  set_status(p / "sft", "failed");
  set_status(p, "failed");
  write_text(p / "metrics.jsonl", metrics[0].dump() + "\n" + metrics[1].dump() + "\n");
  write_text(dir / "stages" / "pre.yaml", "stage: pretrain\nbroken: [\n");
  auto resumed = run_forge({"resume", run.string()}, dir, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "stage 1/3 'tok' already complete")) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "stage 2/3 'pre' already complete")) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "stage 3/3 'sft' (sft): resuming")) << resumed.output;
  EXPECT_EQ(fs::last_write_time(shard), shard_time);
  EXPECT_EQ(fs::last_write_time(checkpoint), checkpoint_time);
  EXPECT_TRUE(fs::exists(p / "sft" / "checkpoints" / "last.h5"));
  EXPECT_EQ(read_jsonl(p / "metrics.jsonl").size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(read_text(p / "run.json"))["status"], "complete");
  EXPECT_EQ(nlohmann::json::parse(read_text(p / "sft" / "run.json"))["status"], "complete");

  auto again = run_forge({"resume", run.string()}, dir, env);
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_TRUE(contains(again.output, "already complete")) << again.output;
}

// Rank 0 decides each stage's fate and writes the pipeline's files; every rank runs every stage.
TEST(PipelineStage, RunsAndResumesUnderTwoRanks) {
  if (!test::mpi_available()) GTEST_SKIP() << "this build has no MPI";
  auto dir = test::temp_dir("pipeline-ranks");
  write_inputs(dir);
  write_text(dir / "pipe.yaml",
             "stage: pipeline\nname: ranks\nstages:\n"
             "  - name: tok\n"
             "    stage: tokenize\n"
             "    input: {plugin: text_files, paths: ['corpus/*.txt'], mode: paragraph}\n"
             "    tokenizer: {plugin: bytes}\n"
             "    val_fraction: 0\n"
             "  - name: pre\n"
             "    stage: pretrain\n"
             "    tokenizer: {plugin: bytes}\n"
             "    data: {train: {plugin: token_shards, paths: ['${stages.tok.tokens}/train']}}\n"
             "    model: {plugin: gpt2, n_layer: 1, n_head: 2, d_model: 16, context: 32}\n"
             "    train: {steps: 4, micro_batch: 2}\n"
             "    checkpoint: {every: 2, keep: 0}\n");
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto result = test::run_forge_ranks(2, {"run", "pipe.yaml", "--run-dir", "P"}, dir, env);
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const fs::path p = dir / "P";
  EXPECT_EQ(fs::read_symlink(p / "pre" / "checkpoints" / "last.h5"), "step-00000004.h5");
  EXPECT_EQ(read_jsonl(p / "metrics.jsonl").size(), 2u);
  EXPECT_TRUE(fs::exists(p / "log.rank-1.txt"));
  EXPECT_TRUE(contains(read_text(p / "pre" / "log.txt"), "data parallel: 2 ranks"));

  fs::remove(p / "pre" / "checkpoints" / "step-00000004.h5");
  set_status(p / "pre", "failed");
  set_status(p, "failed");
  auto resumed = test::run_forge_ranks(2, {"resume", "P"}, dir, env);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "stage 1/2 'tok' already complete")) << resumed.output;
  EXPECT_TRUE(contains(resumed.output, "stage 2/2 'pre' (pretrain): resuming")) << resumed.output;
  EXPECT_EQ(fs::read_symlink(p / "pre" / "checkpoints" / "last.h5"), "step-00000004.h5");
  EXPECT_EQ(nlohmann::json::parse(read_text(p / "run.json"))["status"], "complete");
}

// A pipeline of two tokenize stages (cheap to validate, never run by these tests) with `first`
// and `second` as extra keys of each.
fs::path write_two_stages(const fs::path& dir, const std::string& first,
                          const std::string& second) {
  write_inputs(dir);
  const std::string keys =
      "    stage: tokenize\n"
      "    input: {plugin: text_files, paths: ['corpus/*.txt']}\n"
      "    tokenizer: {plugin: bytes}\n";
  write_text(dir / "pipe.yaml", "stage: pipeline\nname: two\nstages:\n  - name: tok\n" + keys +
                                    first + "  - name: again\n" + keys + second);
  return dir / "pipe.yaml";
}

TEST(PipelineStage, AReferenceToALaterOrUnknownStageFailsBeforeAnythingRuns) {
  auto dir = test::temp_dir("pipeline-references");
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto later = write_two_stages(dir, "    output: '${stages.again.dir}/x'\n", "");
  auto result = run_forge({"run", later.string()}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "stages[0] 'tok': " + later.string() +
                           ":8:13: output: '${stages.again.dir}' refers to stage 'again', which "
                           "runs later (stages[1]); a stage can use only the artifacts of the "
                           "stages before it (here: none)"))
      << result.output;

  auto itself = write_two_stages(dir, "", "    output: '${stages.again.tokens}'\n");
  result = run_forge({"validate", itself.string()}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "stages[1] 'again': ")) << result.output;
  EXPECT_TRUE(contains(result.output, "refers to this stage itself")) << result.output;

  auto typo = write_two_stages(dir, "", "    output: '${stages.tk.dir}/x'\n");
  result = run_forge({"run", typo.string()}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "refers to no stage 'tk'; did you mean 'tok'?"))
      << result.output;

  auto artifact = write_two_stages(dir, "", "    output: '${stages.tok.dri}/x'\n");
  result = run_forge({"run", artifact.string()}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "did you mean 'stages.tok.dir'?")) << result.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
}

TEST(PipelineStage, ABadKeyInTheLastStageFailsBeforeTheFirstRuns) {
  auto dir = test::temp_dir("pipeline-bad-key");
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto recipe = write_pipeline(dir);
  auto result = run_forge({"run", recipe.string(), "stages.2.train.micro_bach=2"}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "stages[2] 'sft': override 'stages.2.train.micro_bach=2': "
                       "train.micro_bach: unknown key 'micro_bach'; did you mean 'micro_batch'?"))
      << result.output;
  // A bad value in a stage's recipe file names that file and line.
  write_text(dir / "stages" / "pre.yaml",
             read_text(dir / "stages" / "pre.yaml") + "optimizer: {lr: fast}\n");
  result = run_forge({"validate", recipe.string()}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output, "stages[1] 'pre': " + (dir / "stages" / "pre.yaml").string() +
                                          ":8:17: optimizer.lr: "))
      << result.output;
  result = run_forge({"run", recipe.string(), "--dry-run", "stages.0.stage=tokenise"}, dir, env);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_TRUE(contains(result.output,
                       "stages[0] 'tok': override 'stages.0.stage=tokenise': "
                       "stage: unknown stage 'tokenise'; did you mean 'tokenize'?"))
      << result.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
  EXPECT_FALSE(fs::exists(dir / "P"));
}

TEST(PipelineStage, ValidateAndDryRunCheckEveryStageAndStartNothing) {
  auto dir = test::temp_dir("pipeline-validate");
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto recipe = write_pipeline(dir);
  auto validated = run_forge({"validate", recipe.string(), "stages.1.train.steps=9"}, dir, env);
  ASSERT_EQ(validated.exit_code, 0) << validated.output;
  EXPECT_TRUE(contains(validated.output, "stage: pipeline")) << validated.output;
  EXPECT_TRUE(contains(validated.output, "init: \"${stages.pre.checkpoint}\"")) << validated.output;
  EXPECT_TRUE(contains(validated.output, "steps: 9")) << validated.output;
  EXPECT_TRUE(contains(validated.output, "d_model: 16")) << validated.output;
  // The override reaches the stage's own validation.
  auto zero = run_forge({"validate", recipe.string(), "stages.1.train.steps=0"}, dir, env);
  EXPECT_EQ(zero.exit_code, 2) << zero.output;
  EXPECT_TRUE(contains(zero.output,
                       "stages[1] 'pre': override 'stages.1.train.steps=0': "
                       "train.steps: "))
      << zero.output;
  auto dry = run_forge({"run", recipe.string(), "--dry-run"}, dir, env);
  EXPECT_EQ(dry.exit_code, 0) << dry.output;
  EXPECT_TRUE(contains(dry.output, "would run")) << dry.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
}

// The sft stage's init is the pretrain stage's checkpoint, which validation has not got: the
// context it will have comes from the pretrain stage's model (64 tokens).
TEST(PipelineStage, ValidationChecksALaterStagesBatchAgainstTheModelAnEarlierOneWillWrite) {
  auto dir = test::temp_dir("pipeline-batch");
  const std::vector<std::string> env = {"FORGE_RUNS_DIR=" + (dir / "runs").string()};
  auto recipe = write_pipeline(dir);
  auto batch =
      run_forge({"validate", recipe.string(), "stages.2.train.batch_tokens=100"}, dir, env);
  EXPECT_EQ(batch.exit_code, 2) << batch.output;
  EXPECT_TRUE(contains(batch.output,
                       "stages[2] 'sft': override 'stages.2.train.batch_tokens=100': "
                       "train.batch_tokens: 100 is not a multiple of micro_batch * seq_len = "
                       "128; try 128 (seq_len 0 means the model's context, 64)"))
      << batch.output;
  auto longer = run_forge({"run", recipe.string(), "stages.2.train.seq_len=80"}, dir, env);
  EXPECT_EQ(longer.exit_code, 2) << longer.output;
  EXPECT_TRUE(contains(longer.output, "sequences of 80 tokens exceed the model's context of 64"))
      << longer.output;
  EXPECT_FALSE(fs::exists(dir / "runs"));
  auto fits = run_forge({"validate", recipe.string(), "stages.2.train.batch_tokens=256"}, dir, env);
  EXPECT_EQ(fits.exit_code, 0) << fits.output;
}

TEST(PipelineStage, RefusesBadStageNamesAndPipelinesInsidePipelines) {
  auto dir = test::temp_dir("pipeline-names");
  auto twice = write_two_stages(dir, "", "");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"stages.1.name=tok",
       "stages[1].name: 'tok' already names stages[0]; every stage needs a name of its own"},
      {"stages.1.name=a/b", "stages[1].name: 'a/b' can't name a run folder"},
      {"~stages.0.name", "stages[0]: missing required key 'name'"},
      {"stages.1.stage=pipeline",
       "stages[1] 'again': override 'stages.1.stage=pipeline': "
       "stage: a pipeline can't run inside a pipeline"},
      {"stages=[]", "stages: the pipeline lists no stages"},
      {"stages.0.recipe=missing.yaml",
       "stages[0] 'tok': override 'stages.0.recipe=missing.yaml': "
       "recipe: missing.yaml: no such file"},
  };
  for (const auto& [override_arg, message] : cases) {
    auto result = run_forge({"validate", twice.string(), override_arg}, dir);
    EXPECT_EQ(result.exit_code, 2) << override_arg << "\n" << result.output;
    EXPECT_TRUE(contains(result.output, message)) << override_arg << "\n" << result.output;
  }
}

}  // namespace
}  // namespace forge
