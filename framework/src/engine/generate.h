#pragma once

#include <forge/architecture.h>
#include <forge/export.h>
#include <forge/sampler.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace forge {

struct GenerationRequest {
  std::vector<std::vector<TokenId>> prompts;  // one row each; every prompt needs >= 1 token
  std::int64_t max_tokens = 64;               // new tokens per row at most
  std::vector<TokenId> stop_tokens;           // a row ends with (and keeps) the first of these
  std::uint64_t seed = 0;                     // every draw comes from Generator(seed)
  bool use_cache = true;  // false recomputes the whole sequence each step (a reference)
};

struct GenerationRow {
  std::vector<TokenId> tokens;  // the new tokens, without the prompt
  std::string finish;           // "stop", "length" (max_tokens) or "context" (model's limit)
};

// Streams each new token of a row as it is chosen.
using TokenCallback = std::function<void(std::size_t row, TokenId token)>;

// Batched generation under no-grad. Rows whose prompts have the same length decode together
// through one KV cache; the result is the same whichever rows share a batch, because every
// row's draws come from its own generator, Generator(mix64(seed) + row).
FORGE_API std::vector<GenerationRow> generate(Model& model, const Sampler& sampler,
                                              const GenerationRequest& request,
                                              const TokenCallback& on_token = {});

}  // namespace forge
