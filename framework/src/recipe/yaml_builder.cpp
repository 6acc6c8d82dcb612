#include "recipe/yaml_builder.h"

#include <forge/error.h>

#include "recipe/tree.h"

#include <algorithm>

namespace forge {
namespace {

bool quoted_tag(const std::string& tag) {
  // "!" marks a quoted or block scalar; an explicit !!str means the same.
  return tag == "!" || tag == "tag:yaml.org,2002:str";
}

}  // namespace

NodeBuilder::NodeBuilder(std::string_view text, std::string file)
    : text_(text), file_(std::move(file)) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") mark_offset_ = 3;
}

// yaml-cpp 0.7 accepts a quoted scalar that runs to the end of the input when a line break
// precedes it, so "a: 'open" followed by a newline would silently swallow the rest of the file.
void NodeBuilder::check_closed_quote(const YAML::Mark& mark) {
  if (mark.is_null()) return;
  std::size_t i = mark_offset_ + static_cast<std::size_t>(mark.pos);
  // Skip an anchor or tag ("&a", "!!str") and the blanks and comments after it.
  while (i < text_.size() && (text_[i] == '&' || text_[i] == '!')) {
    i = std::min(text_.find_first_of(" \t\r\n", i), text_.size());
    while (i < text_.size()) {
      if (text_[i] == '#')
        i = std::min(text_.find('\n', i), text_.size());
      else if (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\r' || text_[i] == '\n')
        ++i;
      else
        break;
    }
  }
  if (i >= text_.size() || (text_[i] != '\'' && text_[i] != '"')) return;
  const char quote = text_[i];
  int lines = 0;
  for (std::size_t k = i + 1; k < text_.size(); ++k) {
    if (text_[k] == '\n') ++lines;
    if (quote == '"' && text_[k] == '\\') {
      ++k;
    } else if (text_[k] == quote) {
      if (quote == '\'' && k + 1 < text_.size() && text_[k + 1] == '\'') {
        ++k;  // '' is a quote inside single quotes
      } else {
        if (lines > 0) {
          multiline_quote_ = locate(mark);
          multiline_quote_end_ = mark.line + 1 + lines;
        }
        return;
      }
    }
  }
  fail(locate(mark), cat("invalid YAML: the ", quote == '"' ? "double" : "single",
                         " quote that opens here is never closed"));
}

std::optional<Location> NodeBuilder::runaway_quote(int error_line) const {
  if (multiline_quote_end_ == 0 || error_line < multiline_quote_end_ ||
      error_line > multiline_quote_end_ + 1)
    return std::nullopt;
  return multiline_quote_;
}

Location NodeBuilder::locate(const YAML::Mark& mark) const {
  if (mark.is_null()) return Location{file_};
  return Location{file_, mark.line + 1, mark.column + 1};
}

void NodeBuilder::fail(const Location& where, const std::string& message) const {
  throw Error(cat(where.str(), ": ", message));
}

void NodeBuilder::OnDocumentStart(const YAML::Mark& mark) { last_document_start_ = locate(mark); }

void NodeBuilder::OnDocumentEnd() {}

void NodeBuilder::OnAnchor(const YAML::Mark&, const std::string& anchor_name) {
  pending_anchor_name_ = anchor_name;
}

void NodeBuilder::OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) {
  add(Node::null(locate(mark)), anchor);
}

void NodeBuilder::OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                           const std::string& value) {
  if (tag != "?") check_closed_quote(mark);
  add(Node::scalar(value, quoted_tag(tag), locate(mark)), anchor);
}

void NodeBuilder::OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) {
  Location where = locate(mark);
  auto name = anchor_names_.find(anchor);
  std::string shown = name == anchor_names_.end() ? "" : name->second;
  auto found = anchors_.find(anchor);
  if (found == anchors_.end())
    fail(where, cat("alias '*", shown, "' refers to a value that contains it (an alias cycle)"));
  const Anchored& target = found->second;
  if (static_cast<int>(stack_.size()) + target.height > kMaxNesting)
    fail(where, cat("nesting deeper than ", kMaxNesting, " levels (through alias '*", shown, "')"));
  alias_nodes_ += target.size;
  if (alias_nodes_ > kMaxAliasNodes)
    fail(where, cat("aliases expand to more than ", kMaxAliasNodes, " values"));
  Node copy = target.node;
  copy.set_location(where);
  add(std::move(copy), 0);
}

void NodeBuilder::open(Node node, const YAML::Mark& mark, YAML::anchor_t anchor) {
  if (static_cast<int>(stack_.size()) >= kMaxNesting)
    fail(locate(mark), cat("nesting deeper than ", kMaxNesting, " levels"));
  if (anchor) anchor_names_[anchor] = pending_anchor_name_;
  Frame frame;
  frame.node = std::move(node);
  frame.anchor = anchor;
  stack_.push_back(std::move(frame));
}

void NodeBuilder::close() {
  Frame frame = std::move(stack_.back());
  stack_.pop_back();
  if (frame.key) fail(frame.key->location(), "mapping key without a value");
  add(std::move(frame.node), frame.anchor);
}

void NodeBuilder::OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                                  YAML::EmitterStyle::value) {
  open(Node::sequence(locate(mark)), mark, anchor);
}

void NodeBuilder::OnSequenceEnd() { close(); }

void NodeBuilder::OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                             YAML::EmitterStyle::value) {
  open(Node::map(locate(mark)), mark, anchor);
}

void NodeBuilder::OnMapEnd() { close(); }

void NodeBuilder::add(Node value, YAML::anchor_t anchor) {
  if (anchor) {
    // Collections registered their name when they opened; scalars name theirs now.
    if (!anchor_names_.count(anchor)) anchor_names_[anchor] = pending_anchor_name_;
    anchors_[anchor] = Anchored{value, nesting_of(value), count_nodes(value)};
  }
  if (stack_.empty()) {
    root_ = std::move(value);
    return;
  }
  Frame& top = stack_.back();
  if (top.node.is_sequence()) {
    top.node.items().push_back(std::move(value));
    return;
  }
  if (!top.key) {
    if (value.is_null()) fail(value.location(), "empty or null mapping key");
    if (!value.is_scalar())
      fail(value.location(), cat("mapping keys must be strings, found ", value.describe()));
    auto [seen, inserted] = top.key_lines.emplace(value.text(), value.location().line);
    if (!inserted)
      fail(value.location(),
           cat("duplicate key '", value.text(), "' (first defined on line ", seen->second, ")"));
    top.key = std::move(value);
    return;
  }
  Node key = std::move(*top.key);
  top.key.reset();
  top.node.entries().push_back({key.text(), key.location(), std::move(value)});
}

}  // namespace forge
