// The reward-hacking monitor: quiet while the judge agrees with the reward model or only
// wobbles, and a verdict naming the steps and scores when the reward model's score rises while
// the judge's falls at every evaluation of the window.
#include "stages/rlhf/hacking_monitor.h"

#include <gtest/gtest.h>

namespace forge {
namespace {

std::optional<std::string> feed(HackingMonitor& monitor,
                                const std::vector<std::pair<double, double>>& scores) {
  std::optional<std::string> verdict;
  std::int64_t step = 0;
  for (const auto& [rm, judge] : scores) {
    verdict = monitor.observe({step, rm, judge, 0.1 * static_cast<double>(step)});
    step += 10;
  }
  return verdict;
}

TEST(HackingMonitor, StaysQuietWhileTheJudgeAgrees) {
  HackingMonitor monitor({});
  EXPECT_FALSE(feed(monitor, {{0.1, 0.2}, {0.3, 0.3}, {0.5, 0.4}, {0.7, 0.45}}));
}

TEST(HackingMonitor, SeesTheRewardModelRiseWhileTheJudgeFalls) {
  HackingMonitor monitor({});
  // The judge peaks at step 20, then falls at steps 30 and 40 as the reward model climbs.
  EXPECT_FALSE(feed(monitor, {{0.1, 0.2}, {0.3, 0.3}, {0.5, 0.4}}));
  EXPECT_FALSE(monitor.observe({30, 0.8, 0.35, 1.0}));
  std::optional<std::string> verdict = monitor.observe({40, 1.2, 0.2, 2.5});
  ASSERT_TRUE(verdict);
  EXPECT_NE(verdict->find("from step 20 to 40"), std::string::npos) << *verdict;
  EXPECT_NE(verdict->find("rose 0.500 -> 1.200"), std::string::npos) << *verdict;
  EXPECT_NE(verdict->find("fell 0.400 -> 0.200"), std::string::npos) << *verdict;
  EXPECT_NE(verdict->find("its best was 0.400 at step 20"), std::string::npos) << *verdict;
  EXPECT_NE(verdict->find("KL to the reference 2.00 -> 2.50"), std::string::npos) << *verdict;
}

TEST(HackingMonitor, OneDipOfTheJudgeIsNoise) {
  HackingMonitor monitor({});
  // Down, then up again: not a fall at every evaluation of the window.
  EXPECT_FALSE(feed(monitor, {{0.1, 0.4}, {0.3, 0.3}, {0.5, 0.35}, {0.7, 0.34}}));
}

TEST(HackingMonitor, BothFallingIsABadRunNotHacking) {
  HackingMonitor monitor({});
  EXPECT_FALSE(feed(monitor, {{0.9, 0.5}, {0.6, 0.4}, {0.3, 0.3}}));
}

TEST(HackingMonitor, FallsSmallerThanMinFallDoNotCount) {
  HackingMonitorConfig config;
  config.min_fall = 0.05;
  HackingMonitor monitor(config);
  EXPECT_FALSE(feed(monitor, {{0.1, 0.50}, {0.3, 0.47}, {0.5, 0.44}}));
  HackingMonitor strict({});  // min_fall 0.02
  EXPECT_TRUE(feed(strict, {{0.1, 0.50}, {0.3, 0.47}, {0.5, 0.44}}));
}

TEST(HackingMonitor, AFallWithinTheJudgesSamplingNoiseIsNotHacking) {
  // The judge falls 0.835 -> 0.808 at every evaluation, but each score is +-0.025: the fall
  // from its best is 0.8 standard errors of the difference, short of z = 2.
  HackingMonitorConfig config;
  config.min_fall = 0.005;
  HackingMonitor monitor(config);
  EXPECT_FALSE(monitor.observe({25, 0.42, 0.835, 4.0, 0.025}));
  EXPECT_FALSE(monitor.observe({30, 0.55, 0.818, 6.5, 0.025}));
  EXPECT_FALSE(monitor.observe({35, 0.60, 0.808, 7.3, 0.025}));
  // The same falls measured on many more replies (+-0.005) are 3.8 standard errors.
  HackingMonitor precise(config);
  EXPECT_FALSE(precise.observe({25, 0.42, 0.835, 4.0, 0.005}));
  EXPECT_FALSE(precise.observe({30, 0.55, 0.818, 6.5, 0.005}));
  std::optional<std::string> verdict = precise.observe({35, 0.60, 0.808, 7.3, 0.005});
  ASSERT_TRUE(verdict);
  EXPECT_NE(verdict->find("3.8 standard errors higher"), std::string::npos) << *verdict;
}

TEST(HackingMonitor, AWiderWindowWaitsLonger) {
  HackingMonitorConfig config;
  config.window = 4;
  HackingMonitor monitor(config);
  EXPECT_FALSE(feed(monitor, {{0.1, 0.5}, {0.3, 0.4}, {0.5, 0.3}}));
  EXPECT_TRUE(monitor.observe({30, 0.7, 0.2, 0.0}));
}

}  // namespace
}  // namespace forge
