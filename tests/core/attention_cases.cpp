// Cases for fused attention: causal or not, grouped-query heads, KV-cache query offsets, odd
// and even head sizes, and rows past the kernel's 64-key block so that the online softmax has
// to rescale. The reference forms the whole score matrix with primitive ops.
#include "core/op_cases.h"

#include <cmath>

namespace forge::test {
namespace {

struct AttentionSetup {
  const char* name;
  bool causal;
  std::int64_t hq, hkv;           // query and kv heads
  std::int64_t min_t, max_t;      // query rows; 0, 0 draws random_dim
  std::int64_t min_off, max_off;  // causal: the query offset, S = offset + T; else S (0, 0: random)
  std::optional<double> scale;
  bool wide = false;    // head sizes past 64, so the kernel's query blocks shrink below 64 rows
  bool packed = false;  // documents packed into each row: document_starts masks across them
};

// Documents of lengths that cycle through short, single-token and block-crossing ones, shifted
// per batch row so rows differ: the start of each position's document, i32 [B, T].
Tensor packed_starts(std::int64_t B, std::int64_t T) {
  static const std::int64_t kLengths[] = {5, 1, 13, 70, 2, 9};
  std::vector<std::int32_t> starts;
  for (std::int64_t b = 0; b < B; ++b) {
    std::int64_t start = 0, next = 0;
    for (std::int64_t t = 0, doc = b; t < T; ++t) {
      if (t == next) {
        start = t;
        next = t + kLengths[doc++ % std::size(kLengths)];
      }
      starts.push_back(static_cast<std::int32_t>(start));
    }
  }
  return Tensor::from_ints(starts, {B, T});
}

std::vector<Shape> attention_shapes(Generator& g, const AttentionSetup& a) {
  static const std::int64_t kWide[] = {72, 96, 130};
  const std::int64_t B = random_between(g, 1, 2);
  const std::int64_t D = a.wide ? kWide[g.next_u64() % std::size(kWide)] : random_dim(g);
  const std::int64_t T = a.max_t ? random_between(g, a.min_t, a.max_t) : random_dim(g);
  const std::int64_t S = a.causal    ? T + random_between(g, a.min_off, a.max_off)
                         : a.max_off ? random_between(g, a.min_off, a.max_off)
                                     : random_dim(g);
  return {{B, a.hq, T, D}, {B, a.hkv, S, D}, {B, a.hkv, S, D}};
}

ops::AttentionOptions options_for(const std::vector<Tensor>& x, const AttentionSetup& a) {
  return {.causal = a.causal,
          .scale = a.scale,
          .query_offset = a.causal ? x[1].size(2) - x[0].size(2) : 0,
          .document_starts = a.packed ? packed_starts(x[0].size(0), x[0].size(2)) : Tensor()};
}

// kv [B, Hkv, S, D] repeated to [B, Hq, S, D]: query head h reads kv head h / (Hq / Hkv).
Tensor repeat_heads(const Tensor& kv, std::int64_t hq) {
  const std::int64_t B = kv.size(0), H = kv.size(1), S = kv.size(2), D = kv.size(3);
  return kv.reshape({B, H, 1, S, D}).expand({B, H, hq / H, S, D}).reshape({B, hq, S, D});
}

// softmax(mask(scale q k^T)) v with explicit [T, S] scores. Inputs in [-1, 1] keep scores
// below 50, so exp in double needs no max shift; masked scores get weight exactly 0.
Tensor attention_ref(const std::vector<Tensor>& x, const AttentionSetup& a) {
  const Tensor& q = x[0];
  const std::int64_t T = q.size(2), S = x[1].size(2), D = q.size(3);
  const ops::AttentionOptions options = options_for(x, a);
  const double scale = a.scale.value_or(1 / std::sqrt(static_cast<double>(D)));
  Tensor k = repeat_heads(x[1], q.size(1)), v = repeat_heads(x[2], q.size(1));
  Tensor scores = ops::affine(ops::matmul(q, k, false, true), scale);
  const std::int64_t B = a.packed ? q.size(0) : 1;
  const std::int32_t* starts = a.packed ? options.document_starts.data<std::int32_t>() : nullptr;
  std::vector<double> mask(static_cast<std::size_t>(B * T * S), 1.0);
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < T; ++t)
      for (std::int64_t s = 0; s < S; ++s)
        if ((a.causal && s > options.query_offset + t) || (starts && s < starts[b * T + t]))
          mask[(b * T + t) * S + s] = 0.0;
  Tensor p = ops::mul(ops::exp(scores), Tensor::from_doubles(mask, {B, 1, T, S}));
  return ops::div(ops::matmul(p, v), ops::sum(p, {-1}, true));
}

OpCase attention_case(const AttentionSetup& a) {
  return {.name = a.name,
          .shapes = [a](Generator& g) { return attention_shapes(g, a); },
          .run = [a](const auto& x) { return ops::attention(x[0], x[1], x[2], options_for(x, a)); },
          .reference = [a](const auto& x) { return attention_ref(x, a); }};
}

}  // namespace

std::vector<OpCase> attention_cases() {
  // Long cases keep few heads: they run hundreds of times under finite differences.
  static const AttentionSetup kSetups[] = {
      {"attention_causal", true, 2, 2, 0, 0, 0, 0, {}},
      {"attention_causal_gqa", true, 4, 2, 0, 0, 0, 3, {}},
      {"attention_gqa", false, 4, 2, 0, 0, 0, 0, {}},
      {"attention_mqa_scaled", false, 3, 1, 0, 0, 0, 0, 0.7},
      {"attention_kv_cache", true, 4, 2, 1, 7, 1, 40, {}},
      {"attention_long_causal", true, 2, 1, 70, 100, 0, 0, {}},
      {"attention_long_kv_cache", true, 4, 2, 1, 8, 60, 125, {}},
      {"attention_long", false, 1, 1, 65, 80, 100, 140, 1.5},
      {"attention_wide_heads", true, 2, 1, 30, 70, 0, 20, {}, true},
      {"attention_packed", true, 2, 1, 1, 40, 0, 0, {}, false, true},
      {"attention_packed_long", true, 2, 2, 65, 150, 0, 0, {}, false, true},
  };
  std::vector<OpCase> cases;
  for (const AttentionSetup& a : kSetups) cases.push_back(attention_case(a));
  return cases;
}

}  // namespace forge::test
