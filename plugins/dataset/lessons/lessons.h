#pragma once

#include "lesson_dataset.h"

#include <forge/error.h>
#include <forge/plugin.h>

namespace forge::lessons {

PluginInfo arithmetic_plugin();
PluginInfo letters_plugin();
PluginInfo decimals_plugin();
PluginInfo identity_plugin();
PluginInfo refusals_plugin();
PluginInfo fact_documents_plugin();
PluginInfo fact_questions_plugin();
PluginInfo verse_requests_plugin();

// The python tool call that prints `expression`'s value.
inline ToolCall python_print(const std::string& expression) {
  return {"python", "print(" + expression + ")"};
}

}  // namespace forge::lessons
