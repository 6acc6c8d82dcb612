#pragma once

#include <forge/config.h>

#include "stages/data/data_task.h"
#include "stages/stage.h"

#include <memory>

namespace forge {

// Runs a data pipeline's tasks: lists shards (and checks them against a resumed run's list),
// skips finished ones, runs the rest on `workers` threads, and writes stats.json.
std::unique_ptr<StageJob> make_data_job(std::shared_ptr<DataPipeline> pipeline,
                                        const Config& recipe);

}  // namespace forge
