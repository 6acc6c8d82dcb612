#pragma once

// Tensors in checkpoint files: a parameter or moment is one array, stored in its own dtype.

#include <forge/export.h>
#include <forge/tensor.h>

#include "io/checkpoint_file.h"

#include <string>

namespace forge {

FORGE_API void write_tensor(CheckpointWriter& writer, const std::string& path,
                            const Tensor& tensor);

// Reads the array at `path` into `into` (in place, keeping its storage). The stored shape must
// equal into's; a different dtype is converted (so f32 weights load into a bf16 model).
FORGE_API void read_tensor(const CheckpointReader& reader, const std::string& path,
                           const Tensor& into);

}  // namespace forge
