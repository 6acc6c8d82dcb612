#pragma once

#include <forge/document.h>
#include <forge/export.h>
#include <forge/plugin.h>

#include <string>

namespace forge {

// What a filter decided about one document; drop reasons are counted per step.
struct Verdict {
  enum class Action { keep, drop, rewrite };
  Action action = Action::keep;
  std::string reason;

  static Verdict keep() { return {}; }
  static Verdict drop(std::string why) { return {Action::drop, std::move(why)}; }
  static Verdict rewritten() { return {Action::rewrite, {}}; }
};

// A data step: keeps, drops or rewrites a document. apply() is called from several threads at
// once, so a filter keeps no mutable state outside the document.
class FORGE_API Filter : public Plugin {
 public:
  static constexpr PluginKind kKind = PluginKind::filter;
  virtual Verdict apply(Document& document) const = 0;
};

}  // namespace forge
