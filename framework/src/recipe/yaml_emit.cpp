#include <forge/error.h>
#include <forge/scalar.h>

#include "recipe/recipe.h"

#include <yaml-cpp/emitter.h>

#include <algorithm>
#include <cctype>

namespace forge {
namespace {

bool reads_as_null(const std::string& text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

// True when the text, written plain, would come back as something other than a string.
bool needs_quotes(const std::string& text) {
  if (reads_as_null(text)) return true;
  Node plain = Node::scalar(text);
  if (as_number(plain) || as_boolean(plain)) return true;
  // YAML 1.1 readers also take these as numbers; quoting costs nothing.
  std::string lower(text.size(), ' ');
  std::transform(text.begin(), text.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "nan" || lower == "inf" || lower == "-inf" || lower == "+inf" || lower == "y" ||
         lower == "n";
}

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Code points YAML treats as line breaks or byte order marks, which plain text must not hold.
bool special_unicode(std::string_view text, std::size_t i) {
  return text.compare(i, 2, "\xC2\x85") == 0 || text.compare(i, 3, "\xE2\x80\xA8") == 0 ||
         text.compare(i, 3, "\xE2\x80\xA9") == 0 || text.compare(i, 3, "\xEF\xBB\xBF") == 0;
}

// Whether `text` reads back unchanged written plainly. yaml-cpp's own test lets through some
// texts that do not (a leading "--- ", a CR), so anything unusual is double-quoted instead.
bool plain_safe(const std::string& text) {
  if (text.empty() || reads_as_null(text)) return false;
  char first = text[0];
  if (first == '-' || first == '+' || first == '.') {
    if (text.size() == 1) return false;
    if (!alnum(text[1]) && !(first != '.' && text[1] == '.')) return false;
  } else if (!alnum(first) && first != '_' && first != '/' && first != '(' &&
             static_cast<unsigned char>(first) < 0x80) {
    return false;
  }
  if (text.back() == ' ' || text.back() == ':') return false;
  static constexpr std::string_view kAllowed = "_./+-@$%()=~*&!^;<>'\"?|`\\ :";
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      if (special_unicode(text, i)) return false;
      continue;
    }
    if (!alnum(c) && kAllowed.find(c) == std::string_view::npos) return false;
    if (c == ':' && i + 1 < text.size() && text[i + 1] == ' ') return false;
    if (c == ' ' && i + 1 < text.size() && text[i + 1] == ' ') return false;
  }
  return true;
}

std::string escape_interpolation(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "${") == 0) out += '$';
    out += text[i];
  }
  return out;
}

void write_text(YAML::Emitter& out, const std::string& text, bool quoted) {
  if (quoted) out << YAML::DoubleQuoted;
  out << text;
}

void write(YAML::Emitter& out, const Node& node, bool raw,
           const std::vector<std::string>* raw_keys = nullptr) {
  switch (node.kind()) {
    case Node::Kind::null:
      out << YAML::Null;
      return;
    case Node::Kind::scalar: {
      // A literal "${" is written back escaped, so the emitted recipe reads as it resolved.
      std::string text = raw ? node.text() : escape_interpolation(node.text());
      write_text(out, text, !plain_safe(text) || (node.quoted() && needs_quotes(text)));
      return;
    }
    case Node::Kind::sequence:
      if (node.items().empty()) out << YAML::Flow;  // "[]" beside its key, not below it
      out << YAML::BeginSeq;
      for (const Node& item : node.items()) write(out, item, raw);
      out << YAML::EndSeq;
      return;
    case Node::Kind::map:
      if (node.entries().empty()) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& entry : node.entries()) {
        out << YAML::Key;
        write_text(out, entry.key, !plain_safe(entry.key));
        out << YAML::Value;
        bool raw_entry =
            raw_keys && std::find(raw_keys->begin(), raw_keys->end(), entry.key) != raw_keys->end();
        write(out, entry.value, raw || raw_entry);
      }
      out << YAML::EndMap;
      return;
  }
}

}  // namespace

std::string emit_yaml(const Node& root, const std::vector<std::string>& raw) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Block);
  out.SetSeqFormat(YAML::Block);
  write(out, root, false, &raw);
  if (!out.good()) throw Error(cat("cannot write YAML: ", out.GetLastError()));
  std::string text = out.c_str();
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

}  // namespace forge
