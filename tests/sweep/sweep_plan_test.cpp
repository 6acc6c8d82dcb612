#include "sweep/sweep_plan.h"

#include <forge/error.h>

#include <gtest/gtest.h>

#include <set>

namespace forge {
namespace {

TEST(SweepPlan, CommasInsideBracketsAndQuotesAreOneValue) {
  EXPECT_EQ(split_values("1e-3,3e-3"), (std::vector<std::string>{"1e-3", "3e-3"}));
  EXPECT_EQ(split_values("[0.9,0.95],[0.8,0.9]"),
            (std::vector<std::string>{"[0.9,0.95]", "[0.8,0.9]"}));
  EXPECT_EQ(split_values("'a,b',c"), (std::vector<std::string>{"'a,b'", "c"}));
  EXPECT_EQ(split_values("{x: 1, y: 2}"), (std::vector<std::string>{"{x: 1, y: 2}"}));
}

TEST(SweepPlan, ListsBecomeAxesAndSingleValuesApplyToEveryRun) {
  SweepSpace space = parse_sweep_space(
      {"optimizer.lr=1e-3,3e-3", "train.steps=5", "~sample", "model.n_layer=1,2,4"});
  ASSERT_EQ(space.axes.size(), 2u);
  EXPECT_EQ(space.axes[0].key, "optimizer.lr");
  EXPECT_EQ(space.axes[1].values, (std::vector<std::string>{"1", "2", "4"}));
  EXPECT_EQ(space.fixed, (std::vector<std::string>{"train.steps=5", "~sample"}));
}

TEST(SweepPlan, BadOverridesSayWhatToWrite) {
  auto message = [](const std::vector<std::string>& overrides) {
    try {
      parse_sweep_space(overrides);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message({"lr=1e-3,,3e-3"}).find("has an empty value"), std::string::npos);
  EXPECT_NE(message({"lr="}).find("has an empty value"), std::string::npos);
  EXPECT_NE(message({"lr"}).find("is not key=value"), std::string::npos);
  EXPECT_NE(message({"lr=1,2", "lr=3,4"}).find("given twice"), std::string::npos);
}

TEST(SweepPlan, GridIsTheCartesianProductFirstAxisSlowest) {
  std::vector<Assignment> all = grid({{"a", {"1", "2"}}, {"b", {"x", "y", "z"}}});
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(all[0], (Assignment{{"a", "1"}, {"b", "x"}}));
  EXPECT_EQ(all[2], (Assignment{{"a", "1"}, {"b", "z"}}));
  EXPECT_EQ(all[5], (Assignment{{"a", "2"}, {"b", "z"}}));
}

TEST(SweepPlan, RandomSamplesAreDistinctSeededAndInGridOrder) {
  std::vector<SweepAxis> axes = {{"a", {"1", "2", "3", "4"}}, {"b", {"1", "2", "3", "4", "5"}}};
  std::vector<Assignment> one = sample_grid(axes, 7, 42), again = sample_grid(axes, 7, 42);
  EXPECT_EQ(one, again);
  ASSERT_EQ(one.size(), 7u);
  std::set<Assignment> distinct(one.begin(), one.end());
  EXPECT_EQ(distinct.size(), 7u);
  std::vector<Assignment> all = grid(axes);
  std::size_t last = 0;
  for (const Assignment& a : one) {
    std::size_t at = static_cast<std::size_t>(std::find(all.begin(), all.end(), a) - all.begin());
    EXPECT_TRUE(at >= last);
    last = at;
  }
  EXPECT_NE(sample_grid(axes, 7, 43), one) << "another seed draws other combinations";
  EXPECT_EQ(sample_grid(axes, 100, 1).size(), 20u) << "never more than the grid";
}

TEST(SweepPlan, SeedsRepeatEachCombination) {
  std::vector<Assignment> runs = with_seeds(grid({{"a", {"1", "2"}}}), 3);
  ASSERT_EQ(runs.size(), 6u);
  EXPECT_EQ(runs[0], (Assignment{{"a", "1"}, {"seed", "1"}}));
  EXPECT_EQ(runs[5], (Assignment{{"a", "2"}, {"seed", "3"}}));
  EXPECT_EQ(with_seeds(runs, 0).size(), 6u);
}

TEST(SweepPlan, NamesUseShortKeysUnlessTheyCollide) {
  EXPECT_EQ(run_name({{"optimizer.lr", "1e-3"}, {"model.n_layer", "2"}}), "lr=1e-3,n_layer=2");
  EXPECT_EQ(run_name({{"model.dropout", "0.1"}, {"data.dropout", "0"}}),
            "model.dropout=0.1,data.dropout=0");
  EXPECT_EQ(run_name({{"optimizer.betas", "[0.9, 0.95]"}}), "betas=_0.9,_0.95_");
  EXPECT_EQ(run_name({{"path", "a/b"}}), "path=a_b") << "no folder separators";
  std::vector<PlannedRun> runs = plan_runs({{{"x", "a/b"}}, {{"x", "a_b"}}});
  EXPECT_EQ(runs[0].name, "x=a_b");
  EXPECT_EQ(runs[1].name, "x=a_b-2") << "names stay distinct";
  EXPECT_EQ(runs[0].overrides(), (std::vector<std::string>{"x=a/b"}));
}

}  // namespace
}  // namespace forge
