#pragma once

// Boilerplate removal: first over the whole page (page furniture named as such, hidden text,
// navigation landmarks), then inside the chosen content (Readability's conditional cleaning
// of link lists, image strips and short debris).

#include "dom.h"
#include "scoring.h"
#include "stats.h"

namespace forge::html {

struct CleaningOptions {
  bool include_comments = false;  // keep comment sections
  bool include_tables = true;     // keep tables (as text rows)
  bool favor_precision = false;   // stricter link density, no prose siblings, no lone links
  bool favor_recall = false;      // looser link density, more siblings, link lines kept
  bool strip_furniture = true;    // off on the second try, when the first found too little
};

// Removes page furniture before the content is looked for. `stats` are the page's before.
void remove_boilerplate(Dom& dom, const std::vector<NodeStats>& stats,
                        const CleaningOptions& options);

// Removes what does not belong to the article inside the chosen parts.
void clean_content(Dom& dom, const std::vector<NodeStats>& stats, const Selection& selection,
                   const CleaningOptions& options);

}  // namespace forge::html
