// Cases for layer norm, RMS norm and rotary position embedding, with plain double loops as
// references.
#include "core/op_cases.h"

#include <cmath>

namespace forge::test {
namespace {

// x [rows..., C] and its [C] weight (and bias). `many` makes thousands of rows, so the weight
// gradients add partial sums from several chunks of rows.
std::vector<Shape> norm_shapes(Generator& g, bool many, bool with_bias) {
  const std::int64_t C = many ? random_between(g, 32, 40) : random_dim(g);
  std::vector<Shape> shapes = {many ? Shape{random_between(g, 1100, 1600), C} : rows_by(g, C), {C}};
  if (with_bias) shapes.push_back({C});
  return shapes;
}

Tensor norm_ref(const Tensor& x, const Tensor& weight, const Tensor* bias, bool rms, double eps) {
  std::vector<double> w = weight.to_doubles(), b = bias ? bias->to_doubles() : w;
  return map_rows(x, [&](const double* in, double* out, std::size_t C) {
    double mean = 0, var = 0;
    if (!rms)
      for (std::size_t j = 0; j < C; ++j) mean += in[j] / static_cast<double>(C);
    for (std::size_t j = 0; j < C; ++j) var += (in[j] - mean) * (in[j] - mean);
    const double rstd = 1 / std::sqrt(var / static_cast<double>(C) + eps);
    for (std::size_t j = 0; j < C; ++j) out[j] = (in[j] - mean) * rstd * w[j] + (bias ? b[j] : 0);
  });
}

OpCase layer_norm_case(const char* name, bool many, bool with_bias) {
  return {
      .name = name,
      .shapes = [=](Generator& g) { return norm_shapes(g, many, with_bias); },
      .run =
          [](const auto& x) { return ops::layer_norm(x[0], x[1], x.size() > 2 ? x[2] : Tensor()); },
      .reference =
          [](const auto& x) {
            return norm_ref(x[0], x[1], x.size() > 2 ? &x[2] : nullptr, false, 1e-5);
          }};
}

OpCase rms_norm_case(const char* name, bool many) {
  return {.name = name,
          .shapes = [=](Generator& g) { return norm_shapes(g, many, false); },
          .run = [](const auto& x) { return ops::rms_norm(x[0], x[1]); },
          .reference = [](const auto& x) { return norm_ref(x[0], x[1], nullptr, true, 1e-6); }};
}

// Frozen weight and bias (fixed inputs, cast to x's dtype): the kernel skips their gradients.
OpCase layer_norm_frozen() {
  return {.name = "layer_norm_frozen_params",
          .shapes = [](Generator& g) { return std::vector<Shape>{rows_by(g, random_dim(g))}; },
          .run =
              [](const auto& x) {
                DType dtype = x[0].dtype();
                return ops::layer_norm(x[0], x[1].to(dtype), x[2].to(dtype));
              },
          .fixed_inputs =
              [](Generator& g, const auto& shapes) {
                Shape c = {shapes[0].back()};
                return std::vector<Tensor>{Tensor::uniform(c, g, 0.5, 1.5, DType::f64),
                                           Tensor::uniform(c, g, -1.0, 1.0, DType::f64)};
              },
          .reference = [](const auto& x) { return norm_ref(x[0], x[1], &x[2], false, 1e-5); }};
}

// [B, H, T, D] with an even head size D; `long_rows` gives thousands of rows (several chunks).
std::vector<Shape> rope_shape(Generator& g, bool long_rows) {
  static const std::int64_t kHeadSizes[] = {2, 4, 6, 8, 14, 32};
  if (long_rows) return {{1, 2, random_between(g, 300, 500), 64}};
  std::int64_t D = kHeadSizes[g.next_u64() % std::size(kHeadSizes)];
  return {{random_between(g, 1, 2), random_between(g, 1, 3), random_dim(g), D}};
}

// Llama's rotate_half: x[i] pairs with x[i + D/2], both turned by (offset + t) theta^(-2i/D).
Tensor rope_ref(const Tensor& x, std::int64_t offset, double theta) {
  std::vector<double> in = x.to_doubles(), out(in.size());
  const std::int64_t T = x.size(2), D = x.size(3), half = D / 2;
  for (std::int64_t r = 0; r < x.numel() / D; ++r) {
    const double* xr = &in[r * D];
    double* o = &out[r * D];
    for (std::int64_t i = 0; i < half; ++i) {
      const double inv_frequency =
          std::exp(static_cast<double>(2 * i) / static_cast<double>(D) * std::log(theta));
      const double angle = static_cast<double>(offset + r % T) / inv_frequency;
      o[i] = xr[i] * std::cos(angle) - xr[i + half] * std::sin(angle);
      o[i + half] = xr[i + half] * std::cos(angle) + xr[i] * std::sin(angle);
    }
  }
  return Tensor::from_doubles(out, x.shape());
}

OpCase rope_case(const char* name, std::int64_t offset, double theta, bool long_rows = false) {
  return {.name = name,
          .shapes = [=](Generator& g) { return rope_shape(g, long_rows); },
          .run =
              [=](const auto& x) {
                return ops::rope(x[0], {.position_offset = offset, .theta = theta});
              },
          .reference = [=](const auto& x) { return rope_ref(x[0], offset, theta); }};
}

}  // namespace

std::vector<OpCase> norm_rope_cases() {
  return {
      layer_norm_case("layer_norm", false, true),
      layer_norm_case("layer_norm_no_bias", false, false),
      layer_norm_case("layer_norm_many_rows", true, true),
      layer_norm_frozen(),
      rms_norm_case("rms_norm", false),
      rms_norm_case("rms_norm_many_rows", true),
      rope_case("rope", 0, 10000.0),
      rope_case("rope_offset", 37, 10000.0),
      rope_case("rope_offset_llama3_theta", 1000, 500000.0),
      rope_case("rope_long", 5, 10000.0, true),
  };
}

}  // namespace forge::test
