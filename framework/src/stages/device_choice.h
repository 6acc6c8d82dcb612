#pragma once

#include <forge/config.h>
#include <forge/device.h>
#include <forge/export.h>

namespace forge {

// The recipe's `device:` made concrete: auto picks cuda when this build has a CUDA backend and
// a GPU is visible, else the CPU; cuda without either is a located error.
FORGE_API Device choose_device(const Config& recipe);

}  // namespace forge
