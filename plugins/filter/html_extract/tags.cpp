// Element names and their layout traits.
#include "tags.h"

#include <array>
#include <unordered_map>

namespace forge::html {
namespace {

struct Entry {
  std::string_view name;
  Tag tag;
};

constexpr Entry kEntries[] = {
    {"html", Tag::html},
    {"head", Tag::head},
    {"title", Tag::title},
    {"body", Tag::body},
    {"article", Tag::article},
    {"main", Tag::main},
    {"section", Tag::section},
    {"div", Tag::div},
    {"nav", Tag::nav},
    {"aside", Tag::aside},
    {"header", Tag::header},
    {"footer", Tag::footer},
    {"form", Tag::form},
    {"fieldset", Tag::fieldset},
    {"address", Tag::address},
    {"details", Tag::details},
    {"summary", Tag::summary},
    {"dialog", Tag::dialog},
    {"menu", Tag::menu},
    {"figure", Tag::figure},
    {"figcaption", Tag::figcaption},
    {"center", Tag::center},
    {"hgroup", Tag::hgroup},
    {"noindex", Tag::noindex},
    {"p", Tag::p},
    {"pre", Tag::pre},
    {"blockquote", Tag::blockquote},
    {"h1", Tag::h1},
    {"h2", Tag::h2},
    {"h3", Tag::h3},
    {"h4", Tag::h4},
    {"h5", Tag::h5},
    {"h6", Tag::h6},
    {"hr", Tag::hr},
    {"br", Tag::br},
    {"ul", Tag::ul},
    {"ol", Tag::ol},
    {"li", Tag::li},
    {"dl", Tag::dl},
    {"dt", Tag::dt},
    {"dd", Tag::dd},
    {"table", Tag::table},
    {"caption", Tag::caption},
    {"thead", Tag::thead},
    {"tbody", Tag::tbody},
    {"tfoot", Tag::tfoot},
    {"tr", Tag::tr},
    {"td", Tag::td},
    {"th", Tag::th},
    {"a", Tag::a},
    {"span", Tag::span},
    {"b", Tag::b},
    {"strong", Tag::strong},
    {"i", Tag::i},
    {"em", Tag::em},
    {"u", Tag::u},
    {"small", Tag::small},
    {"sup", Tag::sup},
    {"sub", Tag::sub},
    {"code", Tag::code},
    {"time", Tag::time},
    {"font", Tag::font},
    {"mark", Tag::mark},
    {"cite", Tag::cite},
    {"q", Tag::q},
    {"abbr", Tag::abbr},
    {"label", Tag::label},
    {"img", Tag::img},
    {"picture", Tag::picture},
    {"script", Tag::script},
    {"style", Tag::style},
    {"noscript", Tag::noscript},
    {"svg", Tag::svg},
    {"iframe", Tag::iframe},
    {"template", Tag::template_},
    {"textarea", Tag::textarea},
    {"select", Tag::select},
    {"option", Tag::option},
    {"button", Tag::button},
    {"input", Tag::input},
    {"object", Tag::object},
    {"embed", Tag::embed},
    {"canvas", Tag::canvas},
    {"video", Tag::video},
    {"audio", Tag::audio},
    {"map", Tag::map},
    {"math", Tag::math},
    {"meta", Tag::meta},
    {"link", Tag::link},
    {"base", Tag::base},
};

std::array<TagTraits, static_cast<std::size_t>(Tag::count)> make_traits() {
  std::array<TagTraits, static_cast<std::size_t>(Tag::count)> table{};
  auto set = [&](std::initializer_list<Tag> tags, auto&& change) {
    for (Tag tag : tags) change(table[static_cast<std::size_t>(tag)]);
  };
  set({Tag::html,       Tag::head,       Tag::body,    Tag::article, Tag::main,   Tag::section,
       Tag::div,        Tag::nav,        Tag::aside,   Tag::header,  Tag::footer, Tag::form,
       Tag::fieldset,   Tag::address,    Tag::details, Tag::summary, Tag::dialog, Tag::menu,
       Tag::figure,     Tag::figcaption, Tag::center,  Tag::hgroup,  Tag::p,      Tag::pre,
       Tag::blockquote, Tag::h1,         Tag::h2,      Tag::h3,      Tag::h4,     Tag::h5,
       Tag::h6,         Tag::hr,         Tag::ul,      Tag::ol,      Tag::li,     Tag::dl,
       Tag::dt,         Tag::dd,         Tag::table,   Tag::caption, Tag::thead,  Tag::tbody,
       Tag::tfoot,      Tag::tr,         Tag::td,      Tag::th},
      [](TagTraits& t) { t.block = true; });
  set({Tag::h1, Tag::h2, Tag::h3, Tag::h4, Tag::h5, Tag::h6},
      [](TagTraits& t) { t.heading = true; });
  set({Tag::script,   Tag::style,  Tag::noscript, Tag::svg,    Tag::iframe, Tag::template_,
       Tag::textarea, Tag::select, Tag::option,   Tag::button, Tag::input,  Tag::object,
       Tag::embed,    Tag::canvas, Tag::video,    Tag::audio,  Tag::map,    Tag::math,
       Tag::meta,     Tag::link,   Tag::base},
      [](TagTraits& t) { t.dropped = true; });
  return table;
}

const std::array<TagTraits, static_cast<std::size_t>(Tag::count)> kTraits = make_traits();

}  // namespace

const TagTraits& traits(Tag tag) { return kTraits[static_cast<std::size_t>(tag)]; }

Tag tag_of(std::string_view name) {
  static const std::unordered_map<std::string_view, Tag> kByName = [] {
    std::unordered_map<std::string_view, Tag> map;
    for (const Entry& entry : kEntries) map.emplace(entry.name, entry.tag);
    return map;
  }();
  auto found = kByName.find(name);
  return found == kByName.end() ? Tag::other : found->second;
}

}  // namespace forge::html
