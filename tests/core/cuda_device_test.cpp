// Tensors on CUDA devices: the refusal of a device that is not there (which runs everywhere),
// and, with a GPU visible, device memory, copies to and from the host with any strides and
// dtype conversion, and the errors of the CUDA backend.
#include <forge/ops.h>
#include <forge/random.h>

#include "backend/devices.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace forge {
namespace {

// What f throws as a forge::Error, or "no error".
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CudaDevice, AMissingDeviceIsRefusedByName) {
  const auto gpus = static_cast<int>(visible_gpus().size());
  const std::string message = error_of([&] { Tensor::empty({4}, DType::f32, Device::cuda(gpus)); });
  EXPECT_PRED2(contains, message, cat("device cuda:", gpus, " is not available: "));
  if (gpus == 0) {
    EXPECT_TRUE(contains(message, "no GPU is visible") ||
                contains(message, "this build of forge has no CUDA backend"))
        << message;
  }
  if (gpus == 1) {
    EXPECT_PRED2(contains, message, "1 GPU is visible (cuda:0)");
  }
}

class CudaTensors : public ::testing::Test {
 protected:
  void SetUp() override {
    if (visible_gpus().empty()) GTEST_SKIP() << "no GPU is visible: device tensors need one";
  }
  const Device gpu_ = Device::cuda(0);
};

Tensor counting(const Shape& shape, DType dtype) {
  std::vector<double> values(static_cast<std::size_t>(shape_numel(shape)));
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 251) - 100;
  return Tensor::from_doubles(values, shape, dtype);
}

TEST_F(CudaTensors, EveryDtypeRoundTripsExactly) {
  for (DType dtype : {DType::f32, DType::bf16, DType::i32, DType::f64}) {
    Tensor host = counting({3, 5, 7}, dtype);
    Tensor device = host.to(gpu_);
    EXPECT_EQ(device.device(), gpu_);
    EXPECT_EQ(device.dtype(), dtype);
    Tensor back = device.to(Device::cpu());
    EXPECT_EQ(back.to_doubles(), host.to_doubles()) << dtype_name(dtype);
  }
}

TEST_F(CudaTensors, TransfersTakeAnyStridesAndConvertDtypes) {
  Tensor host = counting({4, 6, 5}, DType::f32);
  const auto want = host.transpose(0, 2).contiguous().to_doubles();
  // A strided host view goes up; a strided device view comes down.
  EXPECT_EQ(host.transpose(0, 2).to(gpu_).to_doubles(), want);
  EXPECT_EQ(host.to(gpu_).transpose(0, 2).to(Device::cpu()).to_doubles(), want);
  // Conversions on the way up and down, into strided destinations.
  Tensor device_bf16 = Tensor::zeros({5, 6, 4}, DType::bf16, gpu_);
  ops::copy_into(device_bf16, host.transpose(0, 2));
  EXPECT_EQ(device_bf16.to_doubles(), want);
  Tensor host_i32 = Tensor::zeros({4, 6, 5}, DType::i32);
  ops::copy_into(host_i32.transpose(0, 2), device_bf16);
  EXPECT_EQ(host_i32.to_doubles(), host.to_doubles());
  // Into a slice of a host tensor: the rest stays untouched.
  Tensor wide = Tensor::full({4, 10}, 7.0);
  ops::copy_into(wide.slice(1, 2, 5), counting({4, 3}, DType::f32).to(gpu_));
  std::vector<double> values = wide.to_doubles();
  EXPECT_EQ(values[0], 7.0);
  EXPECT_EQ(values[2], -100.0);
  EXPECT_EQ(values[4], -98.0);
  EXPECT_EQ(values[5], 7.0);
}

