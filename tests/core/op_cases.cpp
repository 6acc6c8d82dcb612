#include "core/op_cases.h"

#include <cmath>

namespace forge::test {
namespace {

Shape random_shape(Generator& g, int ndim) {
  Shape shape(ndim);
  for (auto& d : shape) d = random_dim(g);
  return shape;
}

// Two shapes that broadcast: the second drops leading dims and sets some dims to 1.
std::vector<Shape> broadcast_pair(Generator& g) {
  Shape a = random_shape(g, 1 + static_cast<int>(g.next_u64() % 3));
  Shape b(a.begin() + static_cast<std::ptrdiff_t>(g.next_u64() % a.size()), a.end());
  for (auto& d : b)
    if (g.next_u64() % 3 == 0) d = 1;
  if (g.next_u64() % 2) std::swap(a, b);
  return {a, b};
}

std::vector<Shape> one(Generator& g) {
  return {random_shape(g, 1 + static_cast<int>(g.next_u64() % 3))};
}

std::vector<Shape> matmul_shapes(Generator& g, bool ta, bool tb, bool batched, bool shared_b) {
  std::int64_t m = random_dim(g), k = random_dim(g), n = random_dim(g),
               batch = 1 + g.next_u64() % 3;
  Shape a = ta ? Shape{k, m} : Shape{m, k};
  Shape b = tb ? Shape{n, k} : Shape{k, n};
  if (batched) a.insert(a.begin(), batch);
  if (batched && !shared_b) b.insert(b.begin(), batch);
  return {a, b};
}

OpCase matmul_case(bool ta, bool tb, bool batched, bool shared_b) {
  std::string name = std::string("matmul") + (ta ? "_ta" : "") + (tb ? "_tb" : "") +
                     (batched ? (shared_b ? "_batched_shared" : "_batched") : "");
  return {name, [=](Generator& g) { return matmul_shapes(g, ta, tb, batched, shared_b); },
          [=](const std::vector<Tensor>& x) { return ops::matmul(x[0], x[1], ta, tb); }};
}

}  // namespace

void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

std::int64_t random_dim(Generator& generator) {
  static const std::int64_t kSizes[] = {1, 2, 3, 5, 7, 8, 13, 17, 31, 33};
  return kSizes[generator.next_u64() % std::size(kSizes)];
}

std::int64_t random_between(Generator& generator, std::int64_t low, std::int64_t high) {
  return low + static_cast<std::int64_t>(generator.next_u64() %
                                         static_cast<std::uint64_t>(high - low + 1));
}

Shape rows_by(Generator& generator, std::int64_t C) {
  Shape shape;
  for (auto n = generator.next_u64() % 3; n > 0; --n) shape.push_back(random_dim(generator));
  shape.push_back(C);
  return shape;
}

Tensor map_doubles(const Tensor& x, const std::function<double(double)>& f) {
  std::vector<double> values = x.to_doubles();
  for (double& value : values) value = f(value);
  return Tensor::from_doubles(values, x.shape());
}

Tensor map_rows(const Tensor& x,
                const std::function<void(const double*, double*, std::size_t)>& row) {
  std::vector<double> in = x.to_doubles(), out(in.size());
  const auto C = static_cast<std::size_t>(x.size(-1));
  for (std::size_t r = 0; C && r < in.size() / C; ++r) row(&in[r * C], &out[r * C], C);
  return Tensor::from_doubles(out, x.shape());
}

const std::vector<OpCase>& op_cases() {
  static const std::vector<OpCase> cases = [] {
    std::vector<OpCase> all = {
        {"add", broadcast_pair, [](const auto& x) { return ops::add(x[0], x[1]); }},
        {"sub", broadcast_pair, [](const auto& x) { return ops::sub(x[0], x[1]); }},
        {"mul", broadcast_pair, [](const auto& x) { return ops::mul(x[0], x[1]); }},
        {"div", broadcast_pair, [](const auto& x) { return ops::div(x[0], x[1]); }, true},
        {"affine", one, [](const auto& x) { return ops::affine(x[0], -1.5, 0.25); }},
        {"exp", one, [](const auto& x) { return ops::exp(x[0]); }},
        {"log", one, [](const auto& x) { return ops::log(x[0]); }, true},
        {"tanh", one, [](const auto& x) { return ops::tanh(x[0]); }},
        {"sqrt",
         one,
         [](const auto& x) { return ops::sqrt(x[0]); },
         true,
         {},
         [](const auto& x) { return map_doubles(x[0], [](double v) { return std::sqrt(v); }); }},
        {"rsqrt",
         one,
         [](const auto& x) { return ops::rsqrt(x[0]); },
         true,
         {},
         [](const auto& x) {
           return map_doubles(x[0], [](double v) { return 1 / std::sqrt(v); });
         }},
        // A transposed view: the elementwise kernels walk any strides.
        {"sqrt_strided",
         one,
         [](const auto& x) { return ops::sqrt(x[0].transpose(0, -1)); },
         true,
         {},
         [](const auto& x) {
           return map_doubles(x[0].transpose(0, -1).contiguous(),
                              [](double v) { return std::sqrt(v); });
         }},
        {"sum_all", one, [](const auto& x) { return ops::sum(x[0]); }},
        {"sum_last", one, [](const auto& x) { return ops::sum(x[0], {-1}); }},
        {"sum_first_keepdim", one, [](const auto& x) { return ops::sum(x[0], {0}, true); }},
        {"mean", one, [](const auto& x) { return ops::mean(x[0], {-1}); }},
        {"transpose_copy", one, [](const auto& x) { return x[0].transpose(0, -1).contiguous(); }},
        {"slice", one, [](const auto& x) { return x[0].slice(-1, 0, (x[0].size(-1) + 1) / 2); }},
        {"to_and_back", one, [](const auto& x) { return x[0].to(DType::f64).to(x[0].dtype()); }},
    };
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        all.push_back(matmul_case(ta, tb, false, false));
        all.push_back(matmul_case(ta, tb, true, false));
        all.push_back(matmul_case(ta, tb, true, true));
      }
    for (auto* more : {&fused_op_cases, &norm_rope_cases, &attention_cases})
      for (OpCase& c : more()) all.push_back(std::move(c));
    return all;
  }();
  return cases;
}

}  // namespace forge::test
