#pragma once

// The op consistency harness's table: each case builds its inputs' shapes from a seed and
// computes one output from them. Every op of the op table appears in at least one case.

#include <forge/ops.h>
#include <forge/random.h>

#include <functional>
#include <string>
#include <vector>

namespace forge::test {

struct OpCase {
  std::string name;
  std::function<std::vector<Shape>(Generator&)> shapes;
  std::function<Tensor(const std::vector<Tensor>&)> run;
  bool positive_inputs = false;  // log and div need inputs away from zero
};

const std::vector<OpCase>& op_cases();

// A dimension size drawn from a mix of odd, tiny and medium sizes.
std::int64_t random_dim(Generator& generator);

}  // namespace forge::test
