// Cases for the fused activations, softmax, embedding and cross-entropy. Each reference is a
// plain double loop over the op's definition in ops.h, written apart from the kernel so that
// the two cannot share a bug.
#include "core/op_cases.h"

#include <cmath>
#include <numbers>

namespace forge::test {
namespace {

std::vector<Shape> one(Generator& g) { return {rows_by(g, random_dim(g))}; }

// Many long rows: several threads' chunks, and the vectorized row loops past their tails.
std::vector<Shape> long_rows(Generator& g) {
  return {{random_between(g, 30, 60), random_between(g, 600, 1000)}};
}

double gelu_ref(double x) {
  const double c = std::sqrt(2.0 / std::numbers::pi);
  return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
}

void softmax_row(const double* x, double* y, std::size_t C) {
  double m = x[0], total = 0;
  for (std::size_t j = 0; j < C; ++j) m = std::max(m, x[j]);
  for (std::size_t j = 0; j < C; ++j) total += y[j] = std::exp(x[j] - m);
  for (std::size_t j = 0; j < C; ++j) y[j] /= total;
}

// The activations and softmax see inputs of scale 4, reaching the tails of tanh and sigmoid.
Tensor times4(const Tensor& x) {
  return map_doubles(x, [](double v) { return 4 * v; });
}

OpCase softmax_case(const char* name, std::vector<Shape> (*shapes)(Generator&)) {
  return {.name = name,
          .shapes = shapes,
          .run = [](const auto& x) { return ops::softmax(ops::affine(x[0], 4.0)); },
          .reference = [](const auto& x) { return map_rows(times4(x[0]), softmax_row); }};
}

// ids of `shape` drawn from [0, V), the first one repeated last so the scatter-add must add.
Tensor random_ids(Generator& g, const Shape& shape, std::int64_t V) {
  std::vector<std::int32_t> ids(static_cast<std::size_t>(shape_numel(shape)));
  for (auto& id : ids) id = static_cast<std::int32_t>(g.next_u64() % static_cast<std::uint64_t>(V));
  if (ids.size() > 1) ids.back() = ids.front();
  return Tensor::from_ints(ids, shape);
}

Tensor embedding_ref(const Tensor& table, const Tensor& ids) {
  std::vector<double> rows = table.to_doubles(), out;
  const auto C = static_cast<std::size_t>(table.size(1));
  for (double id : ids.to_doubles())
    for (std::size_t j = 0; j < C; ++j) out.push_back(rows[static_cast<std::size_t>(id) * C + j]);
  Shape shape = ids.shape();
  shape.push_back(table.size(1));
  return Tensor::from_doubles(out, shape);
}

// More ids than rows, so every trial looks some rows up more than once.
OpCase embedding_case(const char* name, std::vector<Shape> (*shapes)(Generator&)) {
  return {.name = name,
          .shapes = shapes,
          .run = [](const auto& x) { return ops::embedding(x[1], x[0]); },
          .fixed_inputs =
              [](Generator& g, const auto& s) {
                const std::int64_t V = s[0][0], N = V + random_dim(g);
                Shape ids = g.next_u64() % 2 ? Shape{N} : Shape{2, N};
                return std::vector<Tensor>{random_ids(g, ids, V)};
              },
          .reference = [](const auto& x) { return embedding_ref(x[0], x[1]); }};
}

struct XentSetup {
  const char* name;
  std::int64_t ignore_index;
  double z_loss;
  bool weighted;
  std::vector<Shape> (*shapes)(Generator&);
};

// Targets with about one row in four set to ignore_index (never row 0, so some row counts),
// and with `weighted` per-row weights in [0.1, 2) of which about one in four is 0.
std::vector<Tensor> xent_fixed(Generator& g, const Shape& logits, const XentSetup& setup) {
  Shape rows(logits.begin(), logits.end() - 1);
  const auto N = static_cast<std::size_t>(shape_numel(rows));
  const auto V = static_cast<std::uint64_t>(logits.back());
  std::vector<std::int32_t> targets(N);
  std::vector<double> weights(N);
  for (std::size_t n = 0; n < N; ++n) {
    targets[n] = static_cast<std::int32_t>(g.next_u64() % V);
    if (n > 0 && g.next_u64() % 4 == 0) targets[n] = static_cast<std::int32_t>(setup.ignore_index);
    weights[n] = n > 0 && g.next_u64() % 4 == 0 ? 0.0 : 0.1 + 1.9 * g.uniform();
  }
  std::vector<Tensor> fixed = {Tensor::from_ints(targets, rows)};
  if (setup.weighted) fixed.push_back(Tensor::from_doubles(weights, rows));
  return fixed;
}

Tensor xent_ref(const Tensor& logits, const std::vector<Tensor>& x, const XentSetup& setup) {
  std::vector<double> z = logits.to_doubles(), targets = x[1].to_doubles();
  std::vector<double> weights = setup.weighted ? x[2].to_doubles() : std::vector<double>();
  const auto V = static_cast<std::size_t>(logits.size(-1));
  double total = 0, counted = 0;
  for (std::size_t n = 0; n < targets.size(); ++n) {
    const double w = setup.weighted ? weights[n] : 1.0;
    if (targets[n] == static_cast<double>(setup.ignore_index) || w == 0) continue;
    const double* row = &z[n * V];
    double m = row[0], sum = 0;
    for (std::size_t j = 0; j < V; ++j) m = std::max(m, row[j]);
    for (std::size_t j = 0; j < V; ++j) sum += std::exp(row[j] - m);
    const double lse = m + std::log(sum);
    total += w * (lse - row[static_cast<std::size_t>(targets[n])] + setup.z_loss * lse * lse);
    counted += w;
  }
  return Tensor::from_doubles(std::vector<double>{counted ? total / counted : 0.0}, {});
}

// Logits of scale 3 make the softmax far from uniform.
OpCase xent_case(const XentSetup& setup) {
  return {.name = setup.name,
          .shapes = setup.shapes,
          .run =
              [setup](const auto& x) {
                ops::CrossEntropyOptions options;
                options.ignore_index = setup.ignore_index;
                options.z_loss = setup.z_loss;
                if (setup.weighted) options.weights = x[2];
                return ops::cross_entropy(ops::affine(x[0], 3.0), x[1], options);
              },
          .fixed_inputs = [setup](Generator& g,
                                  const auto& shapes) { return xent_fixed(g, shapes[0], setup); },
          .reference =
              [setup](const auto& x) {
                return xent_ref(map_doubles(x[0], [](double v) { return 3 * v; }), x, setup);
              }};
}

}  // namespace

std::vector<OpCase> fused_op_cases() {
  return {
      {.name = "gelu",
       .shapes = one,
       .run = [](const auto& x) { return ops::gelu(ops::affine(x[0], 4.0)); },
       .reference = [](const auto& x) { return map_doubles(times4(x[0]), gelu_ref); }},
      {.name = "silu",
       .shapes = one,
       .run = [](const auto& x) { return ops::silu(ops::affine(x[0], 4.0)); },
       .reference =
           [](const auto& x) {
             return map_doubles(times4(x[0]), [](double v) { return v / (1 + std::exp(-v)); });
           }},
      softmax_case("softmax", one),
      softmax_case("softmax_long_rows", long_rows),
      embedding_case("embedding",
                     [](Generator& g) {
                       return std::vector<Shape>{{random_dim(g), random_dim(g)}};
                     }),
      // A table of several chunks of rows for the scatter-add's threads.
      embedding_case(
          "embedding_large_table",
          [](Generator& g) {
            return std::vector<Shape>{{random_between(g, 600, 750), random_between(g, 60, 80)}};
          }),
      xent_case({"cross_entropy", -100, 0.0, false, one}),
      xent_case({"cross_entropy_z_loss", -100, 0.1, false, one}),
      // ignore_index 2 is a real class: rows of target 2 must not count.
      xent_case({"cross_entropy_weighted", 2, 0.05, true, one}),
      xent_case({"cross_entropy_large_vocab", -100, 0.01, true, long_rows}),
  };
}

}  // namespace forge::test
