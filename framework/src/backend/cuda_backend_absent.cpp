#include "core/op_table.h"

namespace forge {

// The CUDA op table arrives with the CUDA backend; until then cuda tensors are refused by name
// (backend_for says this build has no CUDA backend).
const Backend* cuda_backend() { return nullptr; }

}  // namespace forge
