#pragma once

#include "stages/rl/rl_setup.h"
#include "stages/stage.h"

#include <memory>

namespace forge {

FORGE_API std::unique_ptr<StageJob> make_rl_job(std::unique_ptr<RlSetup> setup);

}  // namespace forge
