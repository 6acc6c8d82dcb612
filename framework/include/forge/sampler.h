#pragma once

#include <forge/export.h>
#include <forge/plugin.h>
#include <forge/random.h>
#include <forge/tokenizer.h>

#include <cstddef>
#include <span>

namespace forge {

// Picks each row's next token from its logits. Draws come only from `generator`, so a seeded
// generation is reproducible.
class FORGE_API Sampler : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::sampler;
  // logits: `rows` rows of `vocab` floats; out: one id per row.
  virtual void sample(std::span<const float> logits, std::size_t rows, std::size_t vocab,
                      Generator& generator, std::span<TokenId> out) const = 0;
};

}  // namespace forge
