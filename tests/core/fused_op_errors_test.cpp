// The fused ops' front ends refuse bad shapes, dtypes and options with a forge::Error that
// names the op in brackets and says what was wrong; and their edge cases behave as ops.h says.
#include <forge/ops.h>
#include <forge/random.h>

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace forge {
namespace {

// fn must throw a forge::Error starting "[op]" and mentioning `detail`.
void expect_error(const std::function<void()>& fn, const std::string& op,
                  const std::string& detail) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected [" << op << "] ... " << detail;
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_TRUE(message.starts_with("[" + op + "] ")) << message;
    EXPECT_NE(message.find(detail), std::string::npos) << message;
  }
}

Tensor zeros(const Shape& shape, DType dtype = DType::f32) { return Tensor::zeros(shape, dtype); }
Tensor ints(std::vector<std::int32_t> values) {
  return Tensor::from_ints(values, {static_cast<std::int64_t>(values.size())});
}

ops::AttentionOptions offset_by(std::int64_t offset, bool causal = true) {
  ops::AttentionOptions options;
  options.causal = causal;
  options.query_offset = offset;
  return options;
}

TEST(FusedOpErrors, Attention) {
  Tensor q = zeros({1, 4, 3, 8}), kv = zeros({1, 2, 5, 8});
  expect_error([&] { ops::attention(zeros({4, 3, 8}), kv, kv); }, "attention", "q must be 4-d");
  expect_error([&] { ops::attention(q, kv, zeros({1, 2, 6, 8})); }, "attention", "must match");
  expect_error(
      [&] {
        ops::attention(q, zeros({1, 2, 5, 7}), zeros({1, 2, 5, 7}));
      },
      "attention", "head size");
  expect_error(
      [&] {
        ops::attention(q, zeros({1, 3, 5, 8}), zeros({1, 3, 5, 8}));
      },
      "attention", "multiple of the kv heads");
  expect_error([&] { ops::attention(q, kv.to(DType::bf16), kv); }, "attention", "dtypes");
  expect_error(
      [&] {
        ops::attention(zeros({1, 4, 3, 8}, DType::i32), kv, kv);
      },
      "attention", "floating-point");
  // Causal queries at positions 3..5 need 6 keys; there are 5.
  expect_error([&] { ops::attention(q, kv, kv, offset_by(3)); }, "attention",
               "need at least 6 keys");
  expect_error([&] { ops::attention(q, kv, kv, offset_by(-1)); }, "attention", "query_offset");
  EXPECT_NO_THROW(ops::attention(q, kv, kv, offset_by(3, false)));

  auto packed = [&](std::vector<std::int32_t> starts, std::int64_t S = 3) {
    ops::AttentionOptions options;
    options.document_starts =
        Tensor::from_ints(starts, {1, static_cast<std::int64_t>(starts.size())});
    Tensor keys = zeros({1, 2, S, 8});
    return ops::attention(q, keys, keys, options);
  };
  EXPECT_NO_THROW(packed({0, 0, 2}));
  expect_error([&] { packed({0, 0, 2}, 5); }, "attention", "as many keys as queries");
  expect_error([&] { packed({0, 0}); }, "attention", "must be i32 [B, T] = [1, 3]");
  expect_error([&] { packed({0, 2, 1}); }, "attention", "document_starts[0, 1] is 2");
  expect_error([&] { packed({0, 1, 0}); }, "attention", "document_starts[0, 2] is 0");
}

TEST(FusedOpErrors, Norms) {
  Tensor x = zeros({4, 6});
  expect_error([&] { ops::layer_norm(x, zeros({5}), Tensor()); }, "layer_norm",
               "the last dim of x is 6");
  expect_error([&] { ops::layer_norm(x, zeros({6}), zeros({6, 1})); }, "layer_norm", "bias");
  expect_error([&] { ops::layer_norm(x, zeros({6}, DType::f64), Tensor()); }, "layer_norm", "f64");
  expect_error([&] { ops::layer_norm(x, Tensor(), Tensor()); }, "layer_norm", "undefined");
  expect_error([&] { ops::rms_norm(x, zeros({4})); }, "rms_norm", "the last dim of x is 6");
  expect_error([&] { ops::rms_norm(zeros({}), zeros({1})); }, "rms_norm", "scalar");
}

