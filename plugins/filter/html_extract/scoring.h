#pragma once

// Finding the element that holds the article: paragraphs vote for their ancestors (Readability's
// scheme), votes are discounted by link density, and siblings of the winner that read like
// more of the same text join it.

#include "dom.h"
#include "stats.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace forge::html {

// The chosen content: `parts` are the winning element and the siblings merged with it, in
// document order; they share the parent `root`.
struct Selection {
  std::int32_t root = 0;
  std::vector<std::int32_t> parts;
  std::vector<std::pair<std::int32_t, double>> top;  // the best candidates and their scores
  std::vector<double> scores;  // every element's score (0 for those no paragraph voted for)
  std::int32_t headline = -1;  // the page's first <h1>, the story's title
};

// A container's prior from its name: +25 for an article-like name, -25 for a boilerplate one,
// +25 more for a name of the article text itself (itemprop=articleBody, entry-content ...).
int name_weight(const Node& node);

// How readily siblings of the winner join it: a sibling scoring `sibling_share` of the winner
// joins (Readability: 0.2), and with `prose_siblings` so does one that reads as prose.
struct SiblingRule {
  double sibling_share = 0.2;
  bool prose_siblings = true;
};

Selection select_content(const Dom& dom, const std::vector<NodeStats>& stats,
                         const SiblingRule& rule = {});

}  // namespace forge::html