TEST_F(CudaTensors, DeviceCopiesBroadcastAndFill) {
  Tensor row = counting({1, 9}, DType::f32).to(gpu_);
  Tensor wide = row.expand({6, 9}).contiguous();
  const std::vector<double> values = wide.to_doubles();
  for (std::size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(values[i], static_cast<double>(i % 9) - 100) << i;
  Tensor filled = Tensor::full({3, 4}, 2.5, DType::bf16, gpu_);
  ops::fill(filled.slice(1, 1, 3), -1.0);
  EXPECT_EQ(filled.to_doubles(),
            (std::vector<double>{2.5, -1, -1, 2.5, 2.5, -1, -1, 2.5, 2.5, -1, -1, 2.5}));
}

TEST_F(CudaTensors, EmptyTensorsMoveAndCompute) {
  Tensor empty = Tensor::empty({0, 3}, DType::f32, gpu_);
  EXPECT_EQ(empty.to(Device::cpu()).numel(), 0);
  EXPECT_EQ(ops::exp(empty).numel(), 0);
  EXPECT_EQ(ops::sum(empty, {0}).to_doubles(), (std::vector<double>{0, 0, 0}));
}

TEST_F(CudaTensors, FreedMemoryIsReused) {
  // 64 MiB a hundred times: without the pool's cache this would still pass, but slowly;
  // with a leak it would run out of memory.
  for (int i = 0; i < 100; ++i) {
    Tensor big = Tensor::zeros({16 << 20}, DType::f32, gpu_);
    ASSERT_EQ(big.numel(), 16 << 20);
  }
}

TEST_F(CudaTensors, UnsupportedDtypesNameTheOpAndTheBackend) {
  Tensor x = Tensor::full({4}, 2.0, DType::f64, gpu_);
  EXPECT_PRED2(contains, error_of([&] { ops::exp(x); }),
               "[exp] the cuda backend does not support f64 tensors");
}

TEST_F(CudaTensors, OpsRefuseInputsOnAnotherDevice) {
  Tensor host = Tensor::zeros({3});
  Tensor device = Tensor::zeros({3}, DType::f32, gpu_);
  EXPECT_PRED2(contains, error_of([&] { ops::add(host, device); }),
               "[add] input 1 is on cuda:0 but the output is on cpu");
}

TEST_F(CudaTensors, BadIdsAndTargetsThrowAsOnTheCpu) {
  Tensor table = Tensor::zeros({4, 3}, DType::f32, gpu_);
  Tensor ids = Tensor::from_ints(std::vector<std::int32_t>{1, 9, 2, -1}, {4}).to(gpu_);
  EXPECT_PRED2(contains, error_of([&] { ops::embedding(ids, table); }),
               "[embedding] id 9 at position 1 is out of range for a table of 4 rows");
  Tensor logits = Tensor::zeros({3, 5}, DType::f32, gpu_);
  Tensor targets = Tensor::from_ints(std::vector<std::int32_t>{0, -100, 5}, {3}).to(gpu_);
  EXPECT_PRED2(contains, error_of([&] { ops::cross_entropy(logits, targets); }),
               "[cross_entropy] target 5 in row 2 is outside the vocabulary [0, 5)");
}

// Sizes past the op cases' small shapes: the block-per-output sum, long softmax rows, a
// product of many tiles and head sizes up to the kernel's limit.
TEST_F(CudaTensors, LargeShapesMatchTheCpu) {
  Generator g(7);
  auto expect_close = [](const Tensor& gpu, const Tensor& cpu, double tolerance) {
    const std::vector<double> a = gpu.to_doubles(), b = cpu.to_doubles();
    ASSERT_EQ(a.size(), b.size());
    double error = 0, scale = 1;
    for (std::size_t i = 0; i < a.size(); ++i) {
      error = std::max(error, std::abs(a[i] - b[i]));
      scale = std::max(scale, std::abs(b[i]));
    }
    EXPECT_LE(error / scale, tolerance);
  };
  Tensor x = Tensor::uniform({3, 200000}, g, -1.0, 1.0);
  expect_close(ops::sum(x.to(gpu_), {1}), ops::sum(x, {1}), 1e-5);
  expect_close(ops::sum(x.to(gpu_)), ops::sum(x), 1e-5);
  Tensor logits = Tensor::uniform({4, 50257}, g, -8.0, 8.0);
  expect_close(ops::softmax(logits.to(gpu_)), ops::softmax(logits), 1e-5);
  Tensor a = Tensor::uniform({3, 257, 130}, g, -1.0, 1.0);
  Tensor b = Tensor::uniform({130, 67}, g, -1.0, 1.0);
  expect_close(ops::matmul(a.to(gpu_), b.to(gpu_)), ops::matmul(a, b), 1e-5);
  expect_close(ops::matmul(a.to(DType::bf16).to(gpu_), b.to(DType::bf16).to(gpu_)),
               ops::matmul(a.to(DType::bf16), b.to(DType::bf16)), 1e-2);
  Tensor q = Tensor::uniform({1, 2, 70, 256}, g, -1.0, 1.0);
  Tensor k = Tensor::uniform({1, 1, 70, 256}, g, -1.0, 1.0);
  ops::AttentionOptions causal;
  causal.causal = true;
  expect_close(ops::attention(q.to(gpu_), k.to(gpu_), k.to(gpu_), causal),
               ops::attention(q, k, k, causal), 1e-5);
  Tensor too_wide = Tensor::zeros({1, 1, 2, 264}, DType::f32, gpu_);
  EXPECT_PRED2(contains, error_of([&] { ops::attention(too_wide, too_wide, too_wide); }),
               "[attention] the cuda kernel takes head sizes up to 256, not 264");
}

TEST_F(CudaTensors, AdamWMatchesTheCpuWithBf16Gradients) {
  Generator g(11);
  Tensor param = Tensor::uniform({1000}, g, -1.0, 1.0);
  Tensor grad = Tensor::uniform({1000}, g, -1.0, 1.0, DType::bf16);
  Tensor m = Tensor::uniform({1000}, g, -0.1, 0.1);
  Tensor v = Tensor::uniform({1000}, g, 0.0, 0.1);
  Tensor dp = param.to(gpu_), dm = m.to(gpu_), dv = v.to(gpu_);
  const ops::AdamWOptions options{.lr = 1e-2, .weight_decay = 0.1, .step = 3, .grad_scale = 0.5};
  ops::adamw_step(param, grad, m, v, options);
  ops::adamw_step(dp, grad.to(gpu_), dm, dv, options);
  for (const auto& [gpu, cpu] : {std::pair{dp, param}, {dm, m}, {dv, v}}) {
    const std::vector<double> a = gpu.to_doubles(), b = cpu.to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6) << i;
  }
}

}  // namespace
}  // namespace forge
