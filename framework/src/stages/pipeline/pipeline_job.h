#pragma once

#include <forge/node.h>

#include "stages/stage.h"

#include <memory>

namespace forge {

// Runs the stages of a validated pipeline recipe in order, each in RUN/NAME: a complete one is
// skipped, an interrupted one resumed, any other started; a failure stops the pipeline.
std::unique_ptr<StageJob> make_pipeline_job(Node root);

}  // namespace forge
