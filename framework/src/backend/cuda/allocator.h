#pragma once

#include <cstddef>

namespace forge::cuda {

// Device memory for tensors on cuda:N: stream-ordered allocations (cudaMallocAsync) from the
// device's default pool, which keeps freed memory cached for the next request.
void* allocate(std::size_t bytes, int device);
void deallocate(void* data, std::size_t bytes, int device);

}  // namespace forge::cuda
