// The in-tree models on a GPU, beside the same models on the CPU: forward (with packed
// documents), generation through the KV cache and one training step. Skipped without a GPU.
#include <forge/autograd.h>
#include <forge/ops.h>
#include <forge/sampler.h>

#include "backend/devices.h"
#include "engine/generate.h"
#include "support/test_support.h"
#include "support/tiny_models.h"
#include "train/grad_norm.h"
#include "train/optimizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace forge {
namespace {

constexpr std::int64_t kVocab = 27;

double max_relative_error(const Tensor& a, const Tensor& b) {
  const std::vector<double> x = a.to_doubles(), y = b.to_doubles();
  EXPECT_EQ(x.size(), y.size());
  double error = 0, scale = 1;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
    error = std::max(error, std::abs(x[i] - y[i]));
    scale = std::max(scale, std::abs(y[i]));
  }
  return error / scale;
}

Tensor ids(std::int64_t B, std::int64_t T, std::uint64_t seed) {
  Generator g(seed);
  std::vector<std::int32_t> values(static_cast<std::size_t>(B * T));
  for (auto& v : values) v = static_cast<std::int32_t>(g.next_u64() % kVocab);
  return Tensor::from_ints(values, {B, T});
}

class CudaModels : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (visible_gpus().empty()) GTEST_SKIP() << "no GPU is visible";
    cpu_ = test::tiny_model(GetParam(), kVocab);
    gpu_ = test::tiny_model(GetParam(), kVocab, DType::f32, 7, Device::cuda(0));
  }
  std::unique_ptr<Model> cpu_, gpu_;
};

TEST_P(CudaModels, ForwardMatchesTheCpu) {
  NoGradGuard no_grad;
  Tensor x = ids(2, 10, 1);
  EXPECT_LE(max_relative_error(gpu_->forward(x.to(Device::cuda(0))), cpu_->forward(x)), 1e-4);
  // Packed documents: positions and the attention mask come from device starts.
  Tensor starts = Tensor::from_ints(
      std::vector<std::int32_t>{0, 0, 0, 3, 3, 3, 3, 7, 7, 7, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5},
      {2, 10});
  ForwardOptions packed;
  packed.document_starts = starts;
  Tensor want = cpu_->forward(x, packed);
  packed.document_starts = starts.to(Device::cuda(0));
  EXPECT_LE(max_relative_error(gpu_->forward(x.to(Device::cuda(0)), packed), want), 1e-4);
}

TEST_P(CudaModels, GenerationThroughTheCacheMatchesTheCpu) {
  auto greedy = test::make_plugin<Sampler>("{plugin: greedy}");
  GenerationRequest request;
  request.prompts = {{1, 2, 3}, {4, 5, 6}};
  request.max_tokens = 6;
  std::vector<GenerationRow> want = generate(*cpu_, *greedy, request);
  std::vector<GenerationRow> got = generate(*gpu_, *greedy, request);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].tokens, want[i].tokens) << i;
}

TEST_P(CudaModels, ATrainingStepMatchesTheCpu) {
  Tensor x = ids(2, 10, 2), y = ids(2, 10, 3);
  constexpr double kLr = 1e-2;
  double norms[2] = {};
  Model* models[2] = {cpu_.get(), gpu_.get()};
  for (int which = 0; which < 2; ++which) {
    Model& model = *models[which];
    const Device device = model.parameters().front().second.device();
    // A large epsilon: gradients that are zero but for rounding (gpt2's key biases) then move
    // their weights by nothing on both devices, instead of by a device-dependent fraction of lr.
    AdamW optimizer(model, AdamWConfig{kLr, 0.9, 0.95, 1e-3, 0.1, {}});
    optimizer.zero_grad();
    Tensor logits = model.forward(x.to(device));
    Tensor loss = ops::cross_entropy(logits.reshape({-1, kVocab}), y.to(device).reshape({-1}));
    loss.backward();
    std::vector<Tensor> grads;
    for (const auto& [name, t] : model.parameters()) grads.push_back(t.grad());
    norms[which] = global_grad_norm(grads);
    if (which == 1)
      for (std::size_t i = 0; i < grads.size(); ++i)
        EXPECT_LE(max_relative_error(grads[i], cpu_->parameters()[i].second.grad()), 1e-4)
            << "gradient of " << cpu_->parameters()[i].first;
    optimizer.step(kLr, clip_factor(norms[which], 1.0));
  }
  EXPECT_NEAR(norms[1], norms[0], 1e-4 * norms[0]);
  // A first AdamW step moves weights by up to lr (1e-2): a missing or wrong step shows.
  for (std::size_t i = 0; i < cpu_->parameters().size(); ++i)
    EXPECT_LE(max_relative_error(gpu_->parameters()[i].second, cpu_->parameters()[i].second), 1e-4)
        << cpu_->parameters()[i].first;
}

INSTANTIATE_TEST_SUITE_P(InTree, CudaModels, ::testing::Values(test::kTinyGpt2, test::kTinyLlama));

}  // namespace
}  // namespace forge
