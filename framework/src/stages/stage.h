#pragma once

#include <forge/config.h>
#include <forge/export.h>
#include <forge/schema.h>

#include "io/metrics.h"
#include "plugin/registry.h"
#include "stages/model_contexts.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// What a running stage gets: its folder and the run's shared services.
struct RunContext {
  std::filesystem::path dir;
  bool resuming = false;
  unsigned threads = 1;
  MetricsWriter* metrics = nullptr;
  // Set false by a job that finished this process's share while other processes' remains.
  bool complete = true;
  // Why a job ended before its last step (an RLHF run's hacking monitor); kept in run.json.
  std::string stopped_early{};
  // The registry the recipe was resolved with and the command line, for runs a job starts
  // itself (a pipeline's stages).
  Registry* plugins = nullptr;
  std::string command{};
};

// A stage with every plugin made and every setting checked, ready to work.
class FORGE_API StageJob {
 public:
  virtual ~StageJob();
  virtual void run(RunContext& context) = 0;
};

// One value of `stage:`. prepare() may throw forge::Error for bad input; run() only fails for
// reasons found while working.
class FORGE_API Stage {
 public:
  virtual ~Stage();
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;
  // The stage's own keys; the keys every recipe has are added by recipe_schema().
  virtual Schema schema() const = 0;
  virtual std::unique_ptr<StageJob> prepare(const Config& recipe,
                                            const Registry& plugins) const = 0;
  // Top-level keys that interpolation leaves as written: they are resolved later, each part in
  // a scope of its own (a pipeline's `stages`).
  virtual std::vector<std::string> deferred_keys() const { return {}; }
  // Rewrites the loaded tree before validation (a pipeline inlines its stages' recipe files).
  virtual void expand(Node& /*root*/) const {}
  // Checks, after the schema, what it can't reach (a pipeline's stage recipes); nothing is
  // prepared or started.
  virtual void validate_nested(const Node& /*root*/, Registry& /*plugins*/) const {}
  // Checks between keys that a schema can't express (a batch against the model's context),
  // on the validated recipe and before anything is built; prepare() makes the same checks.
  virtual void cross_check(const Config& /*recipe*/, const ModelContexts& /*models*/) const {}
};

FORGE_API const Stage* find_stage(const std::string& name);
FORGE_API std::vector<const Stage*> all_stages();
// Keys every recipe has (stage, name, seed, device, ...) plus the stage's own.
FORGE_API Schema recipe_schema(const Stage& stage);

}  // namespace forge
