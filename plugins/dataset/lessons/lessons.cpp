// The lesson generators: conversations for fine-tuning an assistant.
#include "lessons.h"

namespace forge {
namespace {

std::vector<PluginInfo> plugins() {
  return {lessons::arithmetic_plugin(),     lessons::letters_plugin(),
          lessons::decimals_plugin(),       lessons::identity_plugin(),
          lessons::refusals_plugin(),       lessons::fact_documents_plugin(),
          lessons::fact_questions_plugin(), lessons::verse_requests_plugin()};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
