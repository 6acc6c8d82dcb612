// The fused AdamW step against a scalar double loop over the formula in ops.h. It updates in
// place outside autograd, so it has its own tests rather than a case of the op harness.
#include <forge/ops.h>
#include <forge/random.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace forge {
namespace {

struct AdamWState {
  std::vector<double> param, m, v;
};

// One step of ops.h's formula, in double.
void reference_step(AdamWState& s, const std::vector<double>& grad, const ops::AdamWOptions& o) {
  const auto t = static_cast<double>(o.step);
  for (std::size_t i = 0; i < s.param.size(); ++i) {
    s.m[i] = o.beta1 * s.m[i] + (1 - o.beta1) * grad[i];
    s.v[i] = o.beta2 * s.v[i] + (1 - o.beta2) * grad[i] * grad[i];
    const double m_hat = s.m[i] / (1 - std::pow(o.beta1, t));
    const double v_hat = s.v[i] / (1 - std::pow(o.beta2, t));
    s.param[i] -= o.lr * (m_hat / (std::sqrt(v_hat) + o.eps) + o.weight_decay * s.param[i]);
  }
}

// max |got - want| relative to the reference's largest magnitude: moments that cancel to
// near 0 keep only absolute precision.
double max_relative_error(const std::vector<double>& got, const std::vector<double>& want) {
  double error = 0, scale = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    error = std::max(error, std::abs(got[i] - want[i]));
    scale = std::max(scale, std::abs(want[i]));
  }
  return error / scale;
}

// Several steps on param/m/v of `dtype` with gradients of `grad_dtype`; the reference sees
// the gradient values the kernel reads (after rounding to grad_dtype).
void check_steps(DType dtype, DType grad_dtype, double weight_decay, double beta2,
                 double tolerance) {
  SCOPED_TRACE(cat(dtype_name(dtype), " parameters, ", dtype_name(grad_dtype),
                   " gradients, weight_decay ", weight_decay, ", beta2 ", beta2));
  Generator g(7);
  const Shape shape = {97, 181};  // odd sizes, in several chunks of the threaded loop
  Tensor param = Tensor::uniform(shape, g, -1.0, 1.0, dtype);
  Tensor m = Tensor::zeros(shape, dtype), v = Tensor::zeros(shape, dtype);
  AdamWState want{param.to_doubles(), m.to_doubles(), v.to_doubles()};
  ops::AdamWOptions options{
      .lr = 1e-2, .beta1 = 0.9, .beta2 = beta2, .eps = 1e-8, .weight_decay = weight_decay};
  for (std::int64_t step = 1; step <= 6; ++step) {
    // Gradients of changing scale and sign, some tiny, so that m / sqrt(v) is not always +-1.
    const double scale = step % 2 ? 1.0 : 1e-3;
    Tensor grad = Tensor::uniform(shape, g, -scale, scale, DType::f64).to(grad_dtype);
    options.step = step;
    ops::adamw_step(param, grad, m, v, options);
    reference_step(want, grad.to_doubles(), options);
    EXPECT_LE(max_relative_error(param.to_doubles(), want.param), tolerance) << "step " << step;
    EXPECT_LE(max_relative_error(m.to_doubles(), want.m), tolerance) << "step " << step;
    EXPECT_LE(max_relative_error(v.to_doubles(), want.v), tolerance) << "step " << step;
  }
}

TEST(AdamWStep, MatchesTheFormulaInFloat64) {
  check_steps(DType::f64, DType::f64, 0.0, 0.95, 1e-12);
  check_steps(DType::f64, DType::f64, 0.1, 0.999, 1e-12);
  check_steps(DType::f64, DType::bf16, 0.1, 0.95, 1e-12);
}

// beta2 = 0.999 (the default) is 0.99900001 in float: 1 - beta2 taken in float is off by
// 1.3e-5, which v must not inherit.
TEST(AdamWStep, MatchesTheFormulaInFloat32) {
  check_steps(DType::f32, DType::f32, 0.0, 0.95, 1e-5);
  check_steps(DType::f32, DType::f32, 0.1, 0.999, 1e-5);
  check_steps(DType::f32, DType::bf16, 0.1, 0.999, 1e-5);
  check_steps(DType::f32, DType::f64, 0.1, 0.95, 1e-5);
}

// The update lands in the caller's tensors, and a parameter that requires a gradient is
// updated without recording anything.
TEST(AdamWStep, UpdatesInPlaceOutsideAutograd) {
  Tensor param = Tensor::full({3}, 1.0);
  param.set_requires_grad();
  Tensor m = Tensor::zeros({3}), v = Tensor::zeros({3});
  ops::adamw_step(param, Tensor::full({3}, 2.0), m, v, {.lr = 0.5});
  // Step 1 with a constant gradient: m_hat / sqrt(v_hat) = 1, so param = 1 - lr.
  for (double p : param.to_doubles()) EXPECT_NEAR(p, 0.5, 1e-6);
  for (double x : m.to_doubles()) EXPECT_NEAR(x, 0.2, 1e-6);
  for (double x : v.to_doubles()) EXPECT_NEAR(x, 0.004, 1e-6);
  EXPECT_TRUE(param.requires_grad());
  EXPECT_FALSE(param.grad().defined());
}

}  // namespace
}  // namespace forge
