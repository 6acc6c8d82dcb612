// The op consistency harness: every op case, on random (often odd) shapes, forward in f32 and
// bf16 against a float64 reference (a composite one for fused ops), backward in f64 against
// finite differences, and backward in f32 and bf16 against f64. With a GPU visible, the same
// cases run on CUDA against the CPU's float64 results.
#include <forge/autograd.h>

#include "backend/devices.h"
#include "core/op_cases.h"
#include "core/op_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace forge {
namespace {

using test::OpCase;

constexpr int kTrials = 4;
constexpr int kProbesPerInput = 16;  // finite-difference probes per input tensor

// The float inputs (one per shape, f64) followed by the case's fixed inputs.
std::vector<Tensor> random_inputs(const OpCase& c, Generator& g, const std::vector<Shape>& shapes) {
  std::vector<Tensor> inputs;
  for (const Shape& shape : shapes)
    inputs.push_back(c.positive_inputs ? Tensor::uniform(shape, g, 0.5, 2.0, DType::f64)
                                       : Tensor::uniform(shape, g, -1.0, 1.0, DType::f64));
  if (c.fixed_inputs)
    for (Tensor& fixed : c.fixed_inputs(g, shapes)) inputs.push_back(fixed);
  return inputs;
}

Tensor reference(const OpCase& c, const std::vector<Tensor>& inputs) {
  return c.reference ? c.reference(inputs) : c.run(inputs);
}

// max |a - b| relative to the reference's largest magnitude (at least 1).
double relative_error(const std::vector<double>& a, const std::vector<double>& b) {
  double error = 0, scale = 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    error = std::max(error, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return error / scale;
}

// The first `floats` inputs converted to dtype; the fixed inputs after them pass unchanged.
std::vector<Tensor> cast_floats(const std::vector<Tensor>& inputs, std::size_t floats,
                                DType dtype) {
  std::vector<Tensor> out = inputs;
  for (std::size_t i = 0; i < floats; ++i) out[i] = inputs[i].to(dtype);
  return out;
}

class OpConsistency : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpConsistency, ForwardMatchesFloat64) {
  const OpCase& c = GetParam();
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(1000 + trial);
    auto shapes = c.shapes(g);
    auto inputs = random_inputs(c, g, shapes);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    const std::size_t floats = shapes.size();
    Tensor expected = reference(c, inputs);
    std::vector<double> want = expected.to_doubles();
    if (c.reference) {
      // The kernel in f64 against the composite: only rounding may separate them.
      Tensor f64 = c.run(inputs);
      ASSERT_EQ(f64.shape(), expected.shape());
      EXPECT_LE(relative_error(f64.to_doubles(), want), 1e-10) << "f64 against the composite";
    }

    Tensor f32 = c.run(cast_floats(inputs, floats, DType::f32));
    EXPECT_EQ(f32.dtype(), DType::f32);
    ASSERT_EQ(f32.shape(), expected.shape());
    EXPECT_LE(relative_error(f32.to_doubles(), want), 1e-5) << "f32";

    // bf16 is judged against the reference on the same (rounded) inputs.
    auto rounded = cast_floats(cast_floats(inputs, floats, DType::bf16), floats, DType::f64);
    Tensor bf16 = c.run(cast_floats(rounded, floats, DType::bf16));
    EXPECT_EQ(bf16.dtype(), DType::bf16);
    EXPECT_LE(relative_error(bf16.to_doubles(), reference(c, rounded).to_doubles()), 1e-2)
        << "bf16";
  }
}

TEST_P(OpConsistency, BackwardMatchesFiniteDifferences) {
  const OpCase& c = GetParam();
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(2000 + trial);
    auto shapes = c.shapes(g);
    auto inputs = random_inputs(c, g, shapes);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    // Only the float inputs are differentiated; ids, targets and weights stay constants.
    const std::size_t floats = shapes.size();
    for (std::size_t i = 0; i < floats; ++i) inputs[i].set_requires_grad();
    Tensor out = c.run(inputs);
    // A random weighting makes every output element matter: loss = sum(out * w).
    Tensor weights = Tensor::uniform(out.shape(), g, -1.0, 1.0, DType::f64);
    ops::sum(ops::mul(out, weights)).backward();

    NoGradGuard no_grad;
    auto loss = [&] { return ops::sum(ops::mul(c.run(inputs), weights)).item(); };
    constexpr double kStep = 1e-6;
    for (std::size_t i = 0; i < floats; ++i) {
      ASSERT_TRUE(inputs[i].grad().defined()) << "input " << i << " got no gradient";
      std::vector<double> analytic = inputs[i].grad().to_doubles();
      double* data = inputs[i].data<double>();
      for (int probe = 0; probe < kProbesPerInput; ++probe) {
        auto j = static_cast<std::size_t>(g.next_u64() % analytic.size());
        double saved = data[j];
        data[j] = saved + kStep;
        double up = loss();
        data[j] = saved - kStep;
        double down = loss();
        data[j] = saved;
        double numeric = (up - down) / (2 * kStep);
        EXPECT_LE(std::abs(analytic[j] - numeric) / std::max(1.0, std::abs(numeric)), 1e-6)
            << "input " << i << " element " << j << ": autograd " << analytic[j]
            << ", finite differences " << numeric;
      }
    }
  }
}

// Every tensor moved to `device`.
std::vector<Tensor> on_device(const std::vector<Tensor>& inputs, Device device) {
  std::vector<Tensor> out;
  for (const Tensor& input : inputs) out.push_back(input.to(device));
  return out;
}

