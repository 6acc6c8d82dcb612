// Gradients summed in buckets while backward runs: the buckets start before backward returns,
// in their order, and every gradient ends up summed exactly once.
#include <forge/ops.h>

#include "support/tiny_models.h"
#include "train/overlapped_reduce.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace forge {
namespace {

// Two ranks that hold the same gradients, so a sum doubles its tensor. It counts the sums.
class DoublingWorld final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 2; }
  int local_rank() const override { return 0; }
  int local_size() const override { return 2; }
  std::string backend() const override { return "doubling"; }
  void all_reduce(const Tensor& tensor, ReduceOp) override {
    ops::copy_into(tensor, ops::affine(tensor, 2.0));
  }
  std::unique_ptr<PendingCollective> all_reduce_async(const Tensor& tensor) override {
    ++started;
    return Communicator::all_reduce_async(tensor);
  }
  void reduce_scatter(const Tensor&, const Tensor&) override { FAIL() << "not used"; }
  void all_gather(const Tensor&, const Tensor&) override { FAIL() << "not used"; }
  void broadcast(const Tensor&, int) override { FAIL() << "not used"; }
  void barrier() override {}
  [[noreturn]] void abort(int code) override { std::exit(code); }

  std::size_t started = 0;
};

std::vector<std::vector<double>> backward_once(Model& model, bool recompute) {
  for (auto& [name, param] : model.parameters()) param.set_grad(Tensor());
  std::vector<std::int32_t> ids = {1, 5, 2, 7, 3, 0, 4, 6, 2, 1};
  ForwardOptions options;
  options.recompute = recompute;
  Tensor logits = model.forward(Tensor::from_ints(ids, {2, 5}), options);
  ops::sum(ops::mul(logits, logits)).backward();
  std::vector<std::vector<double>> grads;
  for (const auto& [name, param] : model.parameters()) grads.push_back(param.grad().to_doubles());
  return grads;
}

void check_overlap(bool recompute) {
  auto model = test::tiny_model(test::kTinyGpt2, 13);
  const auto plain = backward_once(*model, recompute);
  DoublingWorld world;
  OverlappedReduce overlap(model->parameters(), world, 256);  // a few tensors a bucket
  ASSERT_GT(overlap.bucket_count(), 5u);
  overlap.arm();
  backward_once(*model, recompute);
  const std::size_t during = world.started;
  overlap.finish();
  EXPECT_GT(during, overlap.bucket_count() / 2) << "most buckets start inside backward";
  EXPECT_EQ(world.started, overlap.bucket_count());
  const NamedTensors& params = model->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    std::vector<double> doubled = plain[i];
    for (double& value : doubled) value *= 2;
    EXPECT_EQ(params[i].second.grad().to_doubles(), doubled) << params[i].first;
  }
  // Disarmed, a backward starts nothing.
  backward_once(*model, recompute);
  EXPECT_EQ(world.started, overlap.bucket_count());
}

TEST(OverlappedReduce, StartsBucketsDuringBackwardAndSumsEveryGradientOnce) {
  check_overlap(false);
}
TEST(OverlappedReduce, StartsBucketsFromRecomputedBlocksToo) { check_overlap(true); }

}  // namespace
}  // namespace forge