TEST(FusedOpErrors, EmbeddingAndCrossEntropy) {
  Tensor table = zeros({5, 3});
  expect_error([&] { ops::embedding(zeros({2}), table); }, "embedding", "ids must be i32");
  expect_error([&] { ops::embedding(ints({0}), zeros({5})); }, "embedding", "2-d");
  expect_error([&] { ops::embedding(ints({1, 5}), table); }, "embedding", "id 5 at position 1");
  expect_error([&] { ops::embedding(ints({-1}), table); }, "embedding", "out of range");

  Tensor logits = zeros({3, 4});
  expect_error([&] { ops::cross_entropy(logits, zeros({3})); }, "cross_entropy", "i32");
  expect_error([&] { ops::cross_entropy(logits, ints({0, 1})); }, "cross_entropy", "[3]");
  expect_error(
      [&] {
        ops::cross_entropy(logits, ints({0, 1, 4}));
      },
      "cross_entropy", "target 4 in row 2");
  ops::CrossEntropyOptions weighted;
  weighted.weights = zeros({2});
  expect_error(
      [&] {
        ops::cross_entropy(logits, ints({0, 1, 2}), weighted);
      },
      "cross_entropy", "weights have shape [2]");
  // A bad target deep in a long batch is found by a worker thread and still reported.
  std::vector<std::int32_t> many(5000, 1);
  many[4321] = 99;
  expect_error(
      [&] {
        ops::cross_entropy(zeros({5000, 40}), ints(many));
      },
      "cross_entropy", "row 4321");
}

TEST(FusedOpErrors, RopeActivationsSoftmaxAdamW) {
  expect_error([&] { ops::rope(zeros({1, 2, 3, 5})); }, "rope", "must be even");
  expect_error([&] { ops::rope(zeros({2, 3, 4})); }, "rope", "[B, H, T, D]");
  expect_error(
      [&] {
        ops::rope(zeros({1, 1, 2, 4}), {.position_offset = -2});
      },
      "rope", "position_offset");
  expect_error([&] { ops::rope(zeros({1, 1, 2, 4}), {.theta = 0.0}); }, "rope", "theta");
  expect_error([&] { ops::gelu(zeros({3}, DType::i32)); }, "gelu", "floating-point");
  expect_error([&] { ops::silu(zeros({3}, DType::i32)); }, "silu", "floating-point");
  expect_error([&] { ops::sqrt(zeros({3}, DType::i32)); }, "sqrt", "floating-point");
  expect_error([&] { ops::rsqrt(zeros({3}, DType::i32)); }, "rsqrt", "floating-point");
  expect_error([&] { ops::softmax(zeros({})); }, "softmax", "scalar");

  Tensor p = zeros({4}), m = zeros({4}), v = zeros({4});
  expect_error([&] { ops::adamw_step(p, zeros({5}), m, v, {}); }, "adamw", "grad has shape [5]");
  expect_error([&] { ops::adamw_step(p, p, zeros({4}, DType::f64), v, {}); }, "adamw", "m is f64");
  expect_error([&] { ops::adamw_step(zeros({4}, DType::bf16), p, m, v, {}); }, "adamw",
               "master weights");
  expect_error([&] { ops::adamw_step(p, p, m, v, {.step = 0}); }, "adamw", "step counts from 1");
  Tensor wide = zeros({4, 2});
  expect_error(
      [&] {
        ops::adamw_step(wide.transpose(0, 1), zeros({2, 4}), zeros({2, 4}), zeros({2, 4}), {});
      },
      "adamw", "contiguous");
}

// ops.h: "A scalar; 0 when no row counts", and then no gradient reaches the logits.
TEST(FusedOpEdgeCases, CrossEntropyWithNoCountedRowIsZero) {
  Generator g(3);
  Tensor logits = Tensor::uniform({3, 5}, g, -1.0, 1.0, DType::f64);
  logits.set_requires_grad();
  ops::CrossEntropyOptions options;
  options.weights = Tensor::from_doubles(std::vector<double>{0.0, 1.0, 0.0}, {3});
  Tensor loss = ops::cross_entropy(logits, ints({1, -100, 4}), options);
  EXPECT_EQ(loss.item(), 0.0);
  loss.backward();
  for (double d : logits.grad().to_doubles()) EXPECT_EQ(d, 0.0);
}

// The gradient reaches the table only; ids are constants even when part of a graph.
TEST(FusedOpEdgeCases, EmbeddingOfRepeatedIdsAddsTheirGradients) {
  Tensor table = Tensor::zeros({4, 2}, DType::f64);
  table.set_requires_grad();
  ops::sum(ops::embedding(Tensor::from_ints(std::vector<std::int32_t>{2, 0, 2, 2}, {2, 2}), table))
      .backward();
  EXPECT_EQ(table.grad().to_doubles(), (std::vector<double>{1, 1, 0, 0, 3, 3, 0, 0}));
}

}  // namespace
}  // namespace forge
