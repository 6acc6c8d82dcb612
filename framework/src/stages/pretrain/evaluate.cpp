#include "stages/pretrain/evaluate.h"

#include <forge/autograd.h>
#include <forge/ops.h>

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

EvalResult evaluate(Model& model, BatchSource& source, const std::vector<float>& bytes,
                    std::int64_t batches, std::int64_t micro_batch, std::int64_t seq_len,
                    Communicator& world) {
  NoGradGuard no_grad;
  const Device device = model.parameters().front().second.device();
  source.seek(0);
  double nats = 0, text_nats = 0, text_bytes = 0, tokens = 0;
  EvalResult result;
  for (std::int64_t b = 0; b < batches; ++b) {
    if (b % world.size() != world.rank()) {
      source.skip(micro_batch, seq_len);
      continue;
    }
    TokenBatch batch = source.next(micro_batch, seq_len, device);
    ForwardOptions forward;
    forward.document_starts = batch.document_starts;
    Tensor logits = model.forward(batch.ids, forward).to(DType::f32);
    Tensor flat = logits.reshape({-1, logits.size(-1)});
    Tensor targets = batch.targets.reshape({-1});
    // Learned targets only (all of them without a mask); bits per byte also leaves out special
    // tokens, which stand for no bytes.
    std::vector<float> learned(static_cast<std::size_t>(targets.numel()), 1.0f);
    if (batch.weights.defined()) {
      Tensor host = batch.weights.reshape({-1}).to(Device::cpu()).to(DType::f32).contiguous();
      std::copy(host.data<float>(), host.data<float>() + learned.size(), learned.begin());
    }
    Tensor host_targets = targets.to(Device::cpu()).contiguous();
    std::vector<float> weights(learned.size());
    double counted = 0, text_counted = 0, batch_bytes = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      const float w = bytes[static_cast<std::size_t>(host_targets.data<std::int32_t>()[i])];
      weights[i] = w > 0 && learned[i] > 0 ? 1.0f : 0.0f;
      batch_bytes += learned[i] > 0 ? w : 0;
      counted += learned[i] > 0;
      text_counted += weights[i];
    }
    ops::CrossEntropyOptions all, text;
    all.weights = Tensor::from_floats(learned, {targets.numel()}).to(flat.device());
    text.weights = Tensor::from_floats(weights, {targets.numel()}).to(flat.device());
    nats += ops::cross_entropy(flat, targets, all).item() * counted;
    text_nats += ops::cross_entropy(flat, targets, text).item() * text_counted;
    text_bytes += batch_bytes;
    tokens += counted;
  }
  const std::vector<double> sums = world.all_reduce({nats, text_nats, text_bytes, tokens});
  nats = sums[0];
  text_nats = sums[1];
  text_bytes = sums[2];
  result.tokens = static_cast<std::uint64_t>(sums[3]);
  result.loss = result.tokens ? nats / static_cast<double>(result.tokens) : 0;
  result.bits_per_byte = text_bytes > 0 ? text_nats / (std::log(2.0) * text_bytes) : 0;
  return result;
}

}  // namespace forge
