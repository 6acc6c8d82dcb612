#pragma once

// Ops are free functions. Each validates shapes and dtypes (throwing forge::Error such as
// "[matmul] inner dimensions 64 and 32 differ"), runs on the backend of its inputs' device and,
// when an input requires a gradient, records itself for the backward pass.

#include <forge/export.h>
#include <forge/tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace forge::ops {

// Elementwise, with NumPy broadcasting. Both inputs must share dtype and device.
FORGE_API Tensor add(const Tensor& a, const Tensor& b);
FORGE_API Tensor sub(const Tensor& a, const Tensor& b);
FORGE_API Tensor mul(const Tensor& a, const Tensor& b);
FORGE_API Tensor div(const Tensor& a, const Tensor& b);
// scale * x + shift
FORGE_API Tensor affine(const Tensor& x, double scale, double shift = 0.0);
FORGE_API Tensor exp(const Tensor& x);
FORGE_API Tensor log(const Tensor& x);
FORGE_API Tensor tanh(const Tensor& x);
FORGE_API Tensor sqrt(const Tensor& x);
FORGE_API Tensor rsqrt(const Tensor& x);  // 1 / sqrt(x)

// Activations. gelu is GPT-2's tanh approximation:
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
FORGE_API Tensor gelu(const Tensor& x);
FORGE_API Tensor silu(const Tensor& x);  // x * sigmoid(x)

// Sum over `dims` (all dims when empty); keepdim leaves them as size 1.
FORGE_API Tensor sum(const Tensor& x, std::vector<int> dims = {}, bool keepdim = false);
FORGE_API Tensor mean(const Tensor& x, std::vector<int> dims = {}, bool keepdim = false);
// Sums a broadcast gradient back down to `shape` (the reverse of broadcasting).
FORGE_API Tensor sum_to(const Tensor& x, const Shape& shape);

// [..., M, K] @ [..., K, N] -> [..., M, N]. `b` may be 2-d and shared by every batch of `a`.
// The transpose flags swap the last two dims of an input without copying it.
FORGE_API Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
                        bool transpose_b = false);

// Softmax over the last dim.
FORGE_API Tensor softmax(const Tensor& x);

// Normalizes x [..., C] over its last dim: (x - mean) / sqrt(var + eps) * weight [C] + bias [C]
// (biased variance; `bias` may be undefined). One fused kernel each way.
FORGE_API Tensor layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias,
                            double eps = 1e-5);
// x / sqrt(mean(x^2) + eps) * weight [C], over the last dim of x [..., C].
FORGE_API Tensor rms_norm(const Tensor& x, const Tensor& weight, double eps = 1e-6);

// Rows of `table` [V, C] picked by `ids` (i32, any shape) -> [..., C]. An id outside [0, V)
// throws. The gradient reaches the table only (a deterministic scatter-add).
FORGE_API Tensor embedding(const Tensor& ids, const Tensor& table);

struct CrossEntropyOptions {
  std::int64_t ignore_index = -100;  // rows with this target do not count
  double z_loss = 0.0;               // adds z_loss * logsumexp^2 per row (PaLM's z-loss)
  Tensor weights;  // optional per-row weights [N] (a loss mask); rows of weight 0 do not count
};
// Mean over the counted rows of logsumexp(logits[n]) - logits[n, targets[n]] (+ the z-loss),
// weighted by `weights` when given: sum(w * loss) / sum(w). logits [N, V] (or [..., V] with
// targets [...]), targets i32 [N]. A scalar; 0 when no row counts. Gradient to logits only.
FORGE_API Tensor cross_entropy(const Tensor& logits, const Tensor& targets,
                               const CrossEntropyOptions& options = {});

struct AttentionOptions {
  bool causal = true;
  std::optional<double> scale;    // 1 / sqrt(D) when unset
  std::int64_t query_offset = 0;  // absolute position of the first query (KV-cache decoding)
  // Packed documents (causal, no offset, S == T): i32 [B, T], the position where query t's
  // document starts; query t then sees keys document_starts[b, t] ..= t only.
  Tensor document_starts;
};
// softmax(scale q k^T) v per head: q [B, Hq, T, D], k and v [B, Hkv, S, D] -> [B, Hq, T, D].
// Query head h reads kv head h / (Hq / Hkv) (grouped-query attention). Causal: query t, at
// absolute position query_offset + t, sees keys 0 ..= query_offset + t (needs S >= that + 1).
FORGE_API Tensor attention(const Tensor& q, const Tensor& k, const Tensor& v,
                           const AttentionOptions& options = {});

struct RopeOptions {
  std::int64_t position_offset = 0;  // position of the first of the T rows
  double theta = 10000.0;
};
// Rotary position embedding of x [B, H, T, D] in the Hugging Face Llama convention: element i
// pairs with i + D/2 and both rotate by (position_offset + t) * theta^(-2i / D).
FORGE_API Tensor rope(const Tensor& x, const RopeOptions& options = {});

struct AdamWOptions {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
  std::int64_t step = 1;    // the number of this update, counting from 1
  double grad_scale = 1.0;  // g = grad_scale * grad: gradient clipping without another pass
};
// One AdamW update in place, outside autograd, elementwise over param, m and v (same shape,
// contiguous, f32 or f64 alike; grad of any floating dtype is converted while read):
//   g = grad_scale * grad;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   param -= lr * ((m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps)
//                  + weight_decay * param)
FORGE_API void adamw_step(const Tensor& param, const Tensor& grad, const Tensor& m, const Tensor& v,
                          const AdamWOptions& options);

// Writes `src` into `dst` (a view; shapes must match, dtypes may differ). No autograd.
FORGE_API void copy_into(const Tensor& dst, const Tensor& src);
// Sets every element of `dst` (any view) to `value`. No autograd.
FORGE_API void fill(const Tensor& dst, double value);

}  // namespace forge::ops
