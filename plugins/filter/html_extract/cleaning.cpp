// Each rule names the page element it is after; the guards keep a rule from firing on a
// wrapper that holds the article itself, the usual way cue-based cleaning goes wrong.
#include "cleaning.h"

#include "cues.h"

namespace forge::html {
namespace {

// A wrapper holding most of the page's text is not boilerplate whatever its name: templates put
// "sidebar-left" or "has-comments" on the element that holds the article.
constexpr double kDominantShare = 0.6;
// Bylines and date lines are short; a longer element named "author" is an author's own text.
constexpr std::uint32_t kBylineChars = 300;

bool is_landmark(Tag tag) {
  return tag == Tag::nav || tag == Tag::aside || tag == Tag::footer || tag == Tag::menu ||
         tag == Tag::header || tag == Tag::form || tag == Tag::dialog;
}

bool dominant(const NodeStats& own, const NodeStats& page) {
  return own.chars >= kDominantShare * page.chars && own.link_density() < 0.5;
}

// Whether an element is mostly a <blockquote>: an embedded post or a quotation, whose handles
// and short links are part of what is quoted.
bool quotes(const NodeStats& own) { return own.quoted_chars >= 0.6 * own.chars; }

// Whether heading i says what the page's <title> says ("Headline | Site" holds "Headline").
bool repeats_title(const Dom& dom, std::int32_t i) {
  std::string heading = dom.text_of(i);
  while (!heading.empty() && heading.back() == ' ') heading.pop_back();
  while (!heading.empty() && heading.front() == ' ') heading.erase(0, 1);
  return heading.size() >= 10 && dom.title().find(heading) != std::string::npos;
}

}  // namespace

void remove_boilerplate(Dom& dom, const std::vector<NodeStats>& stats,
                        const CleaningOptions& options) {
  const std::int32_t body = dom.body();
  const NodeStats& page = stats[static_cast<std::size_t>(body)];
  const std::uint32_t furniture =
      options.include_comments ? cue::furniture & ~cue::comments : cue::furniture;
  for (std::int32_t i = body + 1; i < dom[body].end; ++i) {
    Node& node = dom[i];
    if (node.is_text()) continue;
    const NodeStats& own = stats[static_cast<std::size_t>(i)];
    bool remove = false;
    if (node.flags & node_flag::hidden) {
      // aria-hidden or display:none on the page wrapper is a modal's doing: the text shows.
      remove = !dominant(own, page);
    } else if (!options.include_comments && (node.cues & cue::comments) &&
               !(node.cues & cue::body)) {
      remove = true;
    } else if (options.strip_furniture && is_landmark(node.tag)) {
      remove = !dominant(own, page);
    } else if (options.strip_furniture && (node.cues & furniture) &&
               !(node.cues & (cue::maybe | cue::body)) && node.tag != Tag::article &&
               node.tag != Tag::main) {
      remove = !dominant(own, page);
    }
    if (remove) {
      dom.remove(i);
      i = node.end - 1;
    }
  }
}

void clean_content(Dom& dom, const std::vector<NodeStats>& stats, const Selection& selection,
                   const CleaningOptions& options) {
  auto stat = [&](std::int32_t i) -> const NodeStats& {
    return stats[static_cast<std::size_t>(i)];
  };
  for (std::int32_t part : selection.parts) {
    const NodeStats& whole = stat(part);
    for (std::int32_t i = part + 1; i < dom[part].end; ++i) {
      Node& node = dom[i];
      if (node.is_text()) continue;
      if (node.removed()) {
        i = node.end - 1;
        continue;
      }
      const NodeStats& own = stat(i);
      const int weight = name_weight(node);
      const double score =
          selection.scores.empty() ? 0 : selection.scores[static_cast<std::size_t>(i)];
      // An element holding most of the part is the article's own wrapper, whatever its name.
      const bool most = own.chars >= 0.5 * whole.chars;
      bool remove = false;
      if (node.cues & cue::body) {
        remove = false;
      } else if (node.tag == Tag::table && !options.include_tables) {
        remove = true;
      } else if ((node.cues & cue::comments) && options.include_comments) {
        remove = false;
      } else if ((node.cues & cue::hidden) && !most) {
        remove = true;  // screen-reader-only and hidden-by-class text is not on the page
      } else if ((node.cues & cue::furniture) && own.chars < 0.5 * whole.chars) {
        // Inside the article, a share bar or related list named as such goes even when its
        // name also says "article" (article-share, post-related).
        remove = true;
      } else if ((node.tag == Tag::figcaption || (node.cues & cue::caption)) && !most) {
        remove = true;  // captions and photo credits describe pictures, not the story
      } else if ((node.cues & (cue::author | cue::minor)) && own.chars < kBylineChars && !most &&
                 !quotes(own)) {
        remove = true;  // bylines, dates and post meta around the story
      } else if (i == selection.headline ||
                 ((node.tag == Tag::h1 || node.tag == Tag::h2) && repeats_title(dom, i))) {
        remove = true;  // the headline: a title, not body text
      } else if (traits(node.tag).heading) {
        remove = weight < 0 || own.link_density() > 0.33;
      } else if (node.tag == Tag::ul || node.tag == Tag::ol || node.tag == Tag::div ||
                 node.tag == Tag::section || node.tag == Tag::table || node.tag == Tag::form ||
                 node.tag == Tag::fieldset || node.tag == Tag::aside || node.tag == Tag::figure ||
                 node.tag == Tag::header || node.tag == Tag::footer || node.tag == Tag::dl) {
        const bool list = node.tag == Tag::ul || node.tag == Tag::ol;
        const double density = own.link_density();
        if (most) {
          remove = false;
        } else if (weight + score < 0) {
          remove = true;
        } else if (own.commas < 10) {
          const double paragraphs = own.paragraphs;
          const double linky = options.favor_precision ? 0.1 : options.favor_recall ? 0.35 : 0.2;
          const double links = options.favor_precision ? 0.35 : options.favor_recall ? 0.65 : 0.5;
          remove =
              (own.images > 1 && paragraphs / own.images < 0.5) ||
              (!list && own.chars < 25 && (own.images == 0 || own.images > 2) && density > 0) ||
              (!list && weight < 25 && density > linky && !quotes(own)) ||
              (weight >= 25 && density > links) || (list && density > links) ||
              (own.chars == 0 && own.images == 0);
        }
      }
      if (remove) {
        dom.remove(i);
        i = node.end - 1;
      }
    }
  }
}

}  // namespace forge::html
