#include "runs/run_data.h"
#include "runs/recipe_keys.h"
#include "runs/run_list.h"

#include <forge/error.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

namespace fs = std::filesystem;

fs::path fake_run(const fs::path& dir, const std::string& metrics, const std::string& recipe) {
  test::write_text(dir / "run.json", R"({"name": "fake", "stage": "pretrain", "status": "complete",
                                         "started": "2026-12-01T10:00:00Z"})");
  test::write_text(dir / "recipe.yaml", recipe);
  test::write_text(dir / "metrics.jsonl", metrics);
  return dir;
}

TEST(RunData, MetricsAreTheNumericFieldsAndAHalfWrittenLineIsSkipped) {
  fs::path dir = fake_run(test::temp_dir("run-data") / "a",
                          "{\"step\": 1, \"tokens\": 64, \"loss\": 3.0, \"elapsed_s\": 0.5}\n"
                          "{\"step\": 2, \"tokens\": 128, \"loss\": 2.0, \"val_loss\": 2.5, "
                          "\"note\": \"text\"}\n"
                          "{\"step\": 3, \"tokens\": 192, \"loss\": 2.5, \"val_loss\": 2.2}\n"
                          "{\"step\": 4, \"lo",
                          "stage: pretrain\n");
  RunData run = load_run(dir);
  EXPECT_EQ(run.name(), "fake");
  ASSERT_EQ(run.metrics.size(), 3u);
  EXPECT_EQ(metric_names(run), (std::vector<std::string>{"loss", "val_loss"}));
  std::vector<MetricPoint> points = metric_points(run, "val_loss");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].step, 2);
  EXPECT_EQ(points[0].tokens, 128);
  EXPECT_EQ(points[1].value, 2.2);
  MetricSummary loss = summarize_metric(run, "loss");
  EXPECT_EQ(loss.final_value, 2.5);
  EXPECT_EQ(loss.best_value, 2.0);
  EXPECT_EQ(loss.best_step, 2);
  EXPECT_EQ(default_metric(run), "val_loss");
  EXPECT_TRUE(lower_is_better("val_bpb"));
  EXPECT_FALSE(lower_is_better("pass@1"));
}

TEST(RunData, MissingMetricsAndUnknownMetricNamesAreClearErrors) {
  fs::path dir = test::temp_dir("run-data-errors");
  test::write_text(dir / "empty" / "run.json", "{\"status\": \"running\"}");
  try {
    load_run(dir / "empty");
    FAIL() << "a run without metrics.jsonl was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no metrics.jsonl"), std::string::npos) << e.what();
  }
  fs::path run = fake_run(dir / "b", "{\"step\": 1, \"loss\": 1.5, \"lr\": 0.1}\n", "");
  try {
    require_metric({load_run(run)}, "val_los");
    FAIL() << "an unknown metric was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("takes one of: loss, lr"), std::string::npos) << e.what();
  }
}

TEST(RecipeKeys, FlattensToKeyPathsAndFindsTheKeysThatDiffer) {
  FlatRecipe a = flatten_recipe_text(
      "stage: pretrain\noptimizer: {lr: 0.001, betas: [0.9, 0.95]}\n"
      "steps:\n  - {plugin: length, min_chars: 5}\nmodel: {n_layer: 2}\n",
      "a.yaml");
  EXPECT_EQ(a.at("optimizer.lr"), "0.001");
  EXPECT_EQ(a.at("optimizer.betas"), "[0.9, 0.95]");
  EXPECT_EQ(a.at("steps[0].min_chars"), "5");
  FlatRecipe b = a, c = a;
  b["optimizer.lr"] = "0.003";
  c.erase("model.n_layer");
  EXPECT_EQ(differing_keys({a, b, c}), (std::vector<std::string>{"model.n_layer", "optimizer.lr"}));
  EXPECT_TRUE(differing_keys({a, a}).empty());
  EXPECT_TRUE(differing_keys({a, b}, {"optimizer.lr"}).empty());
}

TEST(RunList, FindsRunsBelowAFolderOnceAndNotInsideThem) {
  fs::path root = test::temp_dir("run-list");
  fake_run(root / "x" / "20261201-100000", "", "");
  fake_run(root / "x" / "sweep" / "lr=1", "", "");
  test::write_text(root / "x" / "20261201-100000" / "checkpoints" / "inner" / "run.json", "{}");
  fs::create_directory_symlink(root / "x" / "20261201-100000", root / "x" / "latest");
  std::vector<fs::path> runs = find_runs(root);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], root / "x" / "20261201-100000");
  EXPECT_EQ(runs[1], root / "x" / "sweep" / "lr=1");
  EXPECT_EQ(expand_run_targets({root / "x" / "latest"}).size(), 1u) << "a link to a run is a run";
  EXPECT_THROW(expand_run_targets({root / "nothing"}), Error);
}

}  // namespace
}  // namespace forge
