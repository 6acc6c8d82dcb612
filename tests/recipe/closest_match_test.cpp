#include "recipe/recipe.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace forge {
namespace {

std::vector<std::string> keys() { return {"optimizer", "steps", "stage", "length", "seed"}; }

TEST(ClosestMatch, FindsSmallTypos) {
  EXPECT_EQ(closest_match("optimiser", keys()), "optimizer");  // substitution
  EXPECT_EQ(closest_match("lenght", keys()), "length");        // transposition
  EXPECT_EQ(closest_match("stpes", keys()), "steps");          // transposition
  EXPECT_EQ(closest_match("sed", keys()), "seed");             // insertion
  EXPECT_EQ(closest_match("seeed", keys()), "seed");           // deletion
}

TEST(ClosestMatch, IgnoresCase) {
  EXPECT_EQ(closest_match("OPTIMIZER", keys()), "optimizer");
  EXPECT_EQ(closest_match("Stage", keys()), "stage");
}

TEST(ClosestMatch, AllowsAThirdOfTheWordAtLeastOne) {
  EXPECT_EQ(closest_match("optimzr", keys()), "optimizer");  // 2 edits, 7 / 3 = 2
  EXPECT_EQ(closest_match("optmzr", keys()), "");            // 3 edits, 6 / 3 = 2
  EXPECT_EQ(closest_match("stp", keys()), "");               // 2 edits, max(1, 3 / 3) = 1
  EXPECT_EQ(closest_match("x", {"y"}), "y");                 // 1 edit is always allowed
  EXPECT_EQ(closest_match("ab", {"ba"}), "ba");
  EXPECT_EQ(closest_match("abc", {"xyz"}), "");
  EXPECT_EQ(closest_match("zzz", keys()), "");
}

TEST(ClosestMatch, PrefersTheNearestThenTheEarliest) {
  EXPECT_EQ(closest_match("stape", keys()), "stage");  // stage is 1 away, steps 2
  EXPECT_EQ(closest_match("sxeps", {"steps", "sweps"}), "steps");
  EXPECT_EQ(closest_match("sxeps", {"sweps", "steps"}), "sweps");
}

TEST(ClosestMatch, HandlesEmptyInput) {
  EXPECT_EQ(closest_match("", {}), "");
  EXPECT_EQ(closest_match("abc", {}), "");
  EXPECT_EQ(closest_match("", {"a", "bc"}), "a");
  EXPECT_EQ(closest_match("a", {""}), "");
}

}  // namespace
}  // namespace forge
