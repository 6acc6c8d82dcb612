#include "stages/rl/sequence_batch.h"

#include <forge/autograd.h>
#include <forge/nn.h>

#include <algorithm>

namespace forge {

SequenceBatch sequence_batch(const std::vector<const Sample*>& samples, TokenId pad,
                             std::int64_t context, Device device) {
  std::vector<std::vector<TokenId>> rows;
  std::vector<std::vector<float>> masks;
  std::size_t length = 1;
  for (const Sample* sample : samples) {
    std::vector<TokenId> full = sample->prompt_ids;
    std::vector<float> learned(full.size(), 0.0f);
    full.insert(full.end(), sample->turn.tokens.begin(), sample->turn.tokens.end());
    for (std::uint8_t s : sample->turn.sampled) learned.push_back(s ? 1.0f : 0.0f);
    const std::size_t keep = std::min(full.size(), static_cast<std::size_t>(context) + 1);
    full.resize(keep);
    learned.resize(keep);
    length = std::max(length, keep - 1);
    rows.push_back(std::move(full));
    masks.push_back(std::move(learned));
  }
  const auto B = static_cast<std::int64_t>(samples.size()), T = static_cast<std::int64_t>(length);
  std::vector<std::int32_t> ids(B * T, pad), targets(B * T, pad);
  std::vector<float> mask(B * T, 0.0f);
  SequenceBatch batch;
  for (std::int64_t b = 0; b < B; ++b)
    for (std::size_t t = 0; t + 1 < rows[b].size(); ++t) {
      ids[b * T + t] = rows[b][t];
      targets[b * T + t] = rows[b][t + 1];
      mask[b * T + t] = masks[b][t + 1];  // the target's: was it sampled?
      batch.tokens += mask[b * T + t];
    }
  batch.ids = Tensor::from_ints(ids, {B, T}).to(device);
  batch.targets = Tensor::from_ints(targets, {B, T}).to(device);
  batch.mask = Tensor::from_floats(mask, {B, T}).to(device);
  return batch;
}

Tensor target_log_probs(Model& model, const SequenceBatch& batch) {
  NoGradGuard no_grad;
  return nn::token_log_probs(model.forward(batch.ids), batch.targets).to(DType::f32);
}

}  // namespace forge
