#pragma once

// What an element's class, id, role and itemprop say about it. Page templates name their parts
// ("sidebar", "share-buttons", "article-body"), and those names are the strongest cheap signal
// of boilerplate that readability-style extractors (Readability, trafilatura) rely on.

#include <cstdint>
#include <string_view>

namespace forge::html {

// Cue bits, one per family of names.
namespace cue {
constexpr std::uint32_t positive = 1u << 0;    // article, content, post, entry, story, text ...
constexpr std::uint32_t body = 1u << 1;        // the text itself: articleBody, entry-content ...
constexpr std::uint32_t comments = 1u << 2;    // comment lists and forms, disqus
constexpr std::uint32_t share = 1u << 3;       // share and social buttons
constexpr std::uint32_t related = 1u << 4;     // related, recommended, popular, more stories
constexpr std::uint32_t ad = 1u << 5;          // ads, sponsors, promos, banners
constexpr std::uint32_t nav = 1u << 6;         // navigation, menus, breadcrumbs, pagination
constexpr std::uint32_t sidebar = 1u << 7;     // sidebars, rails, widgets
constexpr std::uint32_t footer = 1u << 8;      // footers, copyright
constexpr std::uint32_t consent = 1u << 9;     // cookie and privacy banners
constexpr std::uint32_t subscribe = 1u << 10;  // newsletters, sign-ups, paywalls, logins
constexpr std::uint32_t tags = 1u << 11;       // tag and topic lists
constexpr std::uint32_t author = 1u << 12;     // author boxes, bios, bylines
constexpr std::uint32_t minor = 1u << 13;      // dates, post meta, widgets: lower a score only
constexpr std::uint32_t caption = 1u << 14;    // captions, credits, galleries
constexpr std::uint32_t popup = 1u << 15;      // modals, overlays, lightboxes
constexpr std::uint32_t hidden = 1u << 16;     // screen-reader-only and hidden text
constexpr std::uint32_t header = 1u << 17;     // site headers, mastheads
constexpr std::uint32_t maybe = 1u << 18;      // article, body, column, content, main: keeps a
                                               // container that also carries a furniture name
constexpr std::uint32_t landmark_main = 1u << 19;  // role=main, role=article

// Page furniture: an element carrying one of these names is boilerplate unless proven otherwise.
constexpr std::uint32_t furniture = comments | share | related | ad | nav | sidebar | footer |
                                    consent | subscribe | tags | popup | header;
// Names that lower a container's score (Readability's negative weight).
constexpr std::uint32_t negative = furniture | author | minor | caption | hidden;
}  // namespace cue

// The cue bits of a class or id attribute value (any case, any separators, camelCase split).
std::uint32_t name_cues(std::string_view value);

// The cue bits of a role attribute (navigation, complementary, contentinfo, main ...).
std::uint32_t role_cues(std::string_view value);

// The cue bits of an itemprop attribute (articleBody, reviewBody, text).
std::uint32_t itemprop_cues(std::string_view value);

}  // namespace forge::html
