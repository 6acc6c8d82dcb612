#include "stages/model_contexts.h"

#include <forge/architecture.h>
#include <forge/config.h>
#include <forge/error.h>

#include "train/checkpoint_model.h"

#include <system_error>

namespace forge {
namespace fs = std::filesystem;
namespace {

std::optional<std::int64_t> known(std::int64_t context) {
  return context > 0 ? std::optional<std::int64_t>(context) : std::nullopt;
}

}  // namespace

void ModelContexts::plan(const fs::path& checkpoint, std::int64_t context) {
  planned_[checkpoint.lexically_normal()] = context;
}

std::optional<std::int64_t> ModelContexts::of_checkpoint(const fs::path& checkpoint) const {
  if (auto found = planned_.find(checkpoint.lexically_normal()); found != planned_.end())
    return found->second;
  std::error_code error;
  if (!fs::is_regular_file(checkpoint, error)) return std::nullopt;
  try {
    Node recipe = checkpoint_recipe(checkpoint);
    auto plugin = make_plugin_from(checkpoint_model_section(recipe, checkpoint),
                                   PluginKind::architecture, "model", *plugins_);
    return known(static_cast<const Architecture&>(*plugin).context());
  } catch (const Error&) {
    return std::nullopt;  // loading the checkpoint says what is wrong with it
  }
}

std::optional<std::int64_t> ModelContexts::of_recipe(const Node& root) const {
  if (const Node* model = root.find("model"); model && model->is_map())
    return of_architecture(*model);
  if (const Node* init = root.find("init"); init && init->is_scalar() && !init->text().empty())
    return of_checkpoint(init->text());
  return std::nullopt;
}

// The recipe's own section is validated already; errors in it are the recipe's to report.
std::optional<std::int64_t> ModelContexts::of_architecture(const Node& section) const {
  return known(plugins_->create<Architecture>(Config(section, "model"))->context());
}

}  // namespace forge
