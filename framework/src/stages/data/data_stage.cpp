#include "stages/data/data_stage.h"

#include <forge/error.h>

#include "stages/data/data_job.h"

namespace forge {

Schema DataStage::schema() const {
  return {
      param::plugin("input", PluginKind::dataset).required().doc("the dataset documents come from"),
      param::plugin_list("steps", PluginKind::filter)
          .fallback_yaml(Node::sequence())
          .doc("filters applied in order; each keeps, drops or rewrites a document"),
      param::plugin("output", PluginKind::dataset)
          .required()
          .doc("the dataset kept documents are written to (relative paths: inside the run)"),
      param::plugin("exclusions", PluginKind::dataset)
          .doc("where dropped documents go, each marked with its step and reason (optional)"),
      param::integer("workers").fallback(0).at_least(0).doc(
          "tasks run at once; 0 uses every core (or FORGE_THREADS)"),
  };
}

std::unique_ptr<StageJob> DataStage::prepare(const Config& recipe, const Registry& plugins) const {
  auto pipeline = std::make_shared<DataPipeline>();
  Config input = recipe.section("input");
  Config output = recipe.section("output");
  pipeline->input = plugins.create<Dataset>(input);
  pipeline->input_name = input.string("plugin");
  pipeline->shards = pipeline->input->shards();
  if (pipeline->shards.empty()) input.fail({}, "the input has nothing to read");
  for (const Config& step : recipe.sections("steps")) {
    pipeline->steps.push_back(plugins.create<Filter>(step));
    pipeline->step_names.push_back(step.path() + " " + step.string("plugin"));
  }
  pipeline->output = plugins.create<Dataset>(output);
  pipeline->output_name = output.string("plugin");
  if (!pipeline->output->can_write())
    output.fail("plugin", cat("dataset '", pipeline->output_name,
                              "' cannot write documents; use a writable one such as jsonl"));
  if (recipe.has("exclusions")) {
    Config exclusions = recipe.section("exclusions");
    pipeline->exclusions = plugins.create<Dataset>(exclusions);
    if (!pipeline->exclusions->can_write())
      exclusions.fail("plugin", cat("dataset '", exclusions.string("plugin"),
                                    "' cannot write documents; use a writable one such as jsonl"));
  }
  return make_data_job(std::move(pipeline), recipe);
}

}  // namespace forge
