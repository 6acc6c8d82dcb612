#pragma once

#include "stages/pretrain/train_setup.h"
#include "stages/stage.h"

#include <memory>

namespace forge {

FORGE_API std::unique_ptr<StageJob> make_train_job(std::unique_ptr<TrainSetup> setup);

}  // namespace forge
