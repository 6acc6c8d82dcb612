#include "expression.h"

#include <cctype>
#include <cmath>

namespace forge::calculator {
namespace {

// Digits of |x| in base 10 (GMP's count may be one too many, close enough for a limit).
std::size_t digits_of(const mpz_class& x) { return mpz_sizeinbase(x.get_mpz_t(), 10); }

// log10 |x| for x != 0, without converting x (which may not fit a double).
double log10_of(const mpz_class& x) {
  long exponent = 0;
  const double mantissa = mpz_get_d_2exp(&exponent, x.get_mpz_t());
  return std::log10(std::abs(mantissa)) + static_cast<double>(exponent) * std::log10(2.0);
}

mpz_class floor_of(const mpq_class& x) {
  mpz_class out;
  mpz_fdiv_q(out.get_mpz_t(), x.get_num_mpz_t(), x.get_den_mpz_t());
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, std::size_t max_digits) : text_(text), max_digits_(max_digits) {}

  mpq_class parse() {
    skip();
    if (at_end()) throw CalcError("the expression is empty; write e.g. 2 + 3 * 4");
    mpq_class value = sum();
    if (!at_end()) {
      if (peek() == ')') fail("this ')' has no '(' before it");
      fail("expected an operator (+ - * / // % **) here");
    }
    return value;
  }

 private:
  mpq_class sum() {
    mpq_class value = product();
    while (!at_end() && (peek() == '+' || peek() == '-')) {
      const char op = take();
      mpq_class right = product();
      value = checked(op == '+' ? mpq_class(value + right) : mpq_class(value - right));
    }
    return value;
  }

  mpq_class product() {
    mpq_class value = unary();
    while (!at_end()) {
      std::string op;
      if (peek() == '*' && !next_is("**"))
        op = "*";
      else if (next_is("//"))
        op = "//";
      else if (peek() == '/')
        op = "/";
      else if (peek() == '%')
        op = "%";
      else
        break;
      const std::size_t where = pos_;
      advance(op.size());
      mpq_class right = unary();
      if (op == "*") {
        value = checked(value * right);
        continue;
      }
      if (right == 0) fail_at(where, "division by zero");
      mpq_class quotient = value / right;
      if (op == "/")
        value = checked(quotient);
      else if (op == "//")
        value = checked(mpq_class(floor_of(quotient)));
      else
        value = checked(mpq_class(value - right * mpq_class(floor_of(quotient))));
    }
    return value;
  }

  // Unary minus binds less tightly than **, as in Python: -2**2 is -4.
  mpq_class unary() {
    if (!at_end() && (peek() == '-' || peek() == '+')) {
      const char sign = take();
      mpq_class value = unary();
      return sign == '-' ? mpq_class(-value) : value;
    }
    return power();
  }

  mpq_class power() {
    mpq_class base = atom();
    if (at_end() || !next_is("**")) {
      if (!at_end() && peek() == '^') fail("'^' is not a power here; write 2 ** 10");
      return base;
    }
    const std::size_t where = pos_;
    advance(2);
    mpq_class exponent = unary();  // right-associative: 2**3**2 is 2**9
    if (exponent.get_den() != 1) fail_at(where, "the exponent must be an integer");
    const mpz_class& e = exponent.get_num();
    if (base == 0 && e < 0) fail_at(where, "division by zero (0 to a negative power)");
    if (base == 0 || base == 1) return base;
    if (base == -1) return mpz_even_p(e.get_mpz_t()) ? mpq_class(1) : mpq_class(-1);
    const mpz_class magnitude = abs(e);
    const double size =
        magnitude.get_d() * std::max(log10_of(base.get_num()), log10_of(base.get_den()));
    if (!magnitude.fits_ulong_p() || size > static_cast<double>(max_digits_))
      fail_at(where, "the power has more than " + std::to_string(max_digits_) + " digits");
    const unsigned long n = magnitude.get_ui();
    mpz_class num, den;
    mpz_pow_ui(num.get_mpz_t(), base.get_num_mpz_t(), n);
    mpz_pow_ui(den.get_mpz_t(), base.get_den_mpz_t(), n);
    mpq_class out = e < 0 ? mpq_class(den, num) : mpq_class(num, den);
    out.canonicalize();
    return checked(out);
  }

