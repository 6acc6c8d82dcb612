// Readability's published scoring, on the compact tree: a paragraph of 25 or more characters
// scores 1 + its commas + one point per 100 characters (at most 3) and gives that to its parent,
// half to its grandparent and score/(3*level) further up, five levels at most. Containers start
// from a prior for their tag and name; final scores are scaled by (1 - link density).
#include "scoring.h"

#include "cues.h"

#include <algorithm>
#include <cmath>

namespace forge::html {
namespace {

constexpr std::uint32_t kMinParagraphChars = 25;  // shorter text is a label, not a paragraph
constexpr int kMaxVoteLevels = 5;
constexpr int kTopCandidates = 5;
// Teasers of other stories (a feed below the article, "more from the blog") are written like the
// article itself; the headline tells which story the page is about.
constexpr double kHeadlineBonus = 1.25;
// Readability climbs to a parent that scores more than the path below it; the parent must also
// score a good share of the winner, or a sidebar's few votes pull the choice up to the page.
constexpr double kClimbShare = 0.6;

// Readability's priors: divs usually wrap text, lists and forms usually do not.
double tag_prior(Tag tag) {
  switch (tag) {
    case Tag::div:
      return 5;
    case Tag::pre:
    case Tag::td:
    case Tag::blockquote:
      return 3;
    case Tag::address:
    case Tag::ol:
    case Tag::ul:
    case Tag::dl:
    case Tag::dd:
    case Tag::dt:
    case Tag::li:
    case Tag::form:
      return -3;
    case Tag::h1:
    case Tag::h2:
    case Tag::h3:
    case Tag::h4:
    case Tag::h5:
    case Tag::h6:
    case Tag::th:
      return -5;
    default:
      return 0;
  }
}

// Elements whose own text is a paragraph: <p>, <pre>, table cells, headings, and containers
// without block-level children (text laid out with <br> in a <div>).
bool votes(const Node& node, const NodeStats& stats) {
  if (stats.chars < kMinParagraphChars) return false;
  switch (node.tag) {
    case Tag::p:
    case Tag::pre:
    case Tag::td:
    case Tag::h2:
    case Tag::h3:
    case Tag::h4:
    case Tag::h5:
    case Tag::h6:
      return true;
    case Tag::div:
    case Tag::section:
    case Tag::article:
    case Tag::span:
    case Tag::font:
    case Tag::other:
      return stats.blocks == 0;
    default:
      return false;
  }
}

bool ends_sentence(const Dom& dom, std::int32_t element) {
  for (std::int32_t i = dom[element].end - 1; i > element; --i) {
    const Node& node = dom[i];
    if (!node.is_text() || node.removed()) continue;
    std::string_view text = dom.text(node);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty()) continue;
    char last = text.back();
    return last == '.' || last == '!' || last == '?' || text.ends_with("\xE3\x80\x82");
  }
  return false;
}

// The page's headline: its first <h1> with some text, or -1.
std::int32_t find_headline(const Dom& dom, const std::vector<NodeStats>& stats) {
  const std::int32_t body = dom.body();
  for (std::int32_t i = body + 1; i < dom[body].end; ++i) {
    const Node& node = dom[i];
    if (node.removed()) {
      i = node.end - 1;
      continue;
    }
    if (node.tag == Tag::h1 && stats[static_cast<std::size_t>(i)].chars >= 10) return i;
  }
  return -1;
}

}  // namespace

int name_weight(const Node& node) {
  int weight = 0;
  if (node.cues & cue::positive) weight += 25;
  if (node.cues & cue::negative) weight -= 25;
  if (node.cues & (cue::body | cue::landmark_main)) weight += 25;
  return weight;
}

