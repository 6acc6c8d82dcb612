#include "train/schedule.h"

#include <forge/error.h>

#include "recipe/recipe.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <deque>
#include <string>

namespace forge {
namespace {

ScheduleConfig shape(const std::string& decay, std::int64_t warmup, std::int64_t total) {
  ScheduleConfig config;
  config.decay = decay;
  config.warmup_steps = warmup;
  config.total_steps = total;
  config.min_lr_ratio = 0.1;
  return config;
}

// A `schedule:` section parsed from YAML and validated against schedule_schema().
ScheduleConfig from_yaml(const std::string& yaml, std::int64_t total_steps) {
  static std::deque<Node> roots;  // the Config points into its node
  Node root = Node::map();
  root.set("schedule", parse_yaml(yaml, "<test>"));
  validate(root, Schema{param::section("schedule", schedule_schema())}, test::plugins());
  roots.push_back(std::move(root));
  return schedule_from(Config(roots.back(), "").section("schedule"), total_steps);
}

TEST(Schedule, WarmupIsLinearFromPeakOverWarmup) {
  for (const char* decay : {"cosine", "linear", "constant", "wsd"}) {
    ScheduleConfig config = shape(decay, 10, 110);
    EXPECT_DOUBLE_EQ(learning_rate(2.0, config, 0), 0.2) << decay;
    EXPECT_DOUBLE_EQ(learning_rate(2.0, config, 4), 1.0) << decay;
    EXPECT_DOUBLE_EQ(learning_rate(2.0, config, 9), 2.0) << decay;
  }
}

TEST(Schedule, CosineValues) {
  ScheduleConfig config = shape("cosine", 10, 110);  // decays over steps 9..109
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 9), 1.0);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 34), 0.1 + 0.9 * 0.5 * (1 + std::sqrt(0.5)));
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 59), 0.55);
  EXPECT_NEAR(learning_rate(1.0, config, 109), 0.1, 1e-15);
  EXPECT_NEAR(learning_rate(1.0, config, 500), 0.1, 1e-15) << "stays at the minimum";
}

TEST(Schedule, LinearValues) {
  ScheduleConfig config = shape("linear", 10, 110);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 34), 0.775);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 59), 0.55);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 109), 0.1);
}

TEST(Schedule, ConstantValues) {
  ScheduleConfig config = shape("constant", 10, 110);
  for (std::int64_t step : {9, 10, 60, 109, 300}) EXPECT_EQ(learning_rate(3.0, config, step), 3.0);
}

TEST(Schedule, WsdHoldsThenDecaysOverTheFinalFraction) {
  ScheduleConfig config = shape("wsd", 10, 100);  // 20 decay steps: 80..99
  EXPECT_EQ(learning_rate(1.0, config, 10), 1.0);
  EXPECT_EQ(learning_rate(1.0, config, 79), 1.0);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 80), 1.0 - 0.9 / 20);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 89), 0.55);
  EXPECT_DOUBLE_EQ(learning_rate(1.0, config, 99), 0.1);
  config.decay_fraction = 1.0;  // decays over everything after warmup, like linear
  for (std::int64_t step = 0; step < 100; ++step) {
    EXPECT_DOUBLE_EQ(learning_rate(1.0, config, step),
                     learning_rate(1.0, shape("linear", 10, 100), step));
  }
}

TEST(Schedule, WithoutWarmupStartsAtPeak) {
  for (const char* decay : {"cosine", "linear", "wsd"}) {
    ScheduleConfig config = shape(decay, 0, 50);
    EXPECT_EQ(learning_rate(1.0, config, 0), 1.0) << decay;
    EXPECT_NEAR(learning_rate(1.0, config, 49), 0.1, 1e-15) << decay;
  }
  EXPECT_EQ(learning_rate(1.0, shape("cosine", 0, 1), 0), 1.0) << "one step: nothing to decay";
}

TEST(Schedule, RisesThenFalls) {
  for (const char* decay : {"cosine", "linear", "constant", "wsd"}) {
    for (std::int64_t warmup : {0, 1, 7, 40}) {
      ScheduleConfig config = shape(decay, warmup, 120);
      double previous = 0.0;
      for (std::int64_t step = 0; step < 130; ++step) {
        double lr = learning_rate(1.0, config, step);
        if (step < warmup) {
          EXPECT_GT(lr, previous) << decay << " warmup " << warmup << " step " << step;
        } else {
          if (step > 0) {
            EXPECT_LE(lr, previous + 1e-15) << decay << " warmup " << warmup << " step " << step;
          }
          EXPECT_GE(lr, 0.1 - 1e-15);
        }
        EXPECT_LE(lr, 1.0);
        previous = lr;
      }
    }
  }
}

TEST(Schedule, UnknownDecayIsAnError) {
  EXPECT_THROW(learning_rate(1.0, shape("exponential", 0, 10), 5), Error);
}

TEST(Schedule, SchemaDefaultsAndChecks) {
  ScheduleConfig config = from_yaml("{}", 1000);
  EXPECT_EQ(config.warmup_steps, 0);
  EXPECT_EQ(config.total_steps, 1000);
  EXPECT_EQ(config.decay, "cosine");
  EXPECT_DOUBLE_EQ(config.min_lr_ratio, 0.1);
  EXPECT_DOUBLE_EQ(config.decay_fraction, 0.2);

  config = from_yaml("{warmup_steps: 100, decay: wsd, min_lr_ratio: 0, decay_fraction: 0.5}", 1000);
  EXPECT_EQ(config.warmup_steps, 100);
  EXPECT_EQ(config.decay, "wsd");
  EXPECT_DOUBLE_EQ(config.min_lr_ratio, 0.0);
  EXPECT_DOUBLE_EQ(config.decay_fraction, 0.5);

  EXPECT_THROW(from_yaml("{decay: cosin}", 100), Error);
  EXPECT_THROW(from_yaml("{warmup_steps: -1}", 100), Error);
  EXPECT_THROW(from_yaml("{min_lr_ratio: 1.5}", 100), Error);
  EXPECT_THROW(from_yaml("{decay_fraction: 0}", 100), Error);
  EXPECT_THROW(from_yaml("{warmup: 10}", 100), Error);
  EXPECT_THROW(from_yaml("{}", 0), Error);
  try {
    from_yaml("{warmup_steps: 200}", 100);
    ADD_FAILURE() << "warmup longer than the run was accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("schedule.warmup_steps"), std::string::npos)
        << error.what();
  }
  for (const Param& param : schedule_schema().params) EXPECT_FALSE(param.help.empty());
}

}  // namespace
}  // namespace forge