  mpq_class atom() {
    if (at_end()) fail("expected a number or '(' but the expression ends");
    if (peek() == '(') {
      const std::size_t open = pos_;
      advance(1);
      mpq_class value = sum();
      if (at_end() || peek() != ')') fail_at(open, "this '(' is never closed");
      advance(1);
      return value;
    }
    if (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.') return number();
    if (std::isalpha(static_cast<unsigned char>(peek())) || peek() == '_')
      fail("names and functions are not supported; only numbers, + - * / // % ** and ( )");
    fail(std::string("expected a number or '(' here, not '") + peek() + "'");
  }

  mpq_class number() {
    const std::size_t start = pos_;
    std::string digits;
    std::size_t decimals = 0;
    bool point = false;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        digits += c;
        decimals += point;
      } else if (c == '.' && !point) {
        point = true;
      } else if (c == '_' && !digits.empty() && pos_ + 1 < text_.size() &&
                 std::isdigit(static_cast<unsigned char>(text_[pos_ + 1]))) {
        // digit groups, 1_000_000, as Python writes them
      } else {
        break;
      }
      ++pos_;
    }
    if (digits.empty()) fail_at(start, "a number needs digits");
    long exponent = 0;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t k = pos_ + 1;
      bool negative = false;
      if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) negative = text_[k++] == '-';
      std::string e;
      while (k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k])))
        e += text_[k++];
      if (e.empty()) fail_at(pos_, "an exponent needs digits, e.g. 1.5e3");
      if (e.size() > 9 || std::stol(e) > static_cast<long>(max_digits_))
        fail_at(pos_, "the exponent is too large");
      exponent = negative ? -std::stol(e) : std::stol(e);
      pos_ = k;
    }
    digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
    const long scale = exponent - static_cast<long>(decimals);
    mpz_class num(digits, 10), ten_power;
    mpz_ui_pow_ui(ten_power.get_mpz_t(), 10,
                  static_cast<unsigned long>(scale < 0 ? -scale : scale));
    mpq_class value = scale < 0 ? mpq_class(num, ten_power) : mpq_class(num * ten_power);
    value.canonicalize();
    skip();
    return checked(value);
  }

  mpq_class checked(mpq_class value) {
    value.canonicalize();
    if (digits_of(value.get_num()) > max_digits_ || digits_of(value.get_den()) > max_digits_)
      throw CalcError("the result has more than " + std::to_string(max_digits_) +
                      " digits; the calculator stops there");
    return value;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool next_is(std::string_view s) const { return text_.substr(pos_, s.size()) == s; }
  char take() {
    const char c = text_[pos_];
    advance(1);
    return c;
  }
  void advance(std::size_t n) {
    pos_ += n;
    skip();
  }
  void skip() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  // The expression with a caret under the place, so the model sees where it went wrong.
  [[noreturn]] void fail_at(std::size_t where, const std::string& what) const {
    throw CalcError(what + " (at character " + std::to_string(where + 1) + ")\n" +
                    std::string(text_) + "\n" + std::string(where, ' ') + "^");
  }

  std::string_view text_;
  std::size_t max_digits_;
  std::size_t pos_ = 0;
};

// |num| / den as a decimal with `places` digits after the point, rounded half up.
std::string decimal(const mpz_class& num, const mpz_class& den, unsigned long places) {
  mpz_class scale, scaled;
  mpz_ui_pow_ui(scale.get_mpz_t(), 10, places);
  scaled = (2 * num * scale + den) / (2 * den);
  std::string digits = scaled.get_str(10);
  if (places == 0) return digits;
  if (digits.size() <= places) digits.insert(0, places + 1 - digits.size(), '0');
  digits.insert(digits.size() - places, ".");
  return digits;
}

}  // namespace

mpq_class evaluate(std::string_view text, std::size_t max_digits) {
  return Parser(text, max_digits).parse();
}

std::string format_value(const mpq_class& value, int digits) {
  if (value.get_den() == 1) return value.get_num().get_str(10);
  const std::string sign = value < 0 ? "-" : "";
  const mpz_class num = abs(value.get_num());
  const mpz_class& den = value.get_den();
  // A fraction terminates in base 10 exactly when its denominator is 2^a 5^b.
  mpz_class rest = den;
  unsigned long twos = mpz_remove(rest.get_mpz_t(), rest.get_mpz_t(), mpz_class(2).get_mpz_t());
  unsigned long fives = mpz_remove(rest.get_mpz_t(), rest.get_mpz_t(), mpz_class(5).get_mpz_t());
  if (rest == 1) return sign + decimal(num, den, std::max(twos, fives));
  return value.get_str(10) + " ≈ " + sign +
         decimal(num, den, static_cast<unsigned long>(std::max(digits, 0)));
}

}  // namespace forge::calculator
