#pragma once

// Conversations rendered through the chat template (ids and loss mask) and laid into training
// windows: packed several to a window, each seeing only itself through document_starts, or
// one to a window; the rest padded with end-of-text tokens that nothing learns.

#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/tokenizer.h>

#include "stages/pretrain/batches.h"

#include <memory>
#include <string>
#include <vector>

namespace forge {

struct ConversationSource {
  const Dataset* dataset = nullptr;  // documents with metadata.messages (OpenAI messages)
  double weight = 1.0;               // share of the conversations drawn from it
  std::string label;                 // for log lines, e.g. "data.train[0] (conversations)"
};

struct ConversationSettings {
  std::int64_t seq_len = 0;  // windows hold seq_len + 1 tokens
  bool pack = true;
  bool shuffle = true;  // false: every source in order, one after the other (validation)
  std::uint64_t seed = 0;
  ChatTemplate chat;
};

// Reads and renders every conversation of `sources` now; throws forge::Error naming the
// source when one holds nothing to learn from.
FORGE_API std::unique_ptr<BatchSource> conversation_batches(
    const std::vector<ConversationSource>& sources, const Tokenizer& tokenizer,
    const ConversationSettings& settings);

}  // namespace forge
