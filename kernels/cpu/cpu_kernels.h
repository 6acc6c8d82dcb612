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
void sum(const OpCall& call);
void matmul(const OpCall& call);

}  // namespace forge::cpu
