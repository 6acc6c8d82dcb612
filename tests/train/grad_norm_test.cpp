#include "train/grad_norm.h"

#include <forge/tensor.h>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace forge {
namespace {

Tensor doubles(std::vector<double> values, const Shape& shape, DType dtype) {
  return Tensor::from_doubles(values, shape, dtype);
}

TEST(GradNorm, KnownNormAcrossDtypesSkippingUndefined) {
  std::vector<Tensor> grads = {doubles({3, 4}, {2}, DType::f32), Tensor(),
                               doubles({12}, {1, 1}, DType::f64),
                               doubles({0, 0, 0, 0}, {2, 2}, DType::bf16)};
  EXPECT_DOUBLE_EQ(global_grad_norm(grads), 13.0);
  EXPECT_DOUBLE_EQ(global_grad_norm({doubles({1, 2, 2}, {3}, DType::bf16)}), 3.0);
  EXPECT_EQ(global_grad_norm({}), 0.0);
}

TEST(GradNorm, AccumulatesInDouble) {
  // Squares of 1e20 overflow float; the norm 2e20 itself does not.
  Tensor big = doubles({1e20, 1e20, 1e20, 1e20}, {4}, DType::f32);
  EXPECT_NEAR(global_grad_norm({big}) / 2e20, 1.0, 1e-6);
  // Many small values whose float sum would stall.
  Tensor many = Tensor::full({1 << 20}, 1e-3, DType::f32);
  EXPECT_NEAR(global_grad_norm({many}), 1024.0 * static_cast<double>(1e-3f), 1e-9);
}

TEST(GradNorm, ReadsViews) {
  Tensor base = doubles({1, 2, 3, 4, 5, 6}, {2, 3}, DType::f32);
  EXPECT_DOUBLE_EQ(global_grad_norm({base.transpose(0, 1)}), std::sqrt(91.0));
  EXPECT_DOUBLE_EQ(global_grad_norm({base.slice(1, 1, 2)}), std::sqrt(29.0));
}

TEST(ClipGradNorm, ScalesExactlyToMaxNorm) {
  Tensor a = doubles({3, 4}, {2}, DType::f32);
  Tensor b = doubles({12}, {1}, DType::bf16);
  std::vector<Tensor> grads = {a, Tensor(), b};
  EXPECT_DOUBLE_EQ(clip_grad_norm(grads, 6.5), 13.0);
  // The caller's handles see the scaled values: the gradients were written in place.
  EXPECT_EQ(a.to_doubles(), (std::vector<double>{1.5, 2.0}));
  EXPECT_EQ(b.to_doubles(), (std::vector<double>{6.0}));
  EXPECT_DOUBLE_EQ(global_grad_norm(grads), 6.5);

  Tensor c = doubles({0.3, -0.4, 1.2}, {3}, DType::f64);
  std::vector<Tensor> odd = {c};
  EXPECT_DOUBLE_EQ(clip_grad_norm(odd, 0.26), 1.3);
  EXPECT_NEAR(global_grad_norm(odd), 0.26, 1e-15);
  EXPECT_NEAR(c.to_doubles()[1], -0.08, 1e-15);
}

TEST(ClipGradNorm, LeavesSmallNormsAndDisabledClippingAlone) {
  for (double max_norm : {13.0, 20.0, 0.0, -1.0}) {
    Tensor a = doubles({3, 4, 12}, {3}, DType::f32);
    std::vector<Tensor> grads = {a};
    EXPECT_DOUBLE_EQ(clip_grad_norm(grads, max_norm), 13.0);
    EXPECT_EQ(a.to_doubles(), (std::vector<double>{3, 4, 12})) << "max_norm " << max_norm;
  }
}

TEST(ClipGradNorm, NonFiniteNormLeavesGradientsForTheGuard) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Tensor a = doubles({3, 4}, {2}, DType::f32);
  Tensor b = doubles({nan, 1}, {2}, DType::f32);
  std::vector<Tensor> grads = {a, b};
  EXPECT_TRUE(std::isnan(clip_grad_norm(grads, 1.0)));
  EXPECT_EQ(a.to_doubles(), (std::vector<double>{3, 4}));
}

TEST(NonFinite, FindsNanAndInfinityByName) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(all_finite(doubles({1, -2, 3e38}, {3}, DType::f32)));
  EXPECT_TRUE(all_finite(Tensor()));
  EXPECT_TRUE(all_finite(Tensor::from_ints(std::vector<std::int32_t>{1, 2}, {2})));
  EXPECT_FALSE(all_finite(doubles({1, nan}, {2}, DType::f32)));
  EXPECT_FALSE(all_finite(doubles({-inf, 0}, {2}, DType::bf16)));
  EXPECT_FALSE(all_finite(doubles({inf}, {1}, DType::f64)));

  NamedTensors named = {{"wte.weight", doubles({1, 2}, {2}, DType::f32)},
                        {"h.0.ln_1.weight", Tensor()},
                        {"h.0.attn.c_attn.weight", doubles({0, 1, 2, 3}, {2, 2}, DType::f32)},
                        {"lm_head.weight", doubles({4, 5}, {2}, DType::f32)}};
  EXPECT_EQ(first_non_finite(named), "");
  named[3].second = doubles({inf, 5}, {2}, DType::f32);
  EXPECT_EQ(first_non_finite(named), "lm_head.weight");
  named[2].second = doubles({0, 1, 2, nan}, {2, 2}, DType::f32);
  EXPECT_EQ(first_non_finite(named), "h.0.attn.c_attn.weight");
  // A NaN outside a view's window does not count against the view.
  named[2].second = named[2].second.slice(0, 0, 1);
  EXPECT_EQ(first_non_finite(named), "lm_head.weight");
}

}  // namespace
}  // namespace forge
