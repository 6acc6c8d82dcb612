#pragma once

// Small text helpers shared by the HTML, Markdown and terminal renderings.

#include <forge/export.h>

#include <string>
#include <vector>

namespace forge {

FORGE_API std::string html_escape(const std::string& text);
// A number in few characters: 3 significant digits, integers as integers ("2.31", "1.2e-05").
FORGE_API std::string short_number(double value);
// One of a fixed palette of distinct colours, by index.
FORGE_API const char* series_color(std::size_t index);

// Columns padded to their widest cell, for the terminal.
FORGE_API std::string text_table(const std::vector<std::string>& header,
                                 const std::vector<std::vector<std::string>>& rows);
// A GitHub-flavoured Markdown table; '|' in cells is escaped.
FORGE_API std::string markdown_table(const std::vector<std::string>& header,
                                     const std::vector<std::vector<std::string>>& rows);
// An HTML table; cells are escaped.
FORGE_API std::string html_table(const std::vector<std::string>& header,
                                 const std::vector<std::vector<std::string>>& rows);

}  // namespace forge