Selection select_content(const Dom& dom, const std::vector<NodeStats>& stats,
                         const SiblingRule& rule) {
  const std::int32_t body = dom.body();
  std::vector<double> score(static_cast<std::size_t>(dom.size()), 0.0);
  std::vector<char> scored(static_cast<std::size_t>(dom.size()), 0);
  auto stat = [&](std::int32_t i) -> const NodeStats& {
    return stats[static_cast<std::size_t>(i)];
  };

  std::vector<std::int32_t> candidates;
  for (std::int32_t i = body + 1; i < dom[body].end; ++i) {
    const Node& node = dom[i];
    if (node.removed()) {
      i = node.end - 1;
      continue;
    }
    if (node.is_text()) continue;
    const NodeStats& own = stat(i);
    // A paragraph votes for its ancestors; loose text beside blocks votes for its container.
    std::int32_t first = -1;
    double points = 0;
    if (votes(node, own)) {
      first = node.parent;
      points = 1.0 + own.commas + std::min(std::floor(own.chars / 100.0), 3.0);
    } else if (own.blocks > 0 && own.loose_chars >= kMinParagraphChars && node.tag != Tag::body) {
      first = i;
      points = 1.0 + own.loose_commas + std::min(std::floor(own.loose_chars / 100.0), 3.0);
    }
    if (first < 0) continue;
    std::int32_t ancestor = first;
    for (int level = 0; level < kMaxVoteLevels && ancestor > 0; ++level) {
      auto a = static_cast<std::size_t>(ancestor);
      if (!scored[a]) {
        scored[a] = 1;
        score[a] = tag_prior(dom[ancestor].tag) + name_weight(dom[ancestor]);
        candidates.push_back(ancestor);
      }
      score[a] += level == 0 ? points : level == 1 ? points / 2 : points / (level * 3.0);
      if (ancestor == body) break;
      ancestor = dom[ancestor].parent;
    }
  }

  Selection selection;
  selection.scores = score;
  if (candidates.empty()) {
    selection.root = dom[body].parent >= 0 ? dom[body].parent : 0;
    selection.parts.push_back(body);
    return selection;
  }
  const std::int32_t headline = find_headline(dom, stats);
  selection.headline = headline;
  for (std::int32_t c : candidates) {
    double& value = score[static_cast<std::size_t>(c)];
    value *= 1.0 - stat(c).link_density();
    // A container of several <article>s is a feed or a related-posts list: its text is
    // shared by as many stories, and one of them is the page's.
    std::uint32_t articles = stat(c).articles - (dom[c].tag == Tag::article);
    if (articles >= 2) value /= articles;
    // The element holding the headline holds the story it heads, more likely than a teaser;
    // unless the headline is much of its text: then it is the story's header.
    if (headline > 0 && c < headline && headline < dom[c].end &&
        stat(headline).chars * 5 < stat(c).chars) {
      value *= kHeadlineBonus;
    }
  }
  std::vector<std::int32_t> top = candidates;
  auto by_score = [&](std::int32_t a, std::int32_t b) {
    return score[static_cast<std::size_t>(a)] > score[static_cast<std::size_t>(b)];
  };
  std::int32_t keep = std::min<std::int32_t>(kTopCandidates, static_cast<std::int32_t>(top.size()));
  std::partial_sort(top.begin(), top.begin() + keep, top.end(), by_score);
  top.resize(static_cast<std::size_t>(keep));
  for (std::int32_t c : candidates) {
    selection.scores[static_cast<std::size_t>(c)] = score[static_cast<std::size_t>(c)];
  }
  for (std::int32_t c : top) selection.top.emplace_back(c, score[static_cast<std::size_t>(c)]);
  std::int32_t best = top[0];
  auto s = [&](std::int32_t i) { return score[static_cast<std::size_t>(i)]; };
  auto is_ancestor = [&](std::int32_t a, std::int32_t d) { return a < d && d < dom[a].end; };

  // Runners-up close to the winner in three or more places under one ancestor: the article is
  // split in sections, and that ancestor holds all of them.
  if (best != body) {
    std::vector<std::int32_t> close;
    for (std::size_t k = 1; k < top.size(); ++k) {
      if (s(top[k]) / std::max(s(best), 1e-9) >= 0.75) close.push_back(top[k]);
    }
    if (close.size() >= 3) {
      for (std::int32_t up = dom[best].parent; up > 0 && up != body; up = dom[up].parent) {
        if (stat(up).articles >= 2) break;  // stories of a feed are not sections of one
        int inside = 0;
        for (std::int32_t c : close) inside += is_ancestor(up, c);
        if (inside >= 3) {
          best = up;
          break;
        }
      }
    }
  }
  // A parent that scores higher than the path below it holds more of the article.
  {
    double last = s(best);
    double threshold = last / 3;
    for (std::int32_t up = dom[best].parent; up > 0 && up != body; up = dom[up].parent) {
      if (!scored[static_cast<std::size_t>(up)]) continue;
      if (s(up) < threshold) break;
      if (s(up) > last && s(up) >= kClimbShare * s(best)) {
        best = up;
        break;
      }
      last = s(up);
    }
  }
  // An only child says nothing its parent doesn't.
  while (best != body && dom[best].parent > 0) {
    std::int32_t parent = dom[best].parent;
    int children = 0;
    for_each_child(dom, parent, [&](std::int32_t c) {
      if (!dom[c].removed() && !dom[c].is_text()) ++children;
    });
    if (children != 1 || parent == 0) break;
    best = parent;
  }

  // Siblings that score well, share the winner's class, or read as prose join it.
  selection.root = dom[best].parent > 0 ? dom[best].parent : best;
  if (selection.root == best) {
    selection.parts.push_back(best);
    return selection;
  }
  const double threshold = std::max(10.0, s(best) * rule.sibling_share);
  // A sibling too far above its paragraphs to get their votes is judged by its best candidate.
  // Children of the root cover sorted, disjoint index ranges: a binary search finds the one
  // holding a candidate, so this stays linear however deep the page nests.
  std::vector<std::int32_t> children;
  for_each_child(dom, selection.root, [&](std::int32_t child) { children.push_back(child); });
  std::vector<double> inside(children.size(), 0.0);
  for (std::int32_t c : candidates) {
    auto after = std::upper_bound(children.begin(), children.end(), c);
    if (after == children.begin()) continue;
    std::size_t k = static_cast<std::size_t>(after - children.begin()) - 1;
    if (children[k] != c && c < dom[children[k]].end) inside[k] = std::max(inside[k], s(c));
  }
  auto best_inside = [&](std::int32_t child) {
    auto found = std::lower_bound(children.begin(), children.end(), child);
    return inside[static_cast<std::size_t>(found - children.begin())];
  };
  for_each_child(dom, selection.root, [&](std::int32_t sibling) {
    const Node& node = dom[sibling];
    if (node.removed() || node.is_text()) return;
    if (sibling == best) {
      selection.parts.push_back(sibling);
      return;
    }
    double bonus = node.class_hash && node.class_hash == dom[best].class_hash ? s(best) * 0.2 : 0;
    bool scored_sibling = scored[static_cast<std::size_t>(sibling)];
    double value = scored_sibling ? s(sibling) : best_inside(sibling);
    if (value > 0 && value + bonus >= threshold) {
      selection.parts.push_back(sibling);
      return;
    }
    if (rule.prose_siblings &&
        (node.tag == Tag::p || (votes(node, stat(sibling)) && node.tag != Tag::td))) {
      const NodeStats& own = stat(sibling);
      double density = own.link_density();
      if ((own.chars > 80 && density < 0.25) ||
          (own.chars > 0 && own.chars <= 80 && density == 0 && ends_sentence(dom, sibling))) {
        selection.parts.push_back(sibling);
      }
    }
  });
  return selection;
}

}  // namespace forge::html
