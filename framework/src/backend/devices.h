#pragma once

#include <forge/export.h>

#include <cstddef>
#include <string>
#include <vector>

namespace forge {

struct GpuInfo {
  int index = 0;
  std::string name;
  std::size_t memory_bytes = 0;
  int compute_major = 0, compute_minor = 0;
};

// The GPUs this process can use; empty without CUDA or without a visible device.
FORGE_API std::vector<GpuInfo> visible_gpus();

}  // namespace forge
