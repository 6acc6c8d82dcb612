// A small tokenizer for tag boundaries only: it follows the HTML tokenizer's rules for quoted
// attribute values and raw-text elements, so that a "<script>" inside an attribute or a "</p>"
// inside a script never confuses it.
#include "prescan.h"

#include <cstring>

namespace forge::html {
namespace {

bool is_alpha(unsigned char c) { return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }
bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

// Case-insensitive: does `text` at `at` start with the lower-case `word`?
bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view word) {
  if (at + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower(static_cast<unsigned char>(text[at + i])) != static_cast<unsigned char>(word[i]))
      return false;
  }
  return true;
}

// Elements dropped with their content. `nests` when one may hold another of its kind.
struct Dropped {
  std::string_view name;
  bool nests;
};
constexpr Dropped kDropped[] = {
    {"script", false}, {"style", false},  {"noscript", false}, {"template", true}, {"svg", true},
    {"math", true},    {"iframe", false}, {"textarea", false}, {"select", false},  {"object", true},
};

// The index just past the '>' that ends the tag starting at `at` ('<'), or text.size(). Inside a
// start tag, a quote opens a value only after '=' (as in the HTML tokenizer).
std::size_t tag_end(std::string_view text, std::size_t at) {
  std::size_t i = at + 1;
  bool after_equals = false;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '>') return i + 1;
    if (after_equals && (c == '"' || c == '\'')) {
      const void* close = std::memchr(text.data() + i + 1, c, text.size() - i - 1);
      if (!close) return text.size();
      i = static_cast<const char*>(close) - text.data() + 1;
      after_equals = false;
      continue;
    }
    if (c == '=') {
      after_equals = true;
    } else if (!is_space(c)) {
      after_equals = false;
    }
    ++i;
  }
  return text.size();
}

// Whether the tag name starting at `at` is `name` followed by a name-ending character.
bool name_is(std::string_view text, std::size_t at, std::string_view name) {
  if (!starts_with_nocase(text, at, name)) return false;
  std::size_t after = at + name.size();
  if (after >= text.size()) return true;
  unsigned char c = static_cast<unsigned char>(text[after]);
  return is_space(c) || c == '>' || c == '/';
}

// The end of element `name` whose start tag ends at `from`: past its end tag, or text.size().
std::size_t element_end(std::string_view text, std::size_t from, const Dropped& element) {
  int depth = 1;
  std::size_t i = from;
  while (i < text.size()) {
    const void* found = std::memchr(text.data() + i, '<', text.size() - i);
    if (!found) return text.size();
    i = static_cast<const char*>(found) - text.data();
    if (i + 1 < text.size() && text[i + 1] == '/' && name_is(text, i + 2, element.name)) {
      if (--depth == 0) return tag_end(text, i);
    } else if (element.nests && name_is(text, i + 1, element.name)) {
      std::size_t end = tag_end(text, i);
      if (end >= 2 && text[end - 2] != '/') ++depth;  // <svg/> opens nothing
      i = end;
      continue;
    }
    ++i;
  }
  return text.size();
}

// Appends `bytes` to `out` with every ill-formed UTF-8 sequence (and NUL) as U+FFFD.
void append_utf8(std::string& out, std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t size = bytes.size();
  std::size_t start = 0, i = 0;
  auto flush = [&] { out.append(bytes.data() + start, i - start); };
  while (i < size) {
    unsigned char c = data[i];
    if (c >= 0x01 && c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = c >= 0xC2 && c <= 0xDF   ? 2
                         : c >= 0xE0 && c <= 0xEF ? 3
                         : c >= 0xF0 && c <= 0xF4 ? 4
                                                  : 0;
    bool valid = length > 0 && i + length <= size;
    for (std::size_t k = 1; valid && k < length; ++k) valid = (data[i + k] & 0xC0) == 0x80;
    // Overlong forms, surrogates and code points above U+10FFFF.
    if (valid && length == 3) {
      valid = !(c == 0xE0 && data[i + 1] < 0xA0) && !(c == 0xED && data[i + 1] >= 0xA0);
    }
    if (valid && length == 4) {
      valid = !(c == 0xF0 && data[i + 1] < 0x90) && !(c == 0xF4 && data[i + 1] >= 0x90);
    }
    if (valid) {
      i += length;
      continue;
    }
    flush();
    out += "\xEF\xBF\xBD";
    start = ++i;
  }
  flush();
}

}  // namespace

std::string prescan(std::string_view page) {
  std::string out;
  out.reserve(page.size() / 2 + 64);
  std::size_t i = 0;
  while (i < page.size()) {
    const void* found = std::memchr(page.data() + i, '<', page.size() - i);
    std::size_t at = found ? static_cast<const char*>(found) - page.data() : page.size();
    append_utf8(out, page.substr(i, at - i));
    if (at >= page.size()) break;
    if (page.compare(at, 4, "<!--") == 0) {
      // A comment ends at the first "-->" (or "<!-->" at once); an unclosed one runs to the end.
      std::size_t close = page.compare(at, 5, "<!-->") == 0 ? at + 2 : page.find("-->", at + 4);
      i = close == std::string_view::npos ? page.size() : close + 3;
      continue;
    }
    unsigned char next = at + 1 < page.size() ? static_cast<unsigned char>(page[at + 1]) : 0;
    if (is_alpha(next)) {
      std::size_t end = tag_end(page, at);
      const Dropped* dropped = nullptr;
      for (const Dropped& element : kDropped) {
        if (name_is(page, at + 1, element.name)) dropped = &element;
      }
      if (dropped && !(end >= 2 && page[end - 2] == '/' && dropped->nests)) {
        i = element_end(page, end, *dropped);
      } else {
        append_utf8(out, page.substr(at, end - at));
        i = end;
      }
      continue;
    }
    if (next == '/' || next == '!' || next == '?') {
      std::size_t end = tag_end(page, at);
      append_utf8(out, page.substr(at, end - at));
      i = end;
      continue;
    }
    out += '<';  // a '<' that starts no tag is text
    i = at + 1;
  }
  return out;
}

}  // namespace forge::html
