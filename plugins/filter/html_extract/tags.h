#pragma once

// The HTML elements the extractor tells apart, and how each one lays out its text.

#include <cstdint>
#include <string_view>

namespace forge::html {

enum class Tag : std::uint8_t {
  other,  // any element not listed: laid out inline, like a browser's unknown element
  text,   // a text node
  html,
  head,
  title,
  body,
  // sections and containers
  article,
  main,
  section,
  div,
  nav,
  aside,
  header,
  footer,
  form,
  fieldset,
  address,
  details,
  summary,
  dialog,
  menu,
  figure,
  figcaption,
  center,
  hgroup,
  noindex,
  // blocks of text
  p,
  pre,
  blockquote,
  h1,
  h2,
  h3,
  h4,
  h5,
  h6,
  hr,
  br,
  // lists and tables
  ul,
  ol,
  li,
  dl,
  dt,
  dd,
  table,
  caption,
  thead,
  tbody,
  tfoot,
  tr,
  td,
  th,
  // inline
  a,
  span,
  b,
  strong,
  i,
  em,
  u,
  small,
  sup,
  sub,
  code,
  time,
  font,
  mark,
  cite,
  q,
  abbr,
  label,
  img,
  picture,
  // never text of an article: dropped with their subtree while parsing
  script,
  style,
  noscript,
  svg,
  iframe,
  template_,
  textarea,
  select,
  option,
  button,
  input,
  object,
  embed,
  canvas,
  video,
  audio,
  map,
  math,
  meta,
  link,
  base,
  count
};

struct TagTraits {
  bool block = false;    // starts and ends a block of text (a paragraph, a line)
  bool dropped = false;  // never holds article text; skipped with everything inside
  bool heading = false;  // h1 .. h6
};

const TagTraits& traits(Tag tag);

// The tag of a lower-case element name (libxml2 lower-cases HTML names); Tag::other if unknown.
Tag tag_of(std::string_view name);

}  // namespace forge::html
