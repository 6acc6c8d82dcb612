#include "stages/device_choice.h"

#include "backend/devices.h"
#include "core/op_table.h"

namespace forge {

const Backend* cuda_backend();

Device choose_device(const Config& recipe) {
  const std::string wanted = recipe.string("device");
  const bool cuda_ready = cuda_backend() != nullptr && !visible_gpus().empty();
  if (wanted == "cpu" || (wanted == "auto" && !cuda_ready)) return Device::cpu();
  if (!cuda_ready)
    recipe.fail("device", cuda_backend() ? "device cuda was asked for, but no GPU is visible"
                                         : "device cuda was asked for, but this build of forge has "
                                           "no CUDA backend; use device: cpu");
  return Device::cuda(0);
}

}  // namespace forge
