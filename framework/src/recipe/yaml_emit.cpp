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
  return lower == "nan" || lower == "inf" || lower == "-inf" || lower == "+inf" ||
         lower == "y" || lower == "n";
}

// yaml-cpp may write control characters such as CR plainly, where a reader would drop them.
bool has_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

void write_text(YAML::Emitter& out, const std::string& text, bool force_quotes) {
  if (force_quotes) out << YAML::DoubleQuoted;
  out << text;
}

void write(YAML::Emitter& out, const Node& node) {
  switch (node.kind()) {
    case Node::Kind::null:
      out << YAML::Null;
      return;
    case Node::Kind::scalar:
      write_text(out, node.text(),
                 (node.quoted() && needs_quotes(node.text())) || has_control(node.text()));
      return;
    case Node::Kind::sequence:
      out << YAML::BeginSeq;
      for (const Node& item : node.items()) write(out, item);
      out << YAML::EndSeq;
      return;
    case Node::Kind::map:
      out << YAML::BeginMap;
      for (const auto& entry : node.entries()) {
        out << YAML::Key;
        write_text(out, entry.key, reads_as_null(entry.key) || has_control(entry.key));
        out << YAML::Value;
        write(out, entry.value);
      }
      out << YAML::EndMap;
      return;
  }
}

}  // namespace

std::string emit_yaml(const Node& root) {
  YAML::Emitter out;
  out.SetMapFormat(YAML::Block);
  out.SetSeqFormat(YAML::Block);
  write(out, root);
  if (!out.good()) throw Error(cat("cannot write YAML: ", out.GetLastError()));
  std::string text = out.c_str();
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

}  // namespace forge
