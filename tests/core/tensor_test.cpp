#include <forge/autograd.h>
#include <forge/ops.h>
#include <forge/random.h>

#include <gtest/gtest.h>

#include <cmath>

namespace forge {
namespace {

TEST(Tensor, FactoriesShapesAndValues) {
  Tensor t = Tensor::from_floats(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(t.shape(), (Shape{2, 3}));
  EXPECT_EQ(t.strides(), (Shape{3, 1}));
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.size(-1), 3);
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_EQ(t.to_doubles(), (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(Tensor::full({2}, 7, DType::i32).to_doubles(), (std::vector<double>{7, 7}));
  EXPECT_EQ(Tensor::zeros({}, DType::f64).item(), 0.0);
}

TEST(Tensor, ViewsShareStorage) {
  Tensor t = Tensor::from_floats(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3});
  Tensor tr = t.transpose(0, 1);
  EXPECT_EQ(tr.shape(), (Shape{3, 2}));
  EXPECT_FALSE(tr.is_contiguous());
  EXPECT_TRUE(tr.same_storage(t));
  EXPECT_EQ(tr.to_doubles(), (std::vector<double>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(t.slice(1, 1, 3).to_doubles(), (std::vector<double>{2, 3, 5, 6}));
  EXPECT_EQ(t.view({3, -1}).shape(), (Shape{3, 2}));
  Tensor row = Tensor::from_floats(std::vector<float>{1, 2, 3}, {3});
  EXPECT_EQ(row.expand({2, 3}).strides(), (Shape{0, 1}));
  ops::copy_into(t.slice(0, 0, 1), Tensor::zeros({1, 3}));
  EXPECT_EQ(t.to_doubles(), (std::vector<double>{0, 0, 0, 4, 5, 6}));
}

TEST(Tensor, Bf16RoundsToNearestEven) {
  EXPECT_EQ(bf16_t(1.0f).bits, 0x3f80);
  EXPECT_EQ(static_cast<float>(bf16_t(1.00390625f)), 1.0f);       // halfway: rounds to even
  EXPECT_EQ(static_cast<float>(bf16_t(1.01171875f)), 1.015625f);  // halfway: rounds up to even
  EXPECT_TRUE(std::isnan(static_cast<float>(bf16_t(std::nanf("")))));
  Tensor t = Tensor::from_floats(std::vector<float>{3.14159f}, {1}).to(DType::bf16);
  EXPECT_NEAR(t.item(), 3.140625, 1e-9);
}

TEST(Tensor, ErrorsNameTheOpAndShapes) {
  Tensor a = Tensor::zeros({4, 64}), b = Tensor::zeros({32, 8});
  try {
    ops::matmul(a, b);
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "[matmul] inner dimensions 64 and 32 differ (shapes [4, 64] and [32, 8])");
  }
  try {
    ops::add(Tensor::zeros({2, 3}), Tensor::zeros({4}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "[add] shapes [2, 3] and [4] cannot be broadcast together");
  }
  EXPECT_THROW(ops::add(Tensor::zeros({2}), Tensor::zeros({2}, DType::f64)), Error);
  EXPECT_THROW(ops::exp(Tensor::zeros({2}, DType::i32)), Error);
  EXPECT_THROW(Tensor::zeros({2}).view({3}), Error);
  EXPECT_THROW(Tensor::zeros({2}).to(Device::cuda()), Error);
}

TEST(Autograd, AccumulatesThroughSharedInputsAndFreesTheGraph) {
  Tensor x = Tensor::from_doubles(std::vector<double>{1, 2, 3}, {3});
  x.set_requires_grad();
  Tensor y = ops::mul(x, x);            // dy/dx = 2x
  Tensor z = ops::sum(ops::add(y, x));  // dz/dx = 2x + 1
  z.backward();
  EXPECT_EQ(x.grad().to_doubles(), (std::vector<double>{3, 5, 7}));
  EXPECT_THROW(z.backward(), Error);  // the graph was used and freed
}

TEST(Autograd, NoGradScopeRecordsNothing) {
  Tensor x = Tensor::from_doubles(std::vector<double>{1, 2}, {2});
  x.set_requires_grad();
  {
    NoGradGuard guard;
    EXPECT_FALSE(ops::mul(x, x).requires_grad());
  }
  EXPECT_TRUE(ops::mul(x, x).requires_grad());
}

TEST(Random, CounterBasedAndReproducible) {
  Generator a(42), b(42), c(43);
  EXPECT_EQ(a.next_u64(), b.next_u64());
  EXPECT_NE(a.next_u64(), c.next_u64());
  Generator d(42);
  d.seek(1);
  Generator e(42);
  e.next_u64();
  EXPECT_EQ(d.next_u64(), e.next_u64());
  double total = 0;
  Generator n(7);
  for (int i = 0; i < 20000; ++i) total += n.normal();
  EXPECT_NEAR(total / 20000, 0.0, 0.03);
}

}  // namespace
}  // namespace forge
