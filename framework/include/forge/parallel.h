#pragma once

#include <forge/export.h>

#include <cstddef>
#include <functional>

namespace forge {

// Threads to use when a recipe says 0: FORGE_THREADS if set, else the hardware's count.
FORGE_API unsigned default_threads();

// Runs body(i) for i in [0, count) on `threads` workers, handing out indices in order. The
// first exception stops new work and is rethrown after every worker has finished.
FORGE_API void parallel_for(std::size_t count, unsigned threads,
                            const std::function<void(std::size_t)>& body);

}  // namespace forge
