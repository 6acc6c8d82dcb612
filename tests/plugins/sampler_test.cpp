#include <forge/error.h>
#include <forge/random.h>
#include <forge/sampler.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Sampler> sampler(const std::string& name, const std::string& options = "") {
  return make_plugin<Sampler>("{plugin: " + name + (options.empty() ? "" : ", " + options) + "}");
}

std::vector<TokenId> run(const Sampler& sampler, const std::vector<float>& logits,
                         std::size_t vocab, Generator& generator) {
  std::vector<TokenId> out(logits.size() / vocab, -1);
  sampler.sample(logits, out.size(), vocab, generator, out);
  return out;
}

// `rows` copies of one row of logits.
std::vector<float> repeat(const std::vector<float>& row, std::size_t rows) {
  std::vector<float> out;
  for (std::size_t i = 0; i < rows; ++i) out.insert(out.end(), row.begin(), row.end());
  return out;
}

std::vector<float> log_probs(const std::vector<double>& probs) {
  std::vector<float> out;
  out.reserve(probs.size());
  for (double p : probs) out.push_back(static_cast<float>(std::log(p)));
  return out;
}

// How often each token came out of `draws` rows of the same logits.
std::vector<double> frequencies(const Sampler& sampler, const std::vector<float>& row,
                                std::size_t draws, std::uint64_t seed) {
  Generator generator(seed);
  std::vector<TokenId> ids = run(sampler, repeat(row, draws), row.size(), generator);
  std::vector<double> counts(row.size(), 0.0);
  for (TokenId id : ids) counts.at(static_cast<std::size_t>(id)) += 1.0;
  for (double& count : counts) count /= static_cast<double>(draws);
  return counts;
}

// Random logits with deliberate ties: values on a coarse grid.
std::vector<float> random_logits(std::size_t count, std::uint64_t seed) {
  Generator generator(seed);
  std::vector<float> out;
  for (std::size_t i = 0; i < count; ++i)
    out.push_back(static_cast<float>(std::floor(generator.uniform() * 8.0) - 4.0));
  return out;
}

void expect_distribution(const std::vector<double>& actual, const std::vector<double>& expected,
                         double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t id = 0; id < actual.size(); ++id) {
    if (expected[id] == 0.0) {
      EXPECT_EQ(actual[id], 0.0) << "token " << id << " must never be drawn";
    } else {
      EXPECT_NEAR(actual[id], expected[id], tolerance) << "token " << id;
    }
  }
}

TEST(GreedySampler, ArgmaxWithLowestIdOnTies) {
  auto greedy = sampler("greedy");
  const std::vector<float> logits = {1,  3,  3,  2,  //
                                     5,  5,  5,  5,  //
                                     -1, -2, -1, -3, 0, 0, 7, 7};
  Generator generator(1);
  EXPECT_EQ(run(*greedy, logits, 4, generator), (std::vector<TokenId>{1, 0, 0, 2}));
  EXPECT_EQ(generator.position(), 0u) << "greedy needs no draws";
}

TEST(TemperatureSampler, ZeroTemperatureEqualsGreedy) {
  auto greedy = sampler("greedy");
  auto cold = sampler("temperature", "temperature: 0");
  const std::size_t vocab = 37;
  std::vector<float> logits = random_logits(vocab * 50, 3);
  Generator a(9), b(9);
  std::vector<TokenId> expected = run(*greedy, logits, vocab, a);
  EXPECT_EQ(run(*cold, logits, vocab, b), expected);
  EXPECT_EQ(b.position(), 50u) << "one draw per row, even when it is not needed";
}

TEST(TemperatureSampler, TopKOneEqualsGreedy) {
  auto greedy = sampler("greedy");
  auto top1 = sampler("temperature", "temperature: 1.5, top_k: 1");
  const std::size_t vocab = 29;
  std::vector<float> logits = random_logits(vocab * 80, 4);
  Generator a(5), b(5);
  EXPECT_EQ(run(*top1, logits, vocab, b), run(*greedy, logits, vocab, a));
}

TEST(TemperatureSampler, SameSeedSameDraws) {
  auto hot = sampler("temperature", "temperature: 1.3, top_p: 0.95");
  const std::size_t vocab = 50;
  std::vector<float> logits = random_logits(vocab * 200, 6);
  Generator a(42), b(42), c(43);
  std::vector<TokenId> first = run(*hot, logits, vocab, a);
  EXPECT_EQ(run(*hot, logits, vocab, b), first);
  EXPECT_NE(run(*hot, logits, vocab, c), first);
  EXPECT_EQ(a.position(), 200u) << "exactly one draw per row";

  // Sampling in two calls continues the same stream.
  Generator d(42);
  std::vector<float> head(logits.begin(), logits.begin() + vocab * 120);
  std::vector<float> tail(logits.begin() + vocab * 120, logits.end());
  std::vector<TokenId> split = run(*hot, head, vocab, d);
  for (TokenId id : run(*hot, tail, vocab, d)) split.push_back(id);
  EXPECT_EQ(split, first);
}

