#pragma once

// The op consistency harness's table: each case builds its inputs' shapes from a seed and
// computes one output from them. Every op of the op table appears in at least one case.

#include <forge/ops.h>
#include <forge/random.h>

#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace forge::test {

using OpFunction = std::function<Tensor(const std::vector<Tensor>&)>;

struct OpCase {
  std::string name;
  // Shapes of the differentiable floating inputs, which the harness fills, casts and probes.
  std::function<std::vector<Shape>(Generator&)> shapes;
  OpFunction run;
  bool positive_inputs = false;  // log, div and sqrt need inputs away from zero
  // Inputs that are neither cast nor differentiated (i32 ids and targets, loss weights), made
  // from the generator and the float shapes; run and reference see them after the floats.
  std::function<std::vector<Tensor>(Generator&, const std::vector<Shape>&)> fixed_inputs = {};
  // A float64 composite of simpler ops or scalar loops. A fused op run in f64 is no reference
  // for itself: a wrong kernel would pass. When unset, run in f64 is the reference.
  OpFunction reference = {};
};

// gtest prints a case by its name instead of dumping its bytes.
void PrintTo(const OpCase& c, std::ostream* os);

const std::vector<OpCase>& op_cases();
// The fused ops' cases, part of op_cases(): activations, softmax, embedding and cross-entropy
// (fused_op_cases.cpp), norms and rope (norm_rope_cases.cpp), attention (attention_cases.cpp).
std::vector<OpCase> fused_op_cases();
std::vector<OpCase> norm_rope_cases();
std::vector<OpCase> attention_cases();

// A dimension size drawn from a mix of odd, tiny and medium sizes.
std::int64_t random_dim(Generator& generator);
// A size drawn uniformly from [low, high].
std::int64_t random_between(Generator& generator, std::int64_t low, std::int64_t high);

// [rows..., C] with 1 to 3 dims in all, the leading ones from random_dim.
Shape rows_by(Generator& generator, std::int64_t C);

// Every element of x (any dtype) through f in double: a scalar reference for elementwise maps.
Tensor map_doubles(const Tensor& x, const std::function<double(double)>& f);
// row(in, out, C) over every last-dim row of x, in double: a scalar reference for row ops.
Tensor map_rows(const Tensor& x,
                const std::function<void(const double*, double*, std::size_t)>& row);

}  // namespace forge::test
