#include "report/results_view.h"

#include "report/text.h"

#include <algorithm>
#include <vector>

namespace forge {
namespace {

constexpr std::size_t kMaxRows = 30;

bool is_scalar(const nlohmann::json& v) { return !v.is_object() && !v.is_array(); }

bool is_table(const nlohmann::json& v) {
  if (!v.is_array() || v.empty()) return false;
  for (const auto& item : v)
    if (!item.is_object()) return false;
  return true;
}

std::string table(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, Markup markup) {
  return markup == Markup::html ? html_table(header, rows) : markdown_table(header, rows) + "\n";
}

std::string heading(const std::string& title, Markup markup) {
  return markup == Markup::html ? "<h3>" + html_escape(title) + "</h3>\n" : "### " + title + "\n\n";
}

std::string list_table(const nlohmann::json& items, Markup markup) {
  std::vector<std::string> header;
  for (const auto& item : items)
    for (const auto& [key, value] : item.items())
      if (std::find(header.begin(), header.end(), key) == header.end()) header.push_back(key);
  // Rows read by step when they have one (JSON objects keep their keys sorted).
  auto step = std::find(header.begin(), header.end(), "step");
  if (step != header.end()) std::rotate(header.begin(), step, step + 1);
  std::vector<std::vector<std::string>> rows;
  const std::size_t n = items.size();
  std::size_t shown = std::min(n, kMaxRows);
  for (std::size_t r = 0; r < shown; ++r) {
    const nlohmann::json& item = items[shown < 2 ? r : r * (n - 1) / (shown - 1)];
    std::vector<std::string> row;
    for (const std::string& key : header)
      row.push_back(item.contains(key) ? json_cell(item[key]) : "");
    rows.push_back(row);
  }
  std::string out = table(header, rows, markup);
  if (shown < n) {
    std::string note = std::to_string(shown) + " of " + std::to_string(n) + " rows, evenly spaced";
    out += markup == Markup::html ? "<p class=\"muted\">" + note + "</p>\n" : "*" + note + "*\n\n";
  }
  return out;
}

void render(const nlohmann::json& value, const std::string& title, int depth, Markup markup,
            std::string& out) {
  if (is_table(value)) {
    if (!title.empty()) out += heading(title, markup);
    out += list_table(value, markup);
    return;
  }
  if (!value.is_object()) {
    out += table({"value"}, {{json_cell(value)}}, markup);
    return;
  }
  std::vector<std::vector<std::string>> scalars;
  for (const auto& [key, item] : value.items())
    if (is_scalar(item) || depth >= 2 || (item.is_array() && !is_table(item)))
      scalars.push_back({key, json_cell(item)});
  if (!scalars.empty()) {
    if (!title.empty()) out += heading(title, markup);
    out += table({"key", "value"}, scalars, markup);
  }
  for (const auto& [key, item] : value.items())
    if (!(is_scalar(item) || depth >= 2 || (item.is_array() && !is_table(item))))
      render(item, title.empty() ? key : title + " / " + key, depth + 1, markup, out);
}

}  // namespace

std::string json_cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return short_number(value.get<double>());
  std::string text = value.dump();
  return text.size() > 120 ? text.substr(0, 117) + "..." : text;
}

std::string render_results(const nlohmann::json& results, Markup markup) {
  std::string out;
  render(results, "", 0, markup, out);
  return out;
}

}  // namespace forge
