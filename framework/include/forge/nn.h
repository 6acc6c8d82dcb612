#pragma once

// Building blocks that architecture plugins share: linear layers in both weight layouts,
// splitting and merging attention heads, and appending to a KV cache; and the log-probability
// of chosen tokens that policy-gradient losses need.

#include <forge/architecture.h>
#include <forge/export.h>
#include <forge/random.h>
#include <forge/tensor.h>

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace forge::nn {

// How a linear layer stores its weight: [in, out] (Hugging Face's GPT-2 Conv1D) or [out, in]
// (torch.nn.Linear, as in Llama).
enum class WeightLayout { in_out, out_in };

// x [..., in] times the weight, plus bias [out] when it is defined.
FORGE_API Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        WeightLayout layout);

// [B, T, H * D] -> [B, H, T, D] and back.
FORGE_API Tensor split_heads(const Tensor& x, std::int64_t heads);
FORGE_API Tensor merge_heads(const Tensor& x);

// Writes k and v [B, Hkv, T, D] after the cache's filled positions of `layer` and returns that
// layer's keys and values up to and including them. Inference only: the copy has no gradient.
FORGE_API std::pair<Tensor, Tensor> cache_append(KVCache& cache, int layer, const Tensor& k,
                                                 const Tensor& v);

// merge_heads(attention(q, k, v)), causal, kept inside each packed document when
// `document_starts` is defined. With a cache, k and v are first appended to `layer`'s entries
// and the queries start at the cache's length.
FORGE_API Tensor attend(const Tensor& q, Tensor k, Tensor v, const Tensor& document_starts,
                        KVCache* cache, int layer);

// Position ids offset, offset + 1, ... as an i32 tensor [count] on `device` (a model passes its
// position table's, since ops refuse inputs on two devices).
FORGE_API Tensor positions(std::int64_t offset, std::int64_t count, Device device = Device::cpu());
// Each token's position in its own document, i32 [B, T], from ForwardOptions::document_starts.
FORGE_API Tensor document_positions(const Tensor& document_starts);

// A new parameter: normal(0, std) values from `generator`, or `fill` everywhere when std is 0.
FORGE_API Tensor parameter(const Shape& shape, Generator& generator, double std, double fill,
                           DType dtype, Device device);

// The checks every model's forward makes of its ids [B, T]: i32, 2-d, within the context
// (counting the cache's filled positions).
FORGE_API void check_ids(const char* model, const Tensor& ids, const ModelShape& shape,
                         const KVCache* cache);

// block(x), keeping none of the activations inside it: backward runs it again on x to
// differentiate it (activation recomputation). `block` must compute the same values each time
// and read nothing that needs a gradient but x and `params`, leaves whose gradients its second
// run adds to directly. Outside autograd it is block(x).
FORGE_API Tensor recompute(const Tensor& x, const std::vector<Tensor>& params,
                           const std::function<Tensor(const Tensor&)>& block);

// The residual stream x through blocks 0 .. count - 1 in turn, block(l, x) each. Block l's
// parameters are params[first + l * per_block ..] (per_block of them); with `recompute_each`
// each block goes through nn::recompute, so `block` must capture by value what it reads.
FORGE_API Tensor run_blocks(Tensor x, std::int64_t count, bool recompute_each,
                            const NamedTensors& params, std::size_t first, std::size_t per_block,
                            const std::function<Tensor(std::int64_t, const Tensor&)>& block);

// log softmax(logits)[..., target] for logits [..., V] and i32 targets [...]: each token's
// log-probability, [...] with a gradient to the logits. Stable for any logits (the row's max is
// subtracted first); a target outside [0, V) throws.
FORGE_API Tensor token_log_probs(const Tensor& logits, const Tensor& targets);

}  // namespace forge::nn
