#pragma once

// Per-element totals of what its visible subtree holds: the numbers every decision of the
// extractor is made from (text density, link density, paragraph and comma counts).

#include "dom.h"

#include <cstdint>
#include <vector>

namespace forge::html {

struct NodeStats {
  std::uint32_t chars = 0;       // non-space code points of text
  std::uint32_t link_chars = 0;  // of them, inside <a>
  std::uint32_t commas = 0;
  std::uint32_t paragraphs = 0;  // <p> with text
  std::uint32_t images = 0;
  std::uint32_t articles = 0;      // <article> elements
  std::uint32_t quoted_chars = 0;  // of the text, inside <blockquote>
  std::uint32_t blocks = 0;  // block-level descendants (a div without any reads as a paragraph)
  // Text of the children that are text or inline elements without blocks: the loose text of a
  // container that mixes it with blocks (text laid out with <br> beside a heading).
  std::uint32_t loose_chars = 0;
  std::uint32_t loose_commas = 0;

  double link_density() const { return chars ? static_cast<double>(link_chars) / chars : 0.0; }
};

// Totals for every node, leaving out removed subtrees.
std::vector<NodeStats> compute_stats(const Dom& dom);

}  // namespace forge::html
