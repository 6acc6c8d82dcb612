#pragma once

// CUDA implementations of the op table (framework/src/core/op_table.h). Each kernel family's
// .cu defines its entry points; framework/src/backend/cuda/cuda_backend.cpp fills the table.

#include "core/op_table.h"

namespace forge::cuda {

// elementwise.cu; copy_on_device handles copies within one device (transfer.cpp the rest)
void copy_on_device(const OpCall& call);
void fill(const OpCall& call);
void add(const OpCall& call);
void sub(const OpCall& call);
void mul(const OpCall& call);
void div(const OpCall& call);
void affine(const OpCall& call);
void exp(const OpCall& call);
void log(const OpCall& call);
void tanh(const OpCall& call);
void sqrt(const OpCall& call);
void rsqrt(const OpCall& call);
// transfer.cpp: copy within a device, or between the host and a device
void copy(const OpCall& call);
// reduce.cu
void sum(const OpCall& call);
// matmul.cu (cuBLASLt)
void matmul(const OpCall& call);
// activation.cu
void gelu(const OpCall& call);
void gelu_backward(const OpCall& call);
void silu(const OpCall& call);
void silu_backward(const OpCall& call);
// softmax.cu
void softmax(const OpCall& call);
void softmax_backward(const OpCall& call);
// cross_entropy.cu
void cross_entropy(const OpCall& call);
void cross_entropy_backward(const OpCall& call);
// norm.cu
void layer_norm(const OpCall& call);
void layer_norm_backward(const OpCall& call);
void rms_norm(const OpCall& call);
void rms_norm_backward(const OpCall& call);
// embedding.cu
void embedding(const OpCall& call);
void embedding_backward(const OpCall& call);
// rope.cu
void rope(const OpCall& call);
// attention.cu
void attention(const OpCall& call);
void attention_backward(const OpCall& call);
// adamw.cu
void adamw(const OpCall& call);

}  // namespace forge::cuda
