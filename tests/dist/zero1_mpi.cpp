// ZeRO-1 against plain all-reduce on two MPI ranks: the same parameters after several steps,
// the same moments in a checkpoint, and half the optimizer state per rank.
#include <forge/ops.h>
#include <forge/random.h>

#include "dist/communicator.h"
#include "io/checkpoint_file.h"
#include "io/checkpoint_tensors.h"
#include "train/parallel_optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace forge {
namespace {

// Parameters only: sizes chosen so that the two shards cut through a parameter.
class ParameterModel final : public Model {
 public:
  explicit ParameterModel(std::uint64_t seed) {
    Generator generator(seed);
    params_ = {{"wte.weight", Tensor::randn({6, 5}, generator)},
               {"h.0.ln.bias", Tensor::randn({3}, generator)},
               {"h.0.mlp.weight", Tensor::randn({11, 2}, generator)},
               {"ln_f.weight", Tensor::randn({9}, generator)}};
    for (auto& [name, param] : params_) param.set_requires_grad(true);
  }
  const ModelShape& shape() const override { return shape_; }
  NamedTensors& parameters() override { return params_; }
  Tensor forward(const Tensor&, const ForwardOptions&) override {
    throw Error("ParameterModel has no forward pass");
  }
  double flops_per_token(std::int64_t) const override { return 0; }

 private:
  ModelShape shape_;
  NamedTensors params_;
};

// Gradients that differ by rank and step, the same for both optimizers.
void set_gradients(Model& model, int rank, int step) {
  Generator generator(1000 + 10 * static_cast<std::uint64_t>(rank) +
                      static_cast<std::uint64_t>(step));
  for (auto& [name, param] : model.parameters())
    param.set_grad(Tensor::randn(param.shape(), generator));
}

double max_difference(const Tensor& a, const Tensor& b) {
  Tensor x = a.contiguous(), y = b.contiguous();
  double worst = 0;
  for (std::int64_t i = 0; i < x.numel(); ++i)
    worst = std::max(worst, std::fabs(double(x.data<float>()[i]) - y.data<float>()[i]));
  return worst;
}

TEST(Zero1, MatchesAllReduceStepForStepAndInItsCheckpoint) {
  Communicator& world = process_world();
  ASSERT_EQ(world.size(), 2);
  ParameterModel plain_model(3), zero_model(3);
  AdamWConfig config;
  config.lr = 0.05;
  config.weight_decay = 0.1;
  DataParallelConfig plain_settings, zero_settings;
  plain_settings.bucket_bytes = 64;
  zero_settings.mode = DataParallel::zero1;
  auto plain = make_parallel_optimizer(plain_model, config, world, plain_settings);
  auto zero = make_parallel_optimizer(zero_model, config, world, zero_settings);
  for (int step = 0; step < 4; ++step) {
    set_gradients(plain_model, world.rank(), step);
    set_gradients(zero_model, world.rank(), step);
    const double plain_norm = plain->reduce_gradients();
    const double zero_norm = zero->reduce_gradients();
    EXPECT_NEAR(zero_norm, plain_norm, 1e-9 * plain_norm);
    // Clipping to a norm of 1 exercises grad_scale too.
    plain->step(0.05, std::min(1.0, 1.0 / plain_norm));
    zero->step(0.05, std::min(1.0, 1.0 / zero_norm));
    for (std::size_t i = 0; i < plain_model.parameters().size(); ++i)
      EXPECT_LE(
          max_difference(plain_model.parameters()[i].second, zero_model.parameters()[i].second),
          1e-7)
          << plain_model.parameters()[i].first << " after step " << step + 1;
  }
  // 64 elements: 32 per shard (the cut falls inside the bias), two 4-byte moments each.
  EXPECT_EQ(zero->unsharded_state_bytes(), 64 * 8);
  EXPECT_EQ(zero->state_bytes(), 32 * 8);
  EXPECT_EQ(plain->state_bytes(), plain->unsharded_state_bytes());

  // Both write the moments one process would hold.
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "forge-zero1-test";
  if (world.is_root()) std::filesystem::create_directories(dir);
  auto write = [&](ParallelOptimizer& optimizer, const std::string& file) {
    optimizer.checkpoint([&](const OptimizerState& state) {
      CheckpointWriter writer(dir / file);
      state.save(writer);
      writer.commit();
    });
  };
  write(*plain, "plain.h5");
  write(*zero, "zero.h5");
  world.barrier();
  if (world.is_root()) {
    CheckpointReader a(dir / "plain.h5"), b(dir / "zero.h5");
    for (const auto& [name, param] : plain_model.parameters())
      for (const char* moment : {"/m", "/v"}) {
        Tensor x = Tensor::zeros(param.shape()), y = Tensor::zeros(param.shape());
        read_tensor(a, "/optim/" + name + moment, x);
        read_tensor(b, "/optim/" + name + moment, y);
        EXPECT_LE(max_difference(x, y), 1e-9) << name << moment;
      }
  }

  // A ZeRO-1 optimizer loaded from the plain one's checkpoint continues like it.
  ParameterModel resumed_model(3);
  for (std::size_t i = 0; i < resumed_model.parameters().size(); ++i)
    ops::copy_into(resumed_model.parameters()[i].second, zero_model.parameters()[i].second);
  auto resumed = make_parallel_optimizer(resumed_model, config, world, zero_settings);
  resumed->loader().load(CheckpointReader(dir / "plain.h5"));
  EXPECT_EQ(resumed->steps(), 4);
  set_gradients(plain_model, world.rank(), 9);
  set_gradients(resumed_model, world.rank(), 9);
  plain->step(0.05, 1.0 / plain->reduce_gradients());
  resumed->step(0.05, 1.0 / resumed->reduce_gradients());
  for (std::size_t i = 0; i < plain_model.parameters().size(); ++i)
    EXPECT_LE(
        max_difference(plain_model.parameters()[i].second, resumed_model.parameters()[i].second),
        1e-7);
  world.barrier();
  if (world.is_root()) std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace forge
