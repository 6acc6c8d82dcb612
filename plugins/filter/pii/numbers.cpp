#include "scan.h"

#include <string>

namespace forge::pii {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
bool is_separator(char c) { return c == ' ' || c == '-' || c == '.'; }

// How many digits start at `i` (at most `limit + 1`, to tell "too many").
std::size_t digits_at(std::string_view text, std::size_t i, std::size_t limit) {
  std::size_t n = 0;
  while (i + n < text.size() && n <= limit && is_digit(text[i + n])) ++n;
  return n;
}

// True when nothing at `end` continues the number: no letter or digit, and no separator that
// leads to another digit ("123-45-6789-0" is not an SSN).
bool ends_cleanly(std::string_view text, std::size_t end) {
  if (end >= text.size()) return true;
  char c = text[end];
  if (is_alnum(c) || c == '_' || c == '@') return false;
  return !((is_separator(c) || c == '/' || c == ',') && end + 1 < text.size() &&
           is_digit(text[end + 1]));
}

int number(std::string_view text, std::size_t i, std::size_t n) {
  int value = 0;
  for (std::size_t k = 0; k < n; ++k) value = value * 10 + (text[i + k] - '0');
  return value;
}

// "version 1.2.3.4", "build 10.0.0.1" and "section 6.1.2.2" name releases and chapters, not
// hosts.
bool follows_numbering_word(std::string_view text, std::size_t begin) {
  std::size_t end = begin;
  while (end > 0 && text[end - 1] == ' ') --end;
  std::size_t start = end;
  while (start > 0 && is_alnum(text[start - 1])) --start;
  std::string word(text.substr(start, end - start));
  for (char& c : word) c = static_cast<char>(c | 0x20);
  for (std::string_view known :
       {"version", "ver",  "v",        "release", "build",  "firmware", "kernel",
        "section", "sec",  "chapter",  "ch",      "figure", "fig",      "table",
        "step",    "part", "appendix", "item",    "rule",   "paragraph"})
    if (word == known) return true;
  return false;
}

// True when only spaces or tabs stand between the line's start and `i`.
bool starts_line(std::string_view text, std::size_t i) {
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t')) --i;
  return i == 0 || text[i - 1] == '\n';
}

std::size_t match_ipv4(std::string_view text, std::size_t i) {
  std::size_t end = i;
  for (int octet = 0; octet < 4; ++octet) {
    std::size_t n = digits_at(text, end, 3);
    if (n == 0 || n > 3) return kNone;
    end += n;
    if (octet < 3) {
      if (end >= text.size() || text[end] != '.') return kNone;
      ++end;
    }
  }
  if (end < text.size() && (is_alnum(text[end]) || text[end] == '_')) return kNone;
  // 1.2.3.4.5 is no address, and 4.3.2.1.in-addr.arpa is a host name.
  if (end + 1 < text.size() && text[end] == '.' && is_alnum(text[end + 1])) return kNone;
  if (end < text.size() && text[end] == '/') return kNone;  // a network (203.0.114.0/24)
  // A numbered heading at the start of a line: 12.1.1.1. Different RAID Levels
  if (end < text.size() && text[end] == '.' && starts_line(text, i)) return kNone;
  auto address = parse_ipv4(text.substr(i, end - i));
  if (!address || !is_public_ipv4(*address) || follows_numbering_word(text, i)) return kNone;
  return end;
}

// ddd-dd-dddd or ddd dd dddd: area 001..899 except 666, group 01..99, serial 0001..9999.
std::size_t match_ssn(std::string_view text, std::size_t i) {
  if (digits_at(text, i, 3) != 3 || i + 11 > text.size()) return kNone;
  char sep = text[i + 3];
  if ((sep != '-' && sep != ' ') || text[i + 6] != sep) return kNone;
  if (digits_at(text, i + 4, 2) != 2 || digits_at(text, i + 7, 4) != 4) return kNone;
  int area = number(text, i, 3), group = number(text, i + 4, 2), serial = number(text, i + 7, 4);
  if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return kNone;
  return ends_cleanly(text, i + 11) ? i + 11 : kNone;
}

// 13 to 19 digits in groups joined by one kind of separator (space or dash) or none, led by a
// card network's digit (2..6) and passing the Luhn check; not all one digit.
std::size_t match_card(std::string_view text, std::size_t i) {
  if (text[i] < '2' || text[i] > '6') return kNone;
  std::string digits;
  char sep = 0;
  std::size_t end = i;
  while (true) {
    std::size_t n = digits_at(text, end, 19);
    if (n == 0 || digits.size() + n > 19) return kNone;
    digits.append(text.substr(end, n));
    end += n;
    if (end + 1 >= text.size() || (text[end] != ' ' && text[end] != '-') ||
        !is_digit(text[end + 1]) || (sep != 0 && text[end] != sep))
      break;
    sep = text[end];
    ++end;
  }
  if (digits.size() < 13 || !ends_cleanly(text, end)) return kNone;
  if (digits.find_first_not_of(digits[0]) == std::string::npos) return kNone;
  int sum = 0;
  for (std::size_t k = 0; k < digits.size(); ++k) {
    int d = digits[digits.size() - 1 - k] - '0';
    if (k % 2 == 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0 ? end : kNone;
}

// NXX: a first digit of 2..9, and not N11 (211, 411, 911 are service codes).
bool is_nxx(std::string_view text, std::size_t i) {
  return digits_at(text, i, 3) >= 3 && text[i] >= '2' &&
         !(text[i + 1] == '1' && text[i + 2] == '1');
}

// North American numbers: [+1 or 1 and a separator] (NXX) NXX-XXXX or NXX-NXX-XXXX with one
// kind of separator (- . or space); +1 also allows +1NXXNXXXXXX.
std::size_t match_nanp(std::string_view text, std::size_t i) {
  std::size_t p = i;
  bool plus = text[p] == '+';
  if (plus) {
    if (p + 1 >= text.size() || text[p + 1] != '1') return kNone;
    p += 2;
    if (p < text.size() && (is_separator(text[p]) && text[p] != '.')) ++p;
  } else if (text[p] == '1' && p + 2 < text.size() && is_separator(text[p + 1]) &&
             (is_digit(text[p + 2]) || text[p + 2] == '(')) {
    p += 2;
  }
  char sep = 0;
  if (p < text.size() && text[p] == '(') {
    if (!is_nxx(text, p + 1) || p + 4 >= text.size() || text[p + 4] != ')') return kNone;
    p += 5;
    if (p < text.size() && text[p] == ' ') ++p;
    if (!is_nxx(text, p)) return kNone;
    p += 3;
    if (p >= text.size() || (text[p] != '-' && text[p] != '.' && text[p] != ' ')) return kNone;
    ++p;
  } else {
    if (!is_nxx(text, p)) return kNone;
    p += 3;
    if (plus && digits_at(text, p, 7) == 7 && digits_at(text, p - 3, 10) == 10) {
      if (!is_nxx(text, p)) return kNone;
      p += 7;  // +14155552671
      return ends_cleanly(text, p) ? p : kNone;
    }
    if (p >= text.size() || !is_separator(text[p])) return kNone;
    sep = text[p++];
    if (!is_nxx(text, p)) return kNone;
    p += 3;
    if (p >= text.size() || text[p] != sep) return kNone;
    ++p;
  }
  if (digits_at(text, p, 4) != 4) return kNone;
  p += 4;
  return ends_cleanly(text, p) ? p : kNone;
}

// +CC and groups joined by single spaces or dashes (a group may sit in parentheses), 8 to 15
// digits in all (E.164's limit).
std::size_t match_international(std::string_view text, std::size_t i) {
  if (text[i] != '+' || i + 1 >= text.size() || text[i + 1] < '1' || text[i + 1] > '9')
    return kNone;
  std::size_t p = i + 1, total = 0, groups = 0;
  while (true) {
    bool paren = p < text.size() && text[p] == '(';
    std::size_t n = digits_at(text, p + paren, 15);
    if (n == 0 || (paren && (p + 1 + n >= text.size() || text[p + 1 + n] != ')'))) break;
    total += n;
    ++groups;
    p += n + (paren ? 2 : 0);
    if (total > 15) return kNone;
    bool more = p + 1 < text.size() && (text[p] == ' ' || text[p] == '-') &&
                (is_digit(text[p + 1]) || text[p + 1] == '(');
    if (!more) break;
    ++p;
  }
  if (total < 8 || (groups == 1 && total < 10)) return kNone;
  return ends_cleanly(text, p) ? p : kNone;
}

// True when a whole word of digits ends at `end`.
bool follows_number(std::string_view text, std::size_t end) {
  std::size_t start = end;
  while (start > 0 && is_digit(text[start - 1])) --start;
  return start < end && (start == 0 || !is_alnum(text[start - 1]));
}

}  // namespace

void scan_numbers(std::string_view text, const KindSet& kinds, std::vector<Match>& out) {
  const bool want_ip = kinds[static_cast<int>(Kind::ip_address)];
  const bool want_ssn = kinds[static_cast<int>(Kind::ssn)];
  const bool want_card = kinds[static_cast<int>(Kind::card)];
  const bool want_phone = kinds[static_cast<int>(Kind::phone)];
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (!is_digit(c) && c != '+' && c != '(') {
      ++i;
      continue;
    }
    char before = i > 0 ? text[i - 1] : ' ';
    bool apart = !is_alnum(before) && before != '.' && before != '-' && before != '_' &&
                 before != '+' && before != '@' && before != '/' && before != ',';
    // "233 377 610 987 1597": one number among many is not a phone number.
    if (before == ' ' && follows_number(text, i - 1)) apart = false;
    if (!apart || ((c == '+' || c == '(') && (i + 1 >= text.size() || !is_digit(text[i + 1])))) {
      ++i;
      while (i < text.size() && is_digit(text[i])) ++i;  // never start inside a number
      continue;
    }
    std::size_t end = kNone;
    Kind kind = Kind::phone;
    if (is_digit(c)) {
      if (want_card && (end = match_card(text, i)) != kNone) {
        kind = Kind::card;
      } else if (want_ssn && (end = match_ssn(text, i)) != kNone) {
        kind = Kind::ssn;
      } else if (want_ip && (end = match_ipv4(text, i)) != kNone) {
        kind = Kind::ip_address;
      }
    }
    if (end == kNone && want_phone) {
      end = match_nanp(text, i);
      if (end == kNone && c == '+') end = match_international(text, i);
    }
    if (end != kNone) {
      out.push_back({i, end, kind});
      i = end;
      continue;
    }
    ++i;  // after a failed '(' or '+', the digits that follow get their own try
    if (is_digit(c))
      while (i < text.size() && is_digit(text[i])) ++i;
  }
}

}  // namespace forge::pii
