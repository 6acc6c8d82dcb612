#include "serve/model_backend.h"

#include <forge/sampler.h>

#include "engine/generate.h"
#include "serve/text_stream.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

namespace forge::serve {

std::unique_ptr<Sampler> ModelBackend::sampler_for(const GenerationParams& params) {
  Node section = Node::map();
  section.set("plugin", Node::scalar("temperature", true));
  section.set("temperature", Node::scalar(std::to_string(params.temperature), false));
  section.set("top_p", Node::scalar(std::to_string(params.top_p), false));
  return std::unique_ptr<Sampler>(static_cast<Sampler*>(
      make_plugin_from(std::move(section), PluginKind::sampler, "sampler", plugins_).release()));
}

std::uint64_t ModelBackend::seed_for(const GenerationParams& params) {
  static std::mutex mutex;
  static std::mt19937_64 engine{std::random_device{}()};
  if (params.seed) return *params.seed;
  std::lock_guard lock(mutex);
  return engine();
}

void ModelBackend::check_context(std::size_t prompt_tokens) const {
  const std::int64_t context = loaded_.model->shape().context;
  if (static_cast<std::int64_t>(prompt_tokens) >= context)
    throw ContextLengthError(cat("the prompt has ", prompt_tokens, " tokens, which leaves no room ",
                                 "in the model's context of ", context,
                                 " tokens; shorten the conversation"));
}

ModelBackend::ModelBackend(LoadedModel loaded, std::string model_name, Registry& plugins,
                           ToolSet tools, TurnLimits limits)
    : loaded_(std::move(loaded)),
      name_(std::move(model_name)),
      plugins_(plugins),
      tools_(std::move(tools)),
      limits_(limits) {
  const Tokenizer& tokenizer = *loaded_.tokenizer;
  const ChatTemplate chat;
  im_end_ = tokenizer.special_token(chat.end);
  tool_start_ = tokenizer.special_token(chat.tool_start);
  tool_end_ = tokenizer.special_token(chat.tool_end);
}

Completion ModelBackend::complete_chat(const std::vector<ChatMessage>& messages,
                                       const GenerationParams& params,
                                       const DeltaCallback& on_delta,
                                       const TurnStepCallback& on_step) {
  // Throws forge::Error for a tokenizer without the chat markers or a misplaced tool message.
  RenderedChat rendered = render_chat(*loaded_.tokenizer, messages, {}, true);
  if (!tools_.tools().empty())
    return run_turn(messages, rendered.ids.size(), params, on_delta, on_step);
  return run(std::move(rendered.ids), true, params, on_delta);
}

Completion ModelBackend::complete_text(const std::string& prompt, const GenerationParams& params,
                                       const DeltaCallback& on_delta) {
  std::vector<TokenId> ids = loaded_.tokenizer->encode(prompt);
  if (ids.empty()) ids.push_back(loaded_.tokenizer->end_of_text());  // a fresh document
  return run(std::move(ids), false, params, on_delta);
}

Completion ModelBackend::run(std::vector<TokenId> prompt, bool chat, const GenerationParams& params,
                             const DeltaCallback& on_delta) {
  const Tokenizer& tokenizer = *loaded_.tokenizer;
  check_context(prompt.size());
  std::set<TokenId> special;
  for (const auto& [name, id] : tokenizer.special_tokens()) special.insert(id);

  GenerationRequest request;
  request.prompts = {prompt};
  request.max_tokens = params.max_tokens;
  request.seed = seed_for(params);
  request.stop_tokens = {tokenizer.end_of_text()};
  if (chat && im_end_) request.stop_tokens.push_back(*im_end_);
  if (chat && tool_end_) request.stop_tokens.push_back(*tool_end_);

  Completion out;
  out.prompt_tokens = static_cast<std::int64_t>(prompt.size());
  TextStream stream(params.stop);
  bool in_tool = false, cancelled = false;
  std::string tool_text;
  // Called once per token, with empty text when there is nothing new, so a cancel is seen soon.
  auto send = [&](const std::string& text) {
    if (on_delta && !on_delta(text)) {
      cancelled = true;
      throw StopGenerating{};
    }
  };
  std::lock_guard lock(model_mutex_);
  auto sampler = sampler_for(params);
  std::string finish = "length";
  try {
    auto rows = generate(*loaded_.model, *sampler, request, [&](std::size_t, TokenId id) {
      ++out.completion_tokens;
      if (chat && tool_start_ && id == *tool_start_) {
        in_tool = true;
      } else if (chat && tool_end_ && id == *tool_end_ && in_tool) {
        in_tool = false;
        std::string unfinished;
        const std::string text = take_utf8(tool_text, true, unfinished);
        const std::size_t space = text.find(' ');
        out.tool_calls.push_back(
            {text.substr(0, space), space == std::string::npos ? "" : text.substr(space + 1)});
        tool_text.clear();
      } else if (special.count(id) == 0) {
        const std::string bytes = tokenizer.decode({&id, 1});
        if (in_tool) {
          tool_text += bytes;
        } else {
          send(stream.push(bytes));
          if (stream.stopped()) throw StopGenerating{};
          return;
        }
      }
      send("");
    });
    finish = rows[0].finish == "stop" ? "stop" : "length";
    if (!out.tool_calls.empty() && tool_end_ && rows[0].tokens.back() == *tool_end_)
      finish = "tool_calls";
  } catch (const StopGenerating&) {
    finish = cancelled ? "cancelled" : "stop";
  }
  if (std::string tail = stream.finish(); !cancelled && !tail.empty() && on_delta)
    if (!on_delta(tail)) finish = "cancelled";
  out.text = stream.text();
  out.finish_reason = finish;
  return out;
}

std::string checkpoint_model_name(const LoadedModel& loaded, const std::string& checkpoint) {
  if (const Node* name = loaded.recipe.find("name"); name && name->is_scalar())
    if (!name->text().empty()) return name->text();
  return std::filesystem::path(checkpoint).stem().string();
}

}  // namespace forge::serve
