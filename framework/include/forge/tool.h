#pragma once

// Tools an assistant calls in the middle of its turn: a calculator, a Python sandbox, a search
// over a local corpus. The engine pastes a call's result between output markers and resumes.

#include <forge/export.h>
#include <forge/plugin.h>

#include <cstddef>
#include <string>

namespace forge {

// Bounds on one call, set by whoever runs the turn (a recipe, `forge chat`, a server).
struct ToolLimits {
  double seconds = 10;              // wall-clock time at most
  std::size_t output_chars = 4000;  // characters of output at most; longer output is cut
};

// What one call gave back. `message` speaks to the model when the call failed or hit a limit,
// e.g. "stopped: the code ran past its 5 s wall-clock limit".
struct ToolResult {
  std::string output;
  bool failed = false;
  std::string message;

  static ToolResult ok(std::string output) { return {std::move(output), false, {}}; }
  static ToolResult error(std::string message, std::string output = {}) {
    return {std::move(output), true, std::move(message)};
  }
};

// A tool plugin: runs one call. run() may be called from several threads at once, so a tool
// keeps no mutable state outside the call, or guards it.
class FORGE_API Tool : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::tool;
  // `arguments` is everything the model wrote after the tool's name.
  virtual ToolResult run(const std::string& arguments, const ToolLimits& limits) const = 0;
};

// `text` cut to at most `max_chars` bytes (never inside a UTF-8 character), saying so at the end.
inline std::string truncate_output(const std::string& text, std::size_t max_chars) {
  if (text.size() <= max_chars) return text;
  std::size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\n[output truncated: " + std::to_string(text.size() - cut) +
         " more characters]";
}

// What the model reads for a result: the output, then the message on a line of its own.
inline std::string tool_result_text(const ToolResult& result) {
  if (result.message.empty()) return result.output;
  if (result.output.empty()) return result.message;
  const bool newline = result.output.back() == '\n';
  return result.output + (newline ? "" : "\n") + result.message;
}

}  // namespace forge
