#pragma once

// Main-content extraction from one HTML page: the whole algorithm behind the html_extract
// filter, free of the plugin machinery so that it can be timed and tested on its own.

#include "cleaning.h"

#include <string>
#include <string_view>

namespace forge::html {

struct ExtractOptions {
  CleaningOptions cleaning;
  bool include_title = false;  // put the page's title first, as its own paragraph
  bool whole_page = false;     // every visible text of <body>: no boilerplate removal
};

struct Extraction {
  std::string title;  // of <title>
  std::string text;   // the main text, blocks separated as in text_serialise.h
};

Extraction extract(std::string_view html, const ExtractOptions& options);

}  // namespace forge::html
