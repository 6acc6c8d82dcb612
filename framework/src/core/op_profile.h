#pragma once

// FORGE_PROFILE=1: time spent in each op's kernels, printed to stderr when the process ends.

#include <forge/export.h>

#include "core/op_table.h"

#include <chrono>

namespace forge {

FORGE_API bool op_profile_enabled();
void op_profile_add(OpId op, std::chrono::steady_clock::duration spent);
// Forgets what was measured so far (a benchmark's warm-up steps).
FORGE_API void op_profile_reset();

}  // namespace forge