TEST(TemperatureSampler, FrequenciesMatchSoftmax) {
  const std::vector<float> row = {1.0f, 2.0f, 0.5f, -1.0f, 3.0f, 2.0f};
  for (double temperature : {1.0, 0.7, 2.5}) {
    auto hot = sampler("temperature", "temperature: " + std::to_string(temperature));
    std::vector<double> softmax;
    softmax.reserve(row.size());
    double total = 0.0;
    for (float logit : row) total += std::exp(logit / temperature);
    for (float logit : row) softmax.push_back(std::exp(logit / temperature) / total);
    SCOPED_TRACE("temperature " + std::to_string(temperature));
    // 200k draws: a frequency's standard deviation is at most about 0.0011.
    expect_distribution(frequencies(*hot, row, 200000, 11), softmax, 0.006);
  }
}

TEST(TemperatureSampler, TopPKeepsTheNucleus) {
  // Sorted: token 1 (0.4), 3 (0.3), 4 (0.15), 0 (0.1), 2 (0.05). Reaching 0.75 needs three.
  const std::vector<double> probs = {0.1, 0.4, 0.05, 0.3, 0.15};
  std::vector<float> row = log_probs(probs);
  auto nucleus = sampler("temperature", "top_p: 0.75");
  expect_distribution(frequencies(*nucleus, row, 100000, 12),
                      {0.0, 0.4 / 0.85, 0.0, 0.3 / 0.85, 0.15 / 0.85}, 0.006);

  // The most probable token alone reaches 0.35.
  expect_distribution(frequencies(*sampler("temperature", "top_p: 0.35"), row, 1000, 13),
                      {0, 1, 0, 0, 0}, 0.0);

  // After top_k 2 the nucleus is measured on {0.4, 0.3} renormalised: 0.57 alone reaches 0.5.
  expect_distribution(frequencies(*sampler("temperature", "top_k: 2, top_p: 0.5"), row, 1000, 14),
                      {0, 1, 0, 0, 0}, 0.0);
  expect_distribution(frequencies(*sampler("temperature", "top_k: 2, top_p: 0.6"), row, 100000, 15),
                      {0.0, 0.4 / 0.7, 0.0, 0.3 / 0.7, 0.0}, 0.006);
}

TEST(TemperatureSampler, MinPDropsUnlikelyTokens) {
  // min_p 0.3 of the top 0.5 is 0.15: tokens 2 (0.1) and 3 (0.04) go, token 4 (0.16) stays.
  const std::vector<double> probs = {0.5, 0.2, 0.1, 0.04, 0.16};
  auto filtered = sampler("temperature", "min_p: 0.3");
  expect_distribution(frequencies(*filtered, log_probs(probs), 100000, 16),
                      {0.5 / 0.86, 0.2 / 0.86, 0.0, 0.0, 0.16 / 0.86}, 0.006);

  // Temperature comes first: at 0.5 the probabilities square, so 0.2 falls below 0.3 * top.
  auto sharp = sampler("temperature", "temperature: 0.5, min_p: 0.3");
  expect_distribution(frequencies(*sharp, log_probs(probs), 1000, 17), {1, 0, 0, 0, 0}, 0.0);
}

TEST(TemperatureSampler, NonFiniteLogitsNameTheRow) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  for (const char* name : {"greedy", "temperature"}) {
    auto any = sampler(name);
    for (float bad : {nan, inf, -inf}) {
      // Row 2, token 3 of four rows of six.
      std::vector<float> logits = random_logits(24, 18);
      logits[15] = bad;
      Generator generator(1);
      try {
        run(*any, logits, 6, generator);
        ADD_FAILURE() << name << " accepted " << bad;
      } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("row 2"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("token 3"), std::string::npos) << error.what();
      }
    }
  }
}

TEST(TemperatureSampler, SchemaRejectsBadSettings) {
  EXPECT_THROW(sampler("temperature", "temperature: -0.5"), Error);
  EXPECT_THROW(sampler("temperature", "top_p: 0"), Error);
  EXPECT_THROW(sampler("temperature", "top_p: 1.5"), Error);
  EXPECT_THROW(sampler("temperature", "top_k: -1"), Error);
  EXPECT_THROW(sampler("temperature", "min_p: 1"), Error);
  EXPECT_THROW(sampler("temperature", "min_p: -0.1"), Error);
  EXPECT_THROW(sampler("temperature", "top_q: 0.5"), Error);
  EXPECT_THROW(sampler("greedy", "temperature: 1"), Error);
  try {
    sampler("temperature", "top_p: 0");
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("top_p"), std::string::npos) << error.what();
  }
  EXPECT_NO_THROW(sampler("temperature", "temperature: 0, top_k: 5, top_p: 1, min_p: 0.99"));
}

}  // namespace
}  // namespace forge
