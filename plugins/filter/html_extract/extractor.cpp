// prescan -> parse -> remove page furniture -> score and select -> clean inside -> serialise.
// When the first pass finds almost nothing (templates that name the article's own wrapper like
// furniture), a second pass runs without name-based removal, as Readability retries.
#include "extractor.h"

#include "cues.h"
#include "dom.h"
#include "prescan.h"
#include "scoring.h"
#include "stats.h"
#include "text_serialise.h"

namespace forge::html {
namespace {

// Fewer characters than this after the first pass means it probably missed the article.
constexpr std::uint32_t kRetryChars = 250;

// A block of three or more links that are most of its text is a list of links (tags, related
// stories, a menu) written inline rather than as a list.
bool link_list(const Block& block) {
  if (block.kind == BlockKind::heading || block.links == 0) return false;
  // "READ MORE: <a>another story</a>": a label and a link, the link most of it.
  const bool teaser = block.link_chars >= 0.5 * block.chars && block.chars - block.link_chars <= 15;
  return (block.links >= 3 && block.link_chars > 0.6 * block.chars) || teaser;
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  return out;
}

// Labels that stand for an ad slot or a loading spinner (Readability's lists of ad and loading
// words), and notices that the page needs JavaScript: never part of the text.
bool placeholder(const Block& block) {
  if (block.chars > 120) return false;
  std::string text = lower_ascii(block.text);
  while (!text.empty() && (text.back() == '.' || text.back() == ':' || text.back() == ' '))
    text.pop_back();
  if (text.ends_with("…")) text.resize(text.size() - std::string_view("…").size());
  static constexpr std::string_view kLabels[] = {
      "ad",       "ads",       "advert",     "advertisement", "advertising", "sponsored",
      "pub",      "publicité", "publicidad", "anuncio",       "werbung",     "anzeige",
      "reklama",  "реклама",   "Реклама",    "广告",          "loading",     "chargement",
      "cargando", "загрузка",  "Загрузка",   "正在加载"};
  for (std::string_view label : kLabels) {
    if (text == label) return true;
  }
  return text.find("javascript") != std::string::npos &&
         (text.find("enable") != std::string::npos || text.find("require") != std::string::npos);
}

std::uint32_t total_chars(const std::vector<Block>& blocks) {
  std::uint32_t total = 0;
  for (const Block& block : blocks) total += block.chars;
  return total;
}

// The outermost elements named as comment sections that are not inside the chosen parts.
std::vector<std::int32_t> comment_sections(const Dom& dom, const Selection& selection) {
  std::vector<std::int32_t> sections;
  const std::int32_t body = dom.body();
  std::size_t next_part = 0;  // parts are in document order and disjoint
  for (std::int32_t i = body + 1; i < dom[body].end; ++i) {
    const Node& node = dom[i];
    while (next_part < selection.parts.size() && dom[selection.parts[next_part]].end <= i)
      ++next_part;
    const bool part = next_part < selection.parts.size() && selection.parts[next_part] == i;
    if (part || node.removed()) {
      i = node.end - 1;
    } else if (!node.is_text() && (node.cues & cue::comments)) {
      sections.push_back(i);
      i = node.end - 1;
    }
  }
  return sections;
}

std::vector<Block> main_blocks(Dom& dom, const CleaningOptions& cleaning) {
  std::vector<NodeStats> stats = compute_stats(dom);
  remove_boilerplate(dom, stats, cleaning);
  stats = compute_stats(dom);
  SiblingRule siblings;
  if (cleaning.favor_precision) siblings = {0.3, false};
  if (cleaning.favor_recall) siblings = {0.1, true};
  Selection selection = select_content(dom, stats, siblings);
  clean_content(dom, stats, selection, cleaning);
  std::vector<Block> blocks = serialise_blocks(dom, selection.parts);
  if (cleaning.include_comments) {
    // Comment sections outside the article follow it, as trafilatura appends them.
    std::vector<std::int32_t> sections = comment_sections(dom, selection);
    std::vector<Block> comments = serialise_blocks(dom, sections);
    blocks.insert(blocks.end(), comments.begin(), comments.end());
  }
  std::erase_if(blocks, [&](const Block& block) {
    if (placeholder(block)) return true;
    if (cleaning.favor_recall) return false;
    // Precision: any block that is mostly links goes, not only lists of them.
    if (cleaning.favor_precision && block.link_chars > 0.5 * block.chars) return true;
    return link_list(block);
  });
  return blocks;
}

}  // namespace

Extraction extract(std::string_view html, const ExtractOptions& options) {
  Dom dom = Dom::parse(prescan(html));
  Extraction result;
  result.title = dom.title();
  std::vector<Block> blocks;
  if (options.whole_page) {
    std::vector<NodeStats> stats = compute_stats(dom);
    CleaningOptions none;
    none.strip_furniture = false;
    none.include_comments = true;
    remove_boilerplate(dom, stats, none);  // hidden text only
    blocks = serialise_blocks(dom, {dom.body()});
  } else {
    blocks = main_blocks(dom, options.cleaning);
    if (total_chars(blocks) < kRetryChars && options.cleaning.strip_furniture) {
      dom.clear_removed();
      CleaningOptions relaxed = options.cleaning;
      relaxed.strip_furniture = false;
      std::vector<Block> second = main_blocks(dom, relaxed);
      if (total_chars(second) > total_chars(blocks)) blocks = std::move(second);
    }
  }
  result.text = join_blocks(blocks);
  if (options.include_title && !result.title.empty()) {
    result.text = result.text.empty() ? result.title : result.title + "\n\n" + result.text;
  }
  return result;
}

}  // namespace forge::html
