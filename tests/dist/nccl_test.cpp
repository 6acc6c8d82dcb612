// The NCCL communicator as a world of one, on a GPU: skipped without one.
#include <forge/ops.h>

#include "backend/devices.h"
#include "dist/nccl/nccl_world.h"

#include <gtest/gtest.h>

#include <vector>

namespace forge {
namespace {

TEST(Nccl, AWorldOfOneRunsEveryCollective) {
  if (!nccl_built()) GTEST_SKIP() << "this build has no NCCL";
  if (visible_gpus().empty()) GTEST_SKIP() << "no GPU is visible";
  Communicator& world = nccl_world();
  EXPECT_EQ(world.backend(), "nccl");
  ASSERT_EQ(world.size(), 1);
  // CPU tensors are staged through the device; GPU ones are used in place.
  Tensor host = Tensor::from_floats(std::vector<float>{1.5f, -2.0f, 3.0f}, {3});
  world.all_reduce(host);
  EXPECT_EQ(host.data<float>()[1], -2.0f);
  Tensor device = host.to(Device::cuda(0));
  world.all_reduce(device, ReduceOp::max);
  Tensor gathered = Tensor::zeros({3}, DType::f32, Device::cuda(0));
  world.all_gather(device, gathered);
  Tensor back = gathered.to(Device::cpu());
  EXPECT_EQ(back.data<float>()[2], 3.0f);
  Tensor scattered = Tensor::zeros({3}, DType::f32, Device::cuda(0));
  world.reduce_scatter(gathered, scattered);
  EXPECT_EQ(scattered.to(Device::cpu()).data<float>()[0], 1.5f);
  EXPECT_EQ(world.broadcast(std::string("id"), 0), "id");
  world.barrier();
  // The side stream's sum is seen by the compute stream once waited for.
  Tensor later = ops::affine(device, 2.0);
  std::unique_ptr<PendingCollective> pending = world.all_reduce_async(later);
  pending->wait();
  EXPECT_EQ(ops::affine(later, 1.0).to(Device::cpu()).data<float>()[2], 6.0f);
}

}  // namespace
}  // namespace forge
