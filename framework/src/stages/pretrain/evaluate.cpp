#include "stages/pretrain/evaluate.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include "stages/pretrain/batches.h"

#include <cmath>

namespace forge {

std::vector<float> token_bytes(const Tokenizer& tokenizer) {
  std::vector<float> bytes(tokenizer.vocab_size());
  for (std::size_t id = 0; id < bytes.size(); ++id) {
    const TokenId token = static_cast<TokenId>(id);
    bytes[id] = static_cast<float>(tokenizer.decode(std::span<const TokenId>(&token, 1)).size());
  }
  for (const auto& [name, id] : tokenizer.special_tokens()) bytes[static_cast<std::size_t>(id)] = 0;
  return bytes;
}

EvalResult evaluate(Model& model, TokenSource& source, const std::vector<float>& bytes,
                    std::int64_t batches, std::int64_t micro_batch, std::int64_t seq_len) {
  NoGradGuard no_grad;
  const Device device = model.parameters().front().second.device();
  source.seek(0);
  double nats = 0, text_nats = 0, text_bytes = 0;
  EvalResult result;
  for (std::int64_t b = 0; b < batches; ++b) {
    TokenBatch batch = next_batch(source, micro_batch, seq_len, device);
    Tensor logits = model.forward(batch.ids);
    Tensor flat = logits.reshape({-1, logits.size(-1)});
    Tensor targets = batch.targets.reshape({-1});
    const auto n = static_cast<double>(targets.numel());
    nats += ops::cross_entropy(flat, targets).item() * n;
    // Bytes per target, as weights: special tokens weigh 0 and drop out of bits per byte.
    Tensor host_targets = targets.to(Device::cpu());
    std::vector<float> weights(static_cast<std::size_t>(targets.numel()));
    double batch_bytes = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const float w = bytes[static_cast<std::size_t>(host_targets.data<std::int32_t>()[i])];
      weights[i] = w > 0 ? 1.0f : 0.0f;
      batch_bytes += w;
    }
    ops::CrossEntropyOptions text;
    text.weights = Tensor::from_floats(weights, {targets.numel()}).to(flat.device());
    double counted = 0;
    for (float w : weights) counted += w;
    text_nats += ops::cross_entropy(flat, targets, text).item() * counted;
    text_bytes += batch_bytes;
    result.tokens += static_cast<std::uint64_t>(n);
  }
  result.loss = result.tokens ? nats / static_cast<double>(result.tokens) : 0;
  result.bits_per_byte = text_bytes > 0 ? text_nats / (std::log(2.0) * text_bytes) : 0;
  return result;
}

}  // namespace forge
