#pragma once

// A compact, read-mostly tree of the page built from libxml2's HTML parser. Nodes are stored in
// document order, so an element's subtree is the index range [i, end): walks need neither
// recursion nor pointers, and removing a subtree is one flag.

#include "tags.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace forge::html {

namespace node_flag {
constexpr std::uint8_t removed = 1;  // dropped by cleaning, with its subtree
constexpr std::uint8_t hidden = 2;   // hidden by the page (hidden, aria-hidden, display:none)
constexpr std::uint8_t in_link = 4;  // a text node inside an <a>
constexpr std::uint8_t in_pre = 8;   // a text node inside a <pre>: whitespace kept
}  // namespace node_flag

struct Node {
  Tag tag = Tag::other;
  std::uint8_t flags = 0;
  std::uint32_t cues = 0;  // cue bits of class, id, role and itemprop (see cues.h)
  std::int32_t parent = -1;
  std::int32_t end = 0;          // one past the last node of the subtree
  std::uint32_t class_hash = 0;  // of the class attribute, to find siblings of one kind
  std::uint32_t names_begin = 0, names_size = 0;  // "class#id" in Dom::names(), for diagnostics
  // Text nodes: their text (whitespace runs collapsed to one space) in Dom::text(), its count
  // of non-space code points, and of commas (Readability's sign of running prose).
  std::uint32_t text_begin = 0, text_size = 0;
  std::uint32_t chars = 0;
  std::uint16_t commas = 0;

  bool is_text() const { return tag == Tag::text; }
  bool removed() const { return flags & node_flag::removed; }
};

class Dom {
 public:
  // Parses UTF-8 HTML (already through prescan()) with libxml2's HTML parser, in recovery mode.
  static Dom parse(std::string_view html);

  std::int32_t size() const { return static_cast<std::int32_t>(nodes_.size()); }
  const Node& operator[](std::int32_t i) const { return nodes_[static_cast<std::size_t>(i)]; }
  Node& operator[](std::int32_t i) { return nodes_[static_cast<std::size_t>(i)]; }
  std::string_view text(const Node& node) const {
    return std::string_view(text_).substr(node.text_begin, node.text_size);
  }
  // The element's class and id as "class#id" (for diagnostics and tests).
  std::string_view names(const Node& node) const {
    return std::string_view(names_).substr(node.names_begin, node.names_size);
  }
  // The text under element i, as stored (whitespace collapsed within each text node).
  std::string text_of(std::int32_t i) const;
  // The <body> element (node 0, a synthetic root, when the page has none).
  std::int32_t body() const { return body_; }
  // The text of the first <title>, whitespace collapsed.
  const std::string& title() const { return title_; }

  // Marks node i and its subtree removed.
  void remove(std::int32_t i) { nodes_[static_cast<std::size_t>(i)].flags |= node_flag::removed; }
  // Undoes every remove(), for a second try with other rules.
  void clear_removed() {
    for (Node& node : nodes_) node.flags &= static_cast<std::uint8_t>(~node_flag::removed);
  }

 private:
  friend class DomBuilder;
  std::vector<Node> nodes_;
  std::string text_;
  std::string names_;
  std::string title_;
  std::int32_t body_ = 0;
};

// Calls `visit(child)` for each child of element i, in order.
template <class Visit>
void for_each_child(const Dom& dom, std::int32_t i, Visit&& visit) {
  for (std::int32_t child = i + 1; child < dom[i].end; child = dom[child].end) visit(child);
}

}  // namespace forge::html
