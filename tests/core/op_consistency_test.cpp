// The op consistency harness: every op case, on random (often odd) shapes, forward in f32 and
// bf16 against a float64 reference, and backward against float64 finite differences.
#include <forge/autograd.h>

#include "core/op_cases.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace forge {
namespace {

using test::OpCase;

constexpr int kTrials = 4;
constexpr int kProbesPerInput = 16;  // finite-difference probes per input tensor

std::vector<Tensor> random_inputs(const OpCase& c, Generator& g, const std::vector<Shape>& shapes) {
  std::vector<Tensor> inputs;
  for (const Shape& shape : shapes)
    inputs.push_back(c.positive_inputs ? Tensor::uniform(shape, g, 0.5, 2.0, DType::f64)
                                       : Tensor::uniform(shape, g, -1.0, 1.0, DType::f64));
  return inputs;
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

std::vector<Tensor> cast_all(const std::vector<Tensor>& inputs, DType dtype) {
  std::vector<Tensor> out;
  for (const Tensor& x : inputs) out.push_back(x.to(dtype));
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
    std::vector<double> reference = c.run(inputs).to_doubles();

    Tensor f32 = c.run(cast_all(inputs, DType::f32));
    EXPECT_EQ(f32.dtype(), DType::f32);
    EXPECT_LE(relative_error(f32.to_doubles(), reference), 1e-5);

    // bf16 is judged against the reference on the same (rounded) inputs.
    auto rounded = cast_all(cast_all(inputs, DType::bf16), DType::f64);
    Tensor bf16 = c.run(cast_all(rounded, DType::bf16));
    EXPECT_EQ(bf16.dtype(), DType::bf16);
    EXPECT_LE(relative_error(bf16.to_doubles(), c.run(rounded).to_doubles()), 1e-2);
  }
}

TEST_P(OpConsistency, BackwardMatchesFiniteDifferences) {
  const OpCase& c = GetParam();
  for (int trial = 0; trial < kTrials; ++trial) {
    Generator g(2000 + trial);
    auto shapes = c.shapes(g);
    auto inputs = random_inputs(c, g, shapes);
    SCOPED_TRACE(c.name + " trial " + std::to_string(trial) + " shape " + shape_str(shapes[0]));
    for (Tensor& x : inputs) x.set_requires_grad();
    Tensor out = c.run(inputs);
    // A random weighting makes every output element matter: loss = sum(out * w).
    Tensor weights = Tensor::uniform(out.shape(), g, -1.0, 1.0, DType::f64);
    ops::sum(ops::mul(out, weights)).backward();

    NoGradGuard no_grad;
    auto loss = [&] { return ops::sum(ops::mul(c.run(inputs), weights)).item(); };
    constexpr double kStep = 1e-6;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
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

INSTANTIATE_TEST_SUITE_P(Ops, OpConsistency, ::testing::ValuesIn(test::op_cases()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace forge
