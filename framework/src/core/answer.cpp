#include <forge/answer.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace forge {
namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// The length of the unsigned number at the start of `text` (digits with comma groups of
// three, then decimals), or 0.
std::size_t unsigned_length(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && digit(text[i])) ++i;
  const std::size_t whole = i;
  // Thousands groups: ",ddd" not followed by another digit.
  while (whole >= 1 && whole <= 3 && i + 3 < text.size() && text[i] == ',' && digit(text[i + 1]) &&
         digit(text[i + 2]) && digit(text[i + 3]) && (i + 4 >= text.size() || !digit(text[i + 4])))
    i += 4;
  if (i + 1 < text.size() && text[i] == '.' && digit(text[i + 1])) {
    i += 1;
    while (i < text.size() && digit(text[i])) ++i;
  }
  return i;
}

// The length of a number (sign, value, optional "/ value") at `text`'s start, or 0.
std::size_t number_length(std::string_view text) {
  std::size_t sign = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  const std::size_t value = unsigned_length(text.substr(sign));
  if (value == 0) return 0;
  std::size_t end = sign + value;
  if (end + 1 < text.size() && text[end] == '/') {
    const std::size_t below = unsigned_length(text.substr(end + 1));
    if (below > 0) end += 1 + below;
  }
  return end;
}

// "\frac{a}{b}" or "\dfrac{a}{b}" as "a/b"; other text unchanged.
std::string unfrac(std::string_view text) {
  for (std::string_view command : {"\\frac{", "\\dfrac{", "\\tfrac{"}) {
    if (!starts_with(text, command)) continue;
    std::string_view rest = text.substr(command.size());
    const std::size_t close = rest.find('}');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != '{')
      break;
    std::string_view below = rest.substr(close + 2);
    const std::size_t end = below.find('}');
    if (end == std::string_view::npos || end + 1 != below.size()) break;
    return std::string(rest.substr(0, close)) + "/" + std::string(below.substr(0, end));
  }
  return std::string(text);
}

double plain_value(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != ',') digits += c;
  return std::strtod(digits.c_str(), nullptr);
}

std::string canonical_number(double value) {
  if (value == 0) return "0";
  char text[64];
  if (std::fabs(value) < 1e15 && std::floor(value) == value) {
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(value));
    return text;
  }
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

std::optional<ExtractedAnswer> last_boxed(std::string_view reply) {
  for (std::size_t at = reply.rfind("\\boxed{"); at != std::string_view::npos;
       at = at == 0 ? std::string_view::npos : reply.rfind("\\boxed{", at - 1)) {
    const std::size_t open = at + 7;
    int depth = 1;
    for (std::size_t i = open; i < reply.size(); ++i) {
      depth += reply[i] == '{' ? 1 : reply[i] == '}' ? -1 : 0;
      if (depth == 0)
        return ExtractedAnswer{std::string(trim(reply.substr(open, i - open))),
                               AnswerSource::boxed};
    }
  }
  return std::nullopt;
}

std::optional<ExtractedAnswer> after_hashes(std::string_view reply) {
  const std::size_t at = reply.rfind("####");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = reply.substr(at + 4);
  rest = rest.substr(0, rest.find('\n'));
  rest = trim(rest);
  if (rest.empty()) return std::nullopt;
  return ExtractedAnswer{std::string(rest), AnswerSource::hashes};
}

std::optional<ExtractedAnswer> last_number(std::string_view reply) {
  std::optional<ExtractedAnswer> found;
  std::size_t i = 0;
  while (i < reply.size()) {
    const char c = reply[i];
    const bool sign_here = (c == '-' || c == '+') && i + 1 < reply.size() &&
                           (digit(reply[i + 1]) || reply[i + 1] == '.') &&
                           (i == 0 || (!alnum(reply[i - 1]) && reply[i - 1] != ')'));
    const bool starts = (digit(c) || sign_here) && (i == 0 || !alnum(reply[i - 1]) || sign_here);
    if (!starts) {
      ++i;
      continue;
    }
    std::size_t length = number_length(reply.substr(i));
    if (length == 0) {
      ++i;
      continue;
    }
    if (reply[i] == '+') ++i, --length;  // "+3" is 3
    found = ExtractedAnswer{std::string(reply.substr(i, length)), AnswerSource::last_number};
    i += length;
  }
  return found;
}

}  // namespace

std::optional<AnswerSource> parse_answer_source(std::string_view name) {
  if (name == "boxed") return AnswerSource::boxed;
  if (name == "hashes") return AnswerSource::hashes;
  if (name == "last_number") return AnswerSource::last_number;
  return std::nullopt;
}

std::optional<ExtractedAnswer> extract_answer(std::string_view reply,
                                              const std::vector<AnswerSource>& sources) {
  for (AnswerSource source : sources) {
    std::optional<ExtractedAnswer> found = source == AnswerSource::boxed    ? last_boxed(reply)
                                           : source == AnswerSource::hashes ? after_hashes(reply)
                                                                            : last_number(reply);
    if (found) return found;
  }
  return std::nullopt;
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (starts_with(text, "\\$")) text.remove_prefix(2);
  if (starts_with(text, "$")) text.remove_prefix(1);
  text = trim(text);
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.size() >= 2 && text.substr(text.size() - 2) == "\\%")
    text.remove_suffix(2);
  else if (!text.empty() && text.back() == '%')
    text.remove_suffix(1);
  std::string plain = unfrac(trim(text));
  std::string_view body = plain;
  std::string_view unsigned_body = body;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) unsigned_body.remove_prefix(1);
  if (unsigned_body.empty() || !(digit(unsigned_body[0]) || unsigned_body[0] == '.'))
    return std::nullopt;
  // ".5" has no whole part; give it one so that one grammar reads every number.
  std::string padded = std::string(body.substr(0, body.size() - unsigned_body.size())) +
                       (unsigned_body[0] == '.' ? "0" : "") + std::string(unsigned_body);
  if (number_length(padded) != padded.size()) return std::nullopt;
  const std::size_t slash = padded.find('/');
  if (slash == std::string::npos) return plain_value(padded);
  const double below = plain_value(padded.substr(slash + 1));
  if (below == 0) return std::nullopt;
  return plain_value(padded.substr(0, slash)) / below;
}

std::string normalize_answer(std::string_view text) {
  if (std::optional<double> value = parse_number(text)) return canonical_number(*value);
  std::string plain(trim(text));
  for (std::size_t at = plain.find("\\text{"); at != std::string::npos;
       at = plain.find("\\text{")) {
    const std::size_t close = plain.find('}', at);
    if (close == std::string::npos) break;
    plain = plain.substr(0, at) + plain.substr(at + 6, close - at - 6) + plain.substr(close + 1);
  }
  std::string out;
  for (char c : plain) {
    if (c == '$') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  if (!out.empty() && out.front() == ' ') out.erase(out.begin());
  if (out != plain)
    if (std::optional<double> value = parse_number(out)) return canonical_number(*value);
  return out;
}

bool answers_equal(std::string_view a, std::string_view b) {
  const std::string left = normalize_answer(a), right = normalize_answer(b);
  return !left.empty() && left == right;
}

}  // namespace forge
