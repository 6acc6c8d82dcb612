// The generation engine: KV-cache decoding equals full recomputation token for token, seeded
// draws, stop tokens, limits and errors.
#include <forge/sampler.h>

#include <forge/ops.h>

#include "engine/generate.h"
#include "support/test_support.h"
#include "support/tiny_models.h"
#include "train/optimizer.h"

#include <gtest/gtest.h>

#include <set>

namespace forge {
namespace {

using test::make_plugin;
using test::tiny_model;

const char* kLongGpt2 = "{plugin: gpt2, n_layer: 2, n_head: 2, d_model: 16, context: 64}";
const char* kLongLlama =
    "{plugin: llama, n_layer: 2, n_head: 4, n_kv_head: 2, d_model: 16, context: 64}";

constexpr std::int64_t kVocab = 29;

// Trains the model on sequences where each id follows from the last, next = 3 id + 1 mod 29
// (a cycle through 28 ids), so greedy decoding walks a long varied path instead of repeating
// one token, and a wrong cache shows up.
void learn_a_cycle(Model& model) {
  AdamW optimizer(model, AdamWConfig{3e-2, 0.9, 0.95, 1e-8, 0.0, {}});
  const std::int64_t B = 4, T = 32;
  for (int step = 0; step < 150; ++step) {
    std::vector<std::int32_t> ids(B * (T + 1));
    for (std::int64_t b = 0; b < B; ++b) {
      ids[b * (T + 1)] = static_cast<std::int32_t>((step * 7 + b * 5) % kVocab);
      for (std::int64_t t = 1; t <= T; ++t)
        ids[b * (T + 1) + t] = (3 * ids[b * (T + 1) + t - 1] + 1) % kVocab;
    }
    Tensor all = Tensor::from_ints(ids, {B, T + 1});
    Tensor logits = model.forward(all.slice(1, 0, T).contiguous());
    optimizer.zero_grad();
    ops::cross_entropy(logits.reshape({-1, kVocab}),
                       all.slice(1, 1, T + 1).contiguous().reshape({-1}))
        .backward();
    optimizer.step(3e-2);
  }
}

GenerationRequest three_prompts(std::int64_t max_tokens) {
  GenerationRequest request;
  request.prompts = {{1, 2, 3}, {4}, {5, 6, 7}};
  request.max_tokens = max_tokens;
  request.seed = 42;
  return request;
}

void expect_cache_equals_recompute(const std::string& section) {
  auto model = tiny_model(section, kVocab, DType::f32, 3);
  learn_a_cycle(*model);
  auto greedy = make_plugin<Sampler>("{plugin: greedy}");
  GenerationRequest request = three_prompts(40);
  auto cached = generate(*model, *greedy, request);
  request.use_cache = false;
  auto recomputed = generate(*model, *greedy, request);
  ASSERT_EQ(cached.size(), 3u);
  for (std::size_t row = 0; row < cached.size(); ++row) {
    EXPECT_EQ(cached[row].tokens.size(), 40u);
    EXPECT_EQ(cached[row].tokens, recomputed[row].tokens) << "row " << row;
    EXPECT_EQ(cached[row].finish, "length");
    std::set<TokenId> distinct(cached[row].tokens.begin(), cached[row].tokens.end());
    EXPECT_GE(distinct.size(), 5u) << "row " << row << " barely varies; the check would be weak";
  }
}

TEST(Generate, GreedyWithTheCacheEqualsRecomputationGpt2) {
  expect_cache_equals_recompute(kLongGpt2);
}
TEST(Generate, GreedyWithTheCacheEqualsRecomputationLlama) {
  expect_cache_equals_recompute(kLongLlama);
}

TEST(Generate, SeededDrawsRepeatAndDoNotDependOnTheBatch) {
  auto model = tiny_model(kLongGpt2, 29);
  auto sampler = make_plugin<Sampler>("{plugin: temperature, temperature: 1.5}");
  GenerationRequest request = three_prompts(20);
  auto first = generate(*model, *sampler, request);
  auto again = generate(*model, *sampler, request);
  for (std::size_t row = 0; row < 3; ++row) EXPECT_EQ(first[row].tokens, again[row].tokens);
  EXPECT_NE(first[0].tokens, first[2].tokens);  // same length, different prompts and draws
  // Row 2 alone, still row 2 of its request's numbering, decodes the same.
  GenerationRequest alone = request;
  alone.prompts = {{9}, {9}, {5, 6, 7}};
  EXPECT_EQ(generate(*model, *sampler, alone)[2].tokens, first[2].tokens);
  request.seed = 43;
  EXPECT_NE(generate(*model, *sampler, request)[0].tokens, first[0].tokens);
}

TEST(Generate, StopsAtAStopTokenAndAtTheContext) {
  auto model = tiny_model(kLongGpt2, 29);
  auto greedy = make_plugin<Sampler>("{plugin: greedy}");
  GenerationRequest request = three_prompts(10);
  auto free_run = generate(*model, *greedy, request);
  request.stop_tokens = {free_run[0].tokens[2]};
  auto stopped = generate(*model, *greedy, request);
  const auto& row = stopped[0].tokens;
  EXPECT_EQ(stopped[0].finish, "stop");
  EXPECT_EQ(row.back(), free_run[0].tokens[2]);
  EXPECT_LE(row.size(), 3u);
  GenerationRequest longer;
  longer.prompts = {std::vector<TokenId>(60, 1)};
  longer.max_tokens = 10;
  auto capped = generate(*model, *greedy, longer);
  EXPECT_EQ(capped[0].tokens.size(), 4u);  // 64 - 60
  EXPECT_EQ(capped[0].finish, "context");
}

TEST(Generate, StreamsEveryTokenOnce) {
  auto model = tiny_model(kLongGpt2, 29);
  auto greedy = make_plugin<Sampler>("{plugin: greedy}");
  std::vector<std::vector<TokenId>> streamed(3);
  auto rows = generate(*model, *greedy, three_prompts(7),
                       [&](std::size_t row, TokenId id) { streamed.at(row).push_back(id); });
  for (std::size_t row = 0; row < 3; ++row) EXPECT_EQ(streamed[row], rows[row].tokens);
}

TEST(Generate, RefusesEmptyLongAndOutOfVocabularyPrompts) {
  auto model = tiny_model(kLongGpt2, 29);
  auto greedy = make_plugin<Sampler>("{plugin: greedy}");
  GenerationRequest request;
  request.prompts = {{}};
  EXPECT_THROW(generate(*model, *greedy, request), Error);
  request.prompts = {std::vector<TokenId>(64, 1)};
  EXPECT_THROW(generate(*model, *greedy, request), Error);
  request.prompts = {{29}};
  try {
    generate(*model, *greedy, request);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("outside the model's vocabulary of 29"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace forge
