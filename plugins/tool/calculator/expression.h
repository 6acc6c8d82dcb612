#pragma once

// Exact arithmetic expressions over rationals: + - * / // % ** and parentheses, unary minus,
// integers, decimals and exponents (1.5e3). Nothing is executed; only this grammar is read.

#include <gmpxx.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace forge::calculator {

// A bad expression or a result too large; what() is meant for the model to read.
struct CalcError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The value of `text`; results (and intermediate values) above `max_digits` digits are refused.
mpq_class evaluate(std::string_view text, std::size_t max_digits);

// An integer as is, a terminating fraction as an exact decimal, any other fraction as
// "p/q ≈ d.ddd" with `digits` digits after the point.
std::string format_value(const mpq_class& value, int digits);

}  // namespace forge::calculator
