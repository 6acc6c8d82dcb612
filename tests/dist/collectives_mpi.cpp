// The MPI communicator's collectives, run by ctest as two processes under mpirun. Every rank
// checks what it received; a failure on either rank fails the test.
#include <forge/ops.h>

#include "dist/communicator.h"
#include "train/parallel_optimizer.h"

#include <gtest/gtest.h>

#include <vector>

namespace forge {
namespace {

std::vector<float> floats(const Tensor& tensor) {
  Tensor host = tensor.contiguous();
  return std::vector<float>(host.data<float>(), host.data<float>() + host.numel());
}

TEST(MpiCollectives, TheWorldIsTwoRanksOnOneMachine) {
  Communicator& world = process_world();
  EXPECT_EQ(world.backend(), "mpi");
  ASSERT_EQ(world.size(), 2);
  EXPECT_EQ(world.local_size(), 2);
  EXPECT_EQ(world.local_rank(), world.rank());
}

TEST(MpiCollectives, AllReduceSumsAndTakesTheMaximum) {
  Communicator& world = process_world();
  const float r = static_cast<float>(world.rank());
  Tensor sum = Tensor::from_floats(std::vector<float>{r + 1, 10 * r, -r}, {3});
  world.all_reduce(sum);
  EXPECT_EQ(floats(sum), (std::vector<float>{3, 10, -1}));
  Tensor max = Tensor::from_floats(std::vector<float>{r, -r}, {2});
  world.all_reduce(max, ReduceOp::max);
  EXPECT_EQ(floats(max), (std::vector<float>{1, 0}));
  EXPECT_EQ(world.all_reduce(std::vector<double>{0.25 + world.rank()}), (std::vector<double>{1.5}));
}

TEST(MpiCollectives, ReduceScatterGivesEachRankTheSumOfItsChunk) {
  Communicator& world = process_world();
  const float r = static_cast<float>(world.rank());
  // Rank r holds [r, r+1, r+2, r+3]; chunk k is elements 2k and 2k+1.
  Tensor input = Tensor::from_floats(std::vector<float>{r, r + 1, r + 2, r + 3}, {4});
  Tensor output = Tensor::zeros({2});
  world.reduce_scatter(input, output);
  if (world.rank() == 0)
    EXPECT_EQ(floats(output), (std::vector<float>{1, 3}));
  else
    EXPECT_EQ(floats(output), (std::vector<float>{5, 7}));
}

TEST(MpiCollectives, AllGatherConcatenatesInRankOrder) {
  Communicator& world = process_world();
  const float r = static_cast<float>(world.rank());
  Tensor input = Tensor::from_floats(std::vector<float>{r, 100 + r, 200 + r}, {3});
  Tensor output = Tensor::zeros({6});
  world.all_gather(input, output);
  EXPECT_EQ(floats(output), (std::vector<float>{0, 100, 200, 1, 101, 201}));
}

TEST(MpiCollectives, BroadcastCarriesTensorsAndText) {
  Communicator& world = process_world();
  Tensor ids = Tensor::from_ints(std::vector<std::int32_t>{world.rank() + 7, -3}, {2});
  world.broadcast(ids, 1);
  EXPECT_EQ(ids.data<std::int32_t>()[0], 8);
  EXPECT_EQ(ids.data<std::int32_t>()[1], -3);
  const std::string text = world.rank() == 0 ? "runs/tiny/20261202-0101 \xc3\xa9" : "ignored";
  EXPECT_EQ(world.broadcast(text, 0), "runs/tiny/20261202-0101 \xc3\xa9");
  EXPECT_EQ(world.broadcast(world.rank() == 1 ? std::string() : "x", 1), "");
}

TEST(MpiCollectives, BucketsSumEveryTensorWhateverTheirSizesDtypesAndStrides) {
  Communicator& world = process_world();
  const double r = world.rank();
  std::vector<Tensor> tensors = {
      Tensor::full({3}, 1 + r),
      Tensor(),  // a parameter without a gradient is skipped
      Tensor::full({40}, 2 * r),
      Tensor::full({2, 3}, 0.5 + r, DType::f64),
      Tensor::full({4, 5}, 3 - r).transpose(0, 1),  // not contiguous
      Tensor::full({1}, r),
  };
  // 32-byte buckets: several tensors per bucket, and tensors larger than a bucket.
  all_reduce_in_buckets(world, tensors, 32);
  EXPECT_EQ(floats(tensors[0]), std::vector<float>(3, 3));
  EXPECT_FALSE(tensors[1].defined());
  EXPECT_EQ(floats(tensors[2]), std::vector<float>(40, 2));
  Tensor f64 = tensors[3].contiguous();
  for (int i = 0; i < 6; ++i) EXPECT_EQ(f64.data<double>()[i], 2.0);
  EXPECT_EQ(floats(tensors[4]), std::vector<float>(20, 5));
  EXPECT_EQ(floats(tensors[5]), std::vector<float>(1, 1));
}

TEST(MpiCollectives, BfloatTensorsMoveButDoNotSum) {
  Communicator& world = process_world();
  Tensor half = Tensor::full({4}, world.rank() + 1.0, DType::bf16);
  world.broadcast(half, 1);
  EXPECT_EQ(floats(half.to(DType::f32)), std::vector<float>(4, 2));
  EXPECT_THROW(world.all_reduce(half), Error);
}

}  // namespace
}  // namespace forge

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Every rank prints its own log; the exit code fails when any rank failed.
  forge::Communicator& world = forge::process_world();
  const int failed = RUN_ALL_TESTS();
  const double any =
      world.all_reduce(std::vector<double>{failed ? 1.0 : 0.0}, forge::ReduceOp::max)[0];
  if (world.rank() != 0 && failed) std::fprintf(stderr, "rank %d: tests failed\n", world.rank());
  return any > 0 ? 1 : 0;
}
