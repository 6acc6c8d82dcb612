#pragma once

// The ChatBackend over one model rebuilt from a checkpoint: requests take turns on it (one
// mutex), each with its own sampler and seed, so concurrent requests never share state.

#include "plugin/registry.h"
#include "serve/chat_backend.h"
#include "train/checkpoint_model.h"

#include <mutex>
#include <optional>

namespace forge::serve {

class ModelBackend : public ChatBackend {
 public:
  ModelBackend(LoadedModel loaded, std::string model_name, Registry& plugins);

  std::string model_name() const override { return name_; }
  Completion complete_chat(const std::vector<ChatMessage>& messages, const GenerationParams& params,
                           const DeltaCallback& on_delta) override;
  Completion complete_text(const std::string& prompt, const GenerationParams& params,
                           const DeltaCallback& on_delta) override;

 private:
  Completion run(std::vector<TokenId> prompt, bool chat, const GenerationParams& params,
                 const DeltaCallback& on_delta);

  LoadedModel loaded_;
  std::string name_;
  Registry& plugins_;
  std::mutex model_mutex_;
  std::optional<TokenId> im_end_, tool_start_, tool_end_;
};

// The model's name for /v1/models: the recipe's `name`, else the checkpoint file's stem.
std::string checkpoint_model_name(const LoadedModel& loaded, const std::string& checkpoint);

}  // namespace forge::serve
