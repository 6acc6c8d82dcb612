#pragma once

// CPU implementations of the op table (framework/src/core/op_table.h).

#include "core/op_table.h"

namespace forge::cpu {

void copy(const OpCall& call);
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
void sum(const OpCall& call);
void matmul(const OpCall& call);

// activation.cpp
void gelu(const OpCall& call);
void gelu_backward(const OpCall& call);
void silu(const OpCall& call);
void silu_backward(const OpCall& call);
// softmax_xent.cpp
void softmax(const OpCall& call);
void softmax_backward(const OpCall& call);
void cross_entropy(const OpCall& call);
void cross_entropy_backward(const OpCall& call);
// norm.cpp
void layer_norm(const OpCall& call);
void layer_norm_backward(const OpCall& call);
void rms_norm(const OpCall& call);
void rms_norm_backward(const OpCall& call);
// embedding_rope.cpp
void embedding(const OpCall& call);
void embedding_backward(const OpCall& call);
void rope(const OpCall& call);
// attention.cpp
void attention(const OpCall& call);
void attention_backward(const OpCall& call);
// adamw.cpp
void adamw(const OpCall& call);

}  // namespace forge::cpu
