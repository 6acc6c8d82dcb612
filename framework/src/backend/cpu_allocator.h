#pragma once

#include <cstddef>

namespace forge {

// Host memory for tensors, 64-byte aligned. Large blocks are kept on free lists by size class
// and handed out again: a training step frees and reallocates the same sizes every time, and
// fresh pages from the kernel would cost a page fault each.
void* cpu_allocate(std::size_t bytes, int device);
void cpu_deallocate(void* data, std::size_t bytes, int device);

}  // namespace forge