// Gradients of the float inputs for loss = sum(out * w), with everything cast to dtype and run
// on `device`.
std::vector<std::vector<double>> gradients(const OpCase& c, const std::vector<Tensor>& inputs,
                                           std::size_t floats, const Tensor& w, DType dtype,
                                           Device device = Device::cpu()) {
  std::vector<Tensor> x = on_device(cast_floats(inputs, floats, dtype), device);
  for (std::size_t i = 0; i < floats; ++i) x[i] = x[i].detach().set_requires_grad();  // leaves
  ops::sum(ops::mul(c.run(x), w.to(dtype).to(device))).backward();
  std::vector<std::vector<double>> grads;
  for (std::size_t i = 0; i < floats; ++i) grads.push_back(x[i].grad().to_doubles());
  return grads;
}

// The backward kernels of f32 and bf16 against the f64 ones (which finite differences vouch
// for), all on the same bf16-representable inputs.
TEST_P(OpConsistency, LowPrecisionBackwardMatchesFloat64) {
  const OpCase& c = GetParam();
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(3000 + trial);
    auto shapes = c.shapes(g);
    const std::size_t floats = shapes.size();
    auto inputs = cast_floats(cast_floats(random_inputs(c, g, shapes), floats, DType::bf16), floats,
                              DType::f64);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    Shape out_shape = c.run(inputs).shape();
    Tensor w = Tensor::uniform(out_shape, g, -1.0, 1.0, DType::bf16).to(DType::f64);
    auto want = gradients(c, inputs, floats, w, DType::f64);
    auto f32 = gradients(c, inputs, floats, w, DType::f32);
    auto bf16 = gradients(c, inputs, floats, w, DType::bf16);
    for (std::size_t i = 0; i < floats; ++i) {
      EXPECT_LE(relative_error(f32[i], want[i]), 1e-5) << "f32 gradient of input " << i;
      EXPECT_LE(relative_error(bf16[i], want[i]), 3e-2) << "bf16 gradient of input " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, OpConsistency, ::testing::ValuesIn(test::op_cases()),
                         [](const auto& param) { return param.param.name; });

// The cases on cuda:0 against the CPU's float64 results: f32 within 1e-5 and bf16 within 1e-2
// of the reference forward, gradients as the CPU's low-precision ones are judged.
class OpConsistencyCuda : public ::testing::TestWithParam<OpCase> {
 protected:
  void SetUp() override {
    if (visible_gpus().empty()) GTEST_SKIP() << "no GPU is visible: the CUDA op cases need one";
  }
};

TEST_P(OpConsistencyCuda, ForwardMatchesFloat64) {
  const OpCase& c = GetParam();
  const Device gpu = Device::cuda(0);
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(1000 + trial);
    auto shapes = c.shapes(g);
    auto inputs = random_inputs(c, g, shapes);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    const std::size_t floats = shapes.size();
    const std::vector<double> want = reference(c, inputs).to_doubles();

    Tensor f32 = c.run(on_device(cast_floats(inputs, floats, DType::f32), gpu));
    EXPECT_EQ(f32.device(), gpu);
    EXPECT_EQ(f32.dtype(), DType::f32);
    EXPECT_LE(relative_error(f32.to_doubles(), want), 1e-5) << "f32 on cuda";

    auto rounded = cast_floats(cast_floats(inputs, floats, DType::bf16), floats, DType::f64);
    Tensor bf16 = c.run(on_device(cast_floats(rounded, floats, DType::bf16), gpu));
    EXPECT_EQ(bf16.dtype(), DType::bf16);
    EXPECT_LE(relative_error(bf16.to_doubles(), reference(c, rounded).to_doubles()), 1e-2)
        << "bf16 on cuda";
  }
}

TEST_P(OpConsistencyCuda, BackwardMatchesFloat64) {
  const OpCase& c = GetParam();
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(3000 + trial);
    auto shapes = c.shapes(g);
    const std::size_t floats = shapes.size();
    auto inputs = cast_floats(cast_floats(random_inputs(c, g, shapes), floats, DType::bf16), floats,
                              DType::f64);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    Shape out_shape = c.run(inputs).shape();
    Tensor w = Tensor::uniform(out_shape, g, -1.0, 1.0, DType::bf16).to(DType::f64);
    auto want = gradients(c, inputs, floats, w, DType::f64);
    auto f32 = gradients(c, inputs, floats, w, DType::f32, Device::cuda(0));
    auto bf16 = gradients(c, inputs, floats, w, DType::bf16, Device::cuda(0));
    for (std::size_t i = 0; i < floats; ++i) {
      EXPECT_LE(relative_error(f32[i], want[i]), 1e-5) << "f32 gradient of input " << i;
      EXPECT_LE(relative_error(bf16[i], want[i]), 3e-2) << "bf16 gradient of input " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, OpConsistencyCuda, ::testing::ValuesIn(test::op_cases()),
                         [](const auto& param) { return param.param.name; });

// A new op of the table needs a case named after it (or "<op>_<variant>"). Backward kernels
// run under the gradient test of their forward; copy and fill run inside every case, and
// adamw, outside autograd, has its own tests (adamw_test.cpp).
TEST(OpCoverage, EveryOpOfTheTableHasACase) {
  std::set<std::string> covered = {"copy", "fill", "adamw"};
  for (const OpCase& c : test::op_cases())
    for (std::string_view op : kOpNames)
      if (c.name == op || c.name.starts_with(std::string(op) + "_"))
        covered.insert(std::string(op));
  constexpr std::string_view kBackward = "_backward";
  for (std::string_view op : kOpNames) {
    std::string forward(op.ends_with(kBackward) ? op.substr(0, op.size() - kBackward.size()) : op);
    EXPECT_TRUE(covered.contains(forward)) << "no op case covers " << op;
  }
}

}  // namespace
}  // namespace forge
