// Children follow their parent in document order, so one backward pass sums every subtree.
#include "stats.h"

namespace forge::html {

std::vector<NodeStats> compute_stats(const Dom& dom) {
  std::vector<NodeStats> stats(static_cast<std::size_t>(dom.size()));
  for (std::int32_t i = dom.size() - 1; i > 0; --i) {
    const Node& node = dom[i];
    if (node.removed()) continue;
    NodeStats& own = stats[static_cast<std::size_t>(i)];
    if (node.is_text()) {
      own.chars = node.chars;
      own.commas = node.commas;
      if (node.flags & node_flag::in_link) own.link_chars = node.chars;
    } else {
      if (node.tag == Tag::p && own.chars > 0) ++own.paragraphs;
      if (node.tag == Tag::img) ++own.images;
      if (node.tag == Tag::article) ++own.articles;
      if (node.tag == Tag::blockquote) own.quoted_chars = own.chars;
    }
    NodeStats& parent = stats[static_cast<std::size_t>(node.parent)];
    parent.chars += own.chars;
    parent.link_chars += own.link_chars;
    parent.commas += own.commas;
    parent.paragraphs += own.paragraphs;
    parent.images += own.images;
    parent.articles += own.articles;
    parent.quoted_chars += own.quoted_chars;
    const bool block = !node.is_text() && traits(node.tag).block;
    parent.blocks += own.blocks + block;
    if (!block && own.blocks == 0) {
      parent.loose_chars += own.chars;
      parent.loose_commas += own.commas;
    }
  }
  return stats;
}

}  // namespace forge::html
