#include "engine/generate.h"

#include <forge/autograd.h>
#include <forge/ops.h>

#include <algorithm>
#include <map>

namespace forge {
namespace {

// The last position's logits of every row as f32 [rows, V].
std::vector<float> last_logits(const Tensor& logits) {
  const std::int64_t B = logits.size(0), T = logits.size(1), V = logits.size(2);
  Tensor last = logits.slice(1, T - 1, T).reshape({B, V});
  Tensor host = last.to(Device::cpu()).to(DType::f32).contiguous();
  const float* data = host.data<float>();
  return std::vector<float>(data, data + B * V);
}

Tensor ids_tensor(const std::vector<std::vector<TokenId>>& rows, std::size_t from, Device device) {
  const auto B = static_cast<std::int64_t>(rows.size());
  const auto T = static_cast<std::int64_t>(rows[0].size() - from);
  std::vector<std::int32_t> flat;
  flat.reserve(static_cast<std::size_t>(B * T));
  for (const auto& row : rows) flat.insert(flat.end(), row.begin() + from, row.end());
  Tensor ids = Tensor::from_ints(flat, {B, T});
  return device == Device::cpu() ? ids : ids.to(device);
}

// Decodes one batch of rows whose prompts have equal length.
void decode_batch(Model& model, const Sampler& sampler, const GenerationRequest& request,
                  const std::vector<std::size_t>& rows, std::vector<GenerationRow>& out,
                  const TokenCallback& on_token) {
  const ModelShape& shape = model.shape();
  const std::size_t prompt = request.prompts[rows[0]].size();
  const std::int64_t room = shape.context - static_cast<std::int64_t>(prompt);
  const std::int64_t steps = std::min(request.max_tokens, room);
  const auto B = static_cast<std::int64_t>(rows.size());
  const Device device = model.parameters().front().second.device();
  const DType dtype = model.parameters().front().second.dtype();
  std::vector<std::vector<TokenId>> sequences;
  std::vector<Generator> generators;
  for (std::size_t row : rows) {
    sequences.push_back(request.prompts[row]);
    generators.emplace_back(mix64(request.seed) + row);
  }
  std::vector<bool> done(rows.size(), false);
  std::size_t running = rows.size();
  std::unique_ptr<KVCache> cache;
  if (request.use_cache && steps > 0)
    cache = std::make_unique<KVCache>(shape, B, static_cast<std::int64_t>(prompt) + steps, dtype,
                                      device);
  std::vector<TokenId> chosen(rows.size());
  for (std::int64_t step = 0; step < steps && running > 0; ++step) {
    // With a cache the prompt goes in once, then one token per step.
    const std::size_t from = cache ? (step == 0 ? 0 : sequences[0].size() - 1) : 0;
    std::vector<float> logits =
        last_logits(model.forward(ids_tensor(sequences, from, device), cache.get()));
    const auto V = static_cast<std::size_t>(shape.vocab_size);
    for (std::size_t i = 0; i < rows.size(); ++i)
      sampler.sample(std::span<const float>(logits.data() + i * V, V), 1, V, generators[i],
                     std::span<TokenId>(&chosen[i], 1));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      sequences[i].push_back(chosen[i]);
      if (done[i]) continue;
      GenerationRow& result = out[rows[i]];
      result.tokens.push_back(chosen[i]);
      if (on_token) on_token(rows[i], chosen[i]);
      if (std::find(request.stop_tokens.begin(), request.stop_tokens.end(), chosen[i]) !=
          request.stop_tokens.end()) {
        result.finish = "stop";
        done[i] = true;
        --running;
      }
    }
  }
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (!done[i]) out[rows[i]].finish = steps < request.max_tokens ? "context" : "length";
}

}  // namespace

std::vector<GenerationRow> generate(Model& model, const Sampler& sampler,
                                    const GenerationRequest& request,
                                    const TokenCallback& on_token) {
  const ModelShape& shape = model.shape();
  std::map<std::size_t, std::vector<std::size_t>> by_length;
  for (std::size_t row = 0; row < request.prompts.size(); ++row) {
    const std::size_t length = request.prompts[row].size();
    if (length == 0)
      throw Error(cat("generation: prompt ", row, " is empty; give at least one token (e.g. the ",
                      "end-of-text id to start a fresh document)"));
    if (static_cast<std::int64_t>(length) >= shape.context)
      throw Error(cat("generation: prompt ", row, " has ", length,
                      " tokens, which leaves no room in the model's context of ", shape.context,
                      "; shorten the prompt"));
    for (TokenId id : request.prompts[row])
      if (id < 0 || id >= shape.vocab_size)
        throw Error(cat("generation: prompt ", row, " holds id ", id,
                        ", outside the model's vocabulary of ", shape.vocab_size));
    by_length[length].push_back(row);
  }
  if (request.max_tokens < 0)
    throw Error(cat("generation: max_tokens must be >= 0, not ", request.max_tokens));
  NoGradGuard no_grad;
  std::vector<GenerationRow> out(request.prompts.size());
  for (const auto& [length, rows] : by_length)
    decode_batch(model, sampler, request, rows, out, on_token);
  return out;
}

}  // namespace forge
