#pragma once

// A byte-level pass before libxml2: it cuts what can never be article text out of the page and
// makes the bytes valid UTF-8. Scripts, styles, comments and inline SVG are about 60% of a
// typical news page's bytes, so the parser then reads less than half of them.

#include <string>
#include <string_view>

namespace forge::html {

// The page without comments and without the elements whose content is never read as text
// (script, style, noscript, template, svg, math, iframe, textarea, select, object), tags and
// text otherwise unchanged; ill-formed UTF-8 sequences and NUL bytes become U+FFFD.
std::string prescan(std::string_view page);

}  // namespace forge::html
