#pragma once

#include <forge/export.h>

namespace forge {

// The git commit the library was configured from; empty when unknown.
FORGE_API const char* build_git_commit();

}  // namespace forge
