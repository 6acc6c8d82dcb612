#include <forge/error.h>

#include "recipe/recipe.h"
#include "recipe/tree.h"
#include "recipe/yaml_builder.h"
#include "recipe/yaml_document.h"

#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace forge {
namespace {

// The 1-based line and column of byte `offset`, counting bytes as yaml-cpp's marks do.
Location locate_byte(std::string_view text, std::size_t offset, const std::string& file) {
  Location where{file, 1, 1};
  for (std::size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  return where;
}

std::string hex_byte(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", c);
  return buffer;
}

// YAML text has no control characters but tab and line breaks; anything else means binary.
void check_text(std::string_view text, const std::string& file) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      throw Error(cat(locate_byte(text, i, file).str(),
                      ": the file is binary, not YAML text (found byte ", hex_byte(c), ")"));
  }
}

// The length of the valid UTF-8 sequence at `i`, or 0 when it is not valid.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (length == 0 || c > 0xF4 || c == 0xC0 || c == 0xC1) return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  unsigned char next = byte(i + 1);
  if (c == 0xE0 && next < 0xA0) return 0;   // overlong
  if (c == 0xED && next >= 0xA0) return 0;  // UTF-16 surrogates
  if (c == 0xF0 && next < 0x90) return 0;   // overlong
  if (c == 0xF4 && next >= 0x90) return 0;  // past U+10FFFF
  return length;
}

void check_utf8(std::string_view text, const std::string& file) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = utf8_length(text, i);
    if (length == 0)
      throw Error(cat(locate_byte(text, i, file).str(), ": invalid UTF-8 (byte ",
                      hex_byte(static_cast<unsigned char>(text[i])),
                      "); recipes must be UTF-8 text"));
    i += length;
  }
}

// yaml-cpp queues every token of an open flow collection before the parser sees it, about
// 250 bytes per '[', so absurd nesting is refused by a rough scan before yaml-cpp starts. The
// exact limit (kMaxNesting) is enforced on the parsed events.
void check_flow_nesting(std::string_view text, const std::string& file) {
  constexpr int kMaxScanned = 1000;
  auto starts_value = [&](std::size_t i) {
    return i == 0 || std::string_view(" \t\n[{,:").find(text[i - 1]) != std::string_view::npos;
  };
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#' && starts_value(i)) {
      i = std::min(text.find('\n', i), text.size());
    } else if ((c == '\'' || c == '"') && starts_value(i)) {
      i = std::min(text.find(c, i + 1), text.size());
    } else if ((c == '[' || c == '{') && starts_value(i)) {
      if (++depth > kMaxScanned)
        throw Error(cat(locate_byte(text, i, file).str(), ": nesting deeper than ", kMaxNesting,
                        " levels"));
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
}

Location mark_location(const YAML::Mark& mark, const std::string& file) {
  if (mark.is_null()) return Location{file};
  return Location{file, mark.line + 1, mark.column + 1};
}

// Line `number` (1-based) of `text`, or "" past the end.
std::string_view line_at(std::string_view text, int number) {
  std::size_t start = 0;
  for (int i = 1; i < number; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  return text.substr(start, text.find('\n', start) - start);
}

bool tab_indented(std::string_view line) {
  std::string_view indent = line.substr(0, line.find_first_not_of(" \t"));
  return indent.find('\t') != std::string_view::npos;
}

// yaml-cpp's messages are terse; say what usually causes each.
std::string hint(const std::string& message, std::string_view text, int line) {
  if (line > 0 && (tab_indented(line_at(text, line)) || tab_indented(line_at(text, line - 1))))
    return " (tabs cannot indent YAML; use spaces)";
  static constexpr std::pair<std::string_view, std::string_view> kHints[] = {
      {"illegal map value",
       " (a ':' where no value may start: check the indentation, and quote "
       "values that contain ': ')"},
      {"end of map not found", " (check the indentation)"},
      {"end of sequence not found", " (check the indentation)"},
      {"end of sequence flow not found", " (a '[' is not closed with ']')"},
      {"end of map flow not found", " (a '{' is not closed with '}')"},
      {"illegal EOF in scalar", " (a quote is not closed)"},
      {"illegal flow end", " (a ']' or '}' without its opening bracket)"},
  };
  bool flow_error = message.find("flow") != std::string::npos;
  if (flow_error && line > 0 && line_at(text, line).find("${") != std::string_view::npos)
    return " (inside [ ] or { }, quote values that use ${...}: '${a.b}')";
  for (const auto& [known, extra] : kHints)
    if (message == known) return std::string(extra);
  return "";
}

}  // namespace

std::optional<Node> parse_yaml_document(std::string_view original, const std::string& file) {
  // yaml-cpp half-supports old Mac line ends; a lone CR becomes LF (same offsets, same lines).
  std::string normal(original);
  for (std::size_t i = 0; i < normal.size(); ++i)
    if (normal[i] == '\r' && (i + 1 == normal.size() || normal[i + 1] != '\n')) normal[i] = '\n';
  std::string_view text = normal;
  check_text(text, file);
  check_utf8(text, file);
  check_flow_nesting(text, file);
  std::istringstream stream{normal};
  NodeBuilder builder(text, file);
  try {
    YAML::Parser parser(stream);
    if (!parser.HandleNextDocument(builder)) return std::nullopt;
    if (parser.HandleNextDocument(builder))
      throw Error(cat(builder.last_document_start().str(),
                      ": a second YAML document; a recipe is one document (remove the '---')"));
  } catch (const YAML::Exception& e) {
    Location where = mark_location(e.mark, file);
    std::optional<Location> quote = builder.runaway_quote(where.line);
    std::string extra = quote ? cat(" (the quote that opens at ", quote->line, ":", quote->column,
                                    " runs over several lines; is it closed?)")
                              : hint(e.msg, text, where.line);
    throw Error(cat(where.str(), ": invalid YAML: ", e.msg, extra));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Error(cat(file, ": invalid YAML: ", e.what()));
  }
  if (!builder.root()) return Node::null(Location{file, 1, 1});
  return std::move(*builder.root());
}

Node parse_yaml(std::string_view text, const std::string& file) {
  std::optional<Node> root = parse_yaml_document(text, file);
  if (!root) throw Error(cat(file, ": recipe is empty; expected a mapping with 'stage:'"));
  return std::move(*root);
}

}  // namespace forge
