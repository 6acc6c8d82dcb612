// The gpt2 and llama architectures: Hugging Face names and shapes, a gradient check of the
// whole model against finite differences, and KV-cache decoding against one full pass.
#include <forge/autograd.h>
#include <forge/ops.h>

#include "core/tensor_impl.h"
#include "support/tiny_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace forge {
namespace {

using test::tiny_model;

std::map<std::string, Shape> shapes_of(Model& model) {
  std::map<std::string, Shape> out;
  for (const auto& [name, tensor] : model.parameters()) out[name] = tensor.shape();
  return out;
}

Tensor random_ids(std::int64_t B, std::int64_t T, std::int64_t vocab, std::uint64_t seed) {
  Generator g(seed);
  std::vector<std::int32_t> ids(static_cast<std::size_t>(B * T));
  for (auto& id : ids) id = static_cast<std::int32_t>(g.next_u64() % vocab);
  return Tensor::from_ints(ids, {B, T});
}

TEST(Gpt2, HasHuggingFaceNamesShapesAndAPaddedVocabulary) {
  auto model = tiny_model(test::kTinyGpt2, 13);
  auto shapes = shapes_of(*model);
  EXPECT_EQ(model->parameters().size(), 2u + 12u * 2 + 2);
  EXPECT_EQ(shapes.at("transformer.wte.weight"), (Shape{16, 8}));  // 13 rounded up to 8s
  EXPECT_EQ(shapes.at("transformer.wpe.weight"), (Shape{12, 8}));
  EXPECT_EQ(shapes.at("transformer.h.1.attn.c_attn.weight"), (Shape{8, 24}));  // Conv1D [in, out]
  EXPECT_EQ(shapes.at("transformer.h.1.attn.c_proj.bias"), (Shape{8}));
  EXPECT_EQ(shapes.at("transformer.h.0.mlp.c_fc.weight"), (Shape{8, 32}));
  EXPECT_EQ(shapes.at("transformer.h.0.mlp.c_proj.weight"), (Shape{32, 8}));
  EXPECT_EQ(shapes.at("transformer.ln_f.bias"), (Shape{8}));
  EXPECT_EQ(shapes.count("lm_head.weight"), 0u);  // tied to wte
  EXPECT_EQ(model->shape().vocab_size, 13);
  EXPECT_EQ(model->shape().padded_vocab, 16);
  Tensor logits = model->forward(random_ids(2, 5, 13, 1));
  EXPECT_EQ(logits.shape(), (Shape{2, 5, 13}));  // padding rows never score
  EXPECT_TRUE(model->decays("transformer.h.0.mlp.c_fc.weight"));
  EXPECT_FALSE(model->decays("transformer.wte.weight"));
  EXPECT_FALSE(model->decays("transformer.h.0.ln_1.weight"));
}

TEST(Llama, HasHuggingFaceNamesAndGroupedKvShapes) {
  auto model = tiny_model(test::kTinyLlama, 11);
  auto shapes = shapes_of(*model);
  EXPECT_EQ(shapes.at("model.embed_tokens.weight"), (Shape{11, 16}));
  EXPECT_EQ(shapes.at("model.layers.1.self_attn.q_proj.weight"), (Shape{16, 16}));  // [out, in]
  EXPECT_EQ(shapes.at("model.layers.1.self_attn.k_proj.weight"), (Shape{8, 16}));   // 2 kv heads
  EXPECT_EQ(shapes.at("model.layers.0.mlp.gate_proj.weight"), (Shape{24, 16}));
  EXPECT_EQ(shapes.at("model.layers.0.mlp.down_proj.weight"), (Shape{16, 24}));
  EXPECT_EQ(shapes.at("model.layers.0.post_attention_layernorm.weight"), (Shape{16}));
  EXPECT_EQ(shapes.at("model.norm.weight"), (Shape{16}));
  EXPECT_EQ(shapes.at("lm_head.weight"), (Shape{11, 16}));
  EXPECT_EQ(model->forward(random_ids(1, 4, 11, 2)).shape(), (Shape{1, 4, 11}));
  auto tied = tiny_model(
      "{plugin: llama, n_layer: 1, n_head: 2, d_model: 8, context: 4, tie_embeddings: true}", 11);
  EXPECT_EQ(shapes_of(*tied).count("lm_head.weight"), 0u);
  // SwiGLU's default width: 8/3 * 8 = 22 rounded up to a multiple of 64.
  EXPECT_EQ(shapes_of(*tied).at("model.layers.0.mlp.up_proj.weight"), (Shape{64, 8}));
}

TEST(Architectures, RefuseIdsPastTheContextAndBadWidths) {
  auto model = tiny_model(test::kTinyGpt2, 13);
  EXPECT_THROW(model->forward(random_ids(1, 13, 13, 3)), Error);
  EXPECT_THROW(tiny_model("{plugin: gpt2, n_head: 3, d_model: 8}", 13), Error);
  EXPECT_THROW(tiny_model("{plugin: llama, n_head: 4, n_kv_head: 3, d_model: 16}", 13), Error);
  EXPECT_THROW(tiny_model("{plugin: llama, n_head: 4, d_model: 12}", 13), Error);  // odd head
}

// Every parameter's gradient of the mean cross-entropy, checked in float64 against central
// finite differences at a few random elements.
void check_gradients(const std::string& section, std::int64_t vocab) {
  auto model = tiny_model(section, vocab, DType::f64, 11);
  Tensor ids = random_ids(2, 7, vocab, 5), targets = random_ids(2, 7, vocab, 6);
  auto loss = [&] {
    Tensor logits = model->forward(ids);
    return ops::cross_entropy(logits.reshape({-1, vocab}), targets.reshape({-1}));
  };
  loss().backward();
  NoGradGuard no_grad;
  Generator g(3);
  for (const auto& [name, param] : model->parameters()) {
    ASSERT_TRUE(param.grad().defined()) << name << " got no gradient";
    std::vector<double> analytic = param.grad().to_doubles();
    double* data = param.data<double>();
    for (int probe = 0; probe < 4; ++probe) {
      auto j = static_cast<std::size_t>(g.next_u64() % analytic.size());
      if (name == "transformer.wte.weight" && j >= static_cast<std::size_t>(vocab * 8)) continue;
      const double saved = data[j], step = 1e-6;
      data[j] = saved + step;
      const double up = loss().item();
      data[j] = saved - step;
      const double down = loss().item();
      data[j] = saved;
      const double numeric = (up - down) / (2 * step);
      EXPECT_LE(std::abs(analytic[j] - numeric) / std::max(1.0, std::abs(numeric)), 1e-6)
          << name << "[" << j << "]: autograd " << analytic[j] << ", finite differences "
          << numeric;
    }
  }
}

TEST(Gpt2, WholeModelPassesAGradientCheck) { check_gradients(test::kTinyGpt2, 13); }
TEST(Llama, WholeModelPassesAGradientCheck) { check_gradients(test::kTinyLlama, 11); }

// Prefill a few positions, then one token at a time through the cache: the logits of every
// position equal those of one pass over the whole sequence.
void check_cache(const std::string& section, std::int64_t vocab) {
  auto model = tiny_model(section, vocab, DType::f64, 13);
  NoGradGuard no_grad;
  const std::int64_t B = 2, T = 10, prefill = 4;
  Tensor ids = random_ids(B, T, vocab, 9);
  std::vector<double> full = model->forward(ids).to_doubles();
  KVCache cache(model->shape(), B, T, DType::f64, Device::cpu());
  std::vector<std::vector<double>> pieces;
  pieces.push_back(model->forward(ids.slice(1, 0, prefill), &cache).to_doubles());
  for (std::int64_t t = prefill; t < T; ++t)
    pieces.push_back(model->forward(ids.slice(1, t, t + 1), &cache).to_doubles());
  EXPECT_EQ(cache.length(), T);
  // Reassemble [B, T, V] from the pieces, which are [B, t_i, V].
  std::vector<std::int64_t> starts = {0};
  for (std::int64_t t = prefill; t <= T; ++t) starts.push_back(t);
  for (std::int64_t b = 0; b < B; ++b)
    for (std::size_t p = 0; p < pieces.size(); ++p) {
      const std::int64_t t0 = starts[p], n = starts[p + 1] - t0;
      for (std::int64_t t = 0; t < n; ++t)
        for (std::int64_t v = 0; v < vocab; ++v)
          ASSERT_NEAR(pieces[p][static_cast<std::size_t>((b * n + t) * vocab + v)],
                      full[static_cast<std::size_t>((b * T + t0 + t) * vocab + v)], 1e-10)
              << "row " << b << " position " << t0 + t;
    }
}

TEST(Gpt2, CachedDecodingMatchesOneFullPass) { check_cache(test::kTinyGpt2, 13); }
TEST(Llama, CachedDecodingMatchesOneFullPass) { check_cache(test::kTinyLlama, 11); }

// Two documents packed into one row with document_starts give each document's logits as if it
// were alone at position 0.
void check_packing(const char* yaml, std::int64_t vocab) {
  auto model = tiny_model(yaml, vocab);
  const std::int64_t first = 5, second = 7, T = first + second;
  Tensor ids = random_ids(1, T, vocab, 4);
  std::vector<std::int32_t> starts(T, 0);
  for (std::int64_t t = first; t < T; ++t) starts[t] = static_cast<std::int32_t>(first);
  ForwardOptions options;
  options.document_starts = Tensor::from_ints(starts, {1, T});
  std::vector<double> packed = model->forward(ids, options).to_doubles();
  std::vector<double> alone = model->forward(ids.slice(1, 0, first).contiguous()).to_doubles();
  std::vector<double> next = model->forward(ids.slice(1, first, T).contiguous()).to_doubles();
  alone.insert(alone.end(), next.begin(), next.end());
  ASSERT_EQ(packed.size(), alone.size());
  for (std::size_t i = 0; i < packed.size(); ++i)
    EXPECT_NEAR(packed[i], alone[i], 1e-5) << "logit " << i;
  // Without the starts the second document reads the first: the logits differ.
  std::vector<double> unmasked = model->forward(ids).to_doubles();
  EXPECT_GT(std::abs(unmasked.back() - alone.back()), 1e-6);
}

TEST(Gpt2, PackedDocumentsSeeOnlyThemselves) { check_packing(test::kTinyGpt2, 13); }
TEST(Llama, PackedDocumentsSeeOnlyThemselves) { check_packing(test::kTinyLlama, 11); }

// options.features gives the hidden states the head reads: the logits are them times the head
// (lm_head, or the tied embedding's unpadded rows).
void check_features(const char* yaml, std::int64_t vocab, const std::string& head_name) {
  auto model = tiny_model(yaml, vocab);
  Tensor ids = random_ids(2, 5, vocab, 6);
  ForwardOptions options;
  options.features = true;
  Tensor features = model->forward(ids, options);
  const std::int64_t C = model->shape().d_model;
  ASSERT_EQ(features.shape(), (Shape{2, 5, C}));
  Tensor head;
  for (const auto& [name, tensor] : model->parameters())
    if (name == "lm_head.weight" || (name == head_name && !head.defined()))
      head = tensor.slice(0, 0, vocab);
  std::vector<double> expected =
      ops::matmul(features.reshape({10, C}), head, false, true).to_doubles();
  std::vector<double> logits = model->forward(ids).to_doubles();
  ASSERT_EQ(logits.size(), expected.size());
  for (std::size_t i = 0; i < logits.size(); ++i) EXPECT_NEAR(logits[i], expected[i], 1e-5);
}

TEST(Gpt2, FeaturesAreWhatTheHeadReads) {
  check_features(test::kTinyGpt2, 13, "transformer.wte.weight");
}
TEST(Llama, FeaturesAreWhatTheHeadReads) {
  check_features(test::kTinyLlama, 11, "model.embed_tokens.weight");
}

// Recomputing each block in backward gives the very gradients of keeping its activations,
// packed documents included, over two accumulated micro-batches.
void check_recompute(const char* yaml, std::int64_t vocab) {
  auto model = tiny_model(yaml, vocab);
  std::vector<std::int32_t> starts(12, 0);  // two rows of six: documents at 0 and at 3
  for (std::size_t i = 0; i < starts.size(); ++i) starts[i] = i % 6 < 3 ? 0 : 3;
  auto gradients = [&](bool recompute) {
    for (auto& [name, param] : model->parameters()) param.set_grad(Tensor());
    for (std::uint64_t seed : {8, 9}) {
      ForwardOptions options;
      options.recompute = recompute;
      options.document_starts = Tensor::from_ints(starts, {2, 6});
      Tensor logits = model->forward(random_ids(2, 6, vocab, seed), options);
      ops::sum(ops::mul(logits, logits)).backward();
    }
    std::vector<std::vector<double>> out;
    for (const auto& [name, param] : model->parameters()) out.push_back(param.grad().to_doubles());
    return out;
  };
  auto kept = gradients(false), recomputed = gradients(true);
  ASSERT_EQ(kept.size(), recomputed.size());
  for (std::size_t i = 0; i < kept.size(); ++i)
    EXPECT_EQ(kept[i], recomputed[i]) << model->parameters()[i].first;
  // Outside autograd the option changes nothing.
  NoGradGuard no_grad;
  ForwardOptions options;
  options.recompute = true;
  EXPECT_EQ(model->forward(random_ids(1, 4, vocab, 3), options).to_doubles(),
            model->forward(random_ids(1, 4, vocab, 3)).to_doubles());
}

// Data parallelism sums a gradient as soon as backward says it is complete: every parameter
// must be reported once a pass, with its final gradient, recomputed blocks included.
void check_grad_ready(const char* yaml, std::int64_t vocab, bool recompute) {
  auto model = tiny_model(yaml, vocab);
  std::map<TensorImpl*, std::vector<std::vector<double>>> reported;
  set_grad_ready_hook([&](TensorImpl* leaf) { reported[leaf].push_back(leaf->grad.to_doubles()); });
  ForwardOptions options;
  options.recompute = recompute;
  Tensor logits = model->forward(random_ids(2, 5, vocab, 4), options);
  ops::sum(ops::mul(logits, logits)).backward();
  set_grad_ready_hook({});
  for (const auto& [name, param] : model->parameters()) {
    ASSERT_EQ(reported[param.impl()].size(), 1u) << name;
    EXPECT_EQ(reported[param.impl()][0], param.grad().to_doubles()) << name;
  }
}

TEST(Gpt2, ReportsEveryCompleteGradientOnce) {
  check_grad_ready(test::kTinyGpt2, 13, false);
  check_grad_ready(test::kTinyGpt2, 13, true);
}
TEST(Llama, ReportsEveryCompleteGradientOnce) {
  check_grad_ready(test::kTinyLlama, 11, false);
  check_grad_ready(test::kTinyLlama, 11, true);
}

TEST(Gpt2, RecomputedBlocksGiveTheSameGradients) { check_recompute(test::kTinyGpt2, 13); }
TEST(Llama, RecomputedBlocksGiveTheSameGradients) { check_recompute(test::kTinyLlama, 11); }

TEST(Architectures, CountFlopsPerToken) {
  auto model = tiny_model("{plugin: gpt2, n_layer: 1, n_head: 1, d_model: 4, context: 8}", 10);
  // 6 * (12 C^2 L + V C) + 12 L C T = 6 * (192 + 40) + 12 * 4 * 8
  EXPECT_DOUBLE_EQ(model->flops_per_token(8), 6.0 * 232 + 384);
  EXPECT_DOUBLE_EQ(model->flops_per_token(2), 6.0 * 232 + 96);
}

}  // namespace
}  // namespace forge
