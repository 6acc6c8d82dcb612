#pragma once

// The ChatBackend over one model rebuilt from a checkpoint: requests take turns on it (one
// mutex), each with its own sampler and seed, so concurrent requests never share state. With
// tools, a chat reply is a whole assistant turn (the engine's assistant_turn): calls run on the
// server and their outputs go back to the model.

#include <forge/sampler.h>

#include "engine/tool_set.h"
#include "plugin/registry.h"
#include "serve/chat_backend.h"
#include "train/checkpoint_model.h"

#include <mutex>
#include <optional>

namespace forge::serve {

class ModelBackend : public ChatBackend {
 public:
  ModelBackend(LoadedModel loaded, std::string model_name, Registry& plugins, ToolSet tools = {},
               TurnLimits limits = {});

  std::string model_name() const override { return name_; }
  Completion complete_chat(const std::vector<ChatMessage>& messages, const GenerationParams& params,
                           const DeltaCallback& on_delta, const TurnStepCallback& on_step) override;
  Completion complete_text(const std::string& prompt, const GenerationParams& params,
                           const DeltaCallback& on_delta) override;

 private:
  // Thrown from the engine's callbacks to end generation early; caught in this class.
  struct StopGenerating {};

  Completion run(std::vector<TokenId> prompt, bool chat, const GenerationParams& params,
                 const DeltaCallback& on_delta);
  Completion run_turn(const std::vector<ChatMessage>& messages, std::size_t prompt_tokens,
                      const GenerationParams& params, const DeltaCallback& on_delta,
                      const TurnStepCallback& on_step);
  std::unique_ptr<Sampler> sampler_for(const GenerationParams& params);
  static std::uint64_t seed_for(const GenerationParams& params);
  void check_context(std::size_t prompt_tokens) const;

  LoadedModel loaded_;
  std::string name_;
  Registry& plugins_;
  ToolSet tools_;
  TurnLimits limits_;
  std::mutex model_mutex_;
  std::optional<TokenId> im_end_, tool_start_, tool_end_;
};

// The model's name for /v1/models: the recipe's `name`, else the checkpoint file's stem.
std::string checkpoint_model_name(const LoadedModel& loaded, const std::string& checkpoint);

}  // namespace forge::serve
