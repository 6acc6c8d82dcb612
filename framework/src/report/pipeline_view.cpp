#include "report/pipeline_view.h"

#include "report/text.h"

#include <vector>

namespace forge {
namespace {

std::string text_of(const nlohmann::json& row, const char* key) {
  auto found = row.find(key);
  return found == row.end() ? "" : json_cell(*found);
}

}  // namespace

bool is_pipeline_results(const nlohmann::json& results) {
  if (!results.is_object() || !results.contains("stages") || !results["stages"].is_array())
    return false;
  for (const nlohmann::json& row : results["stages"])
    if (!row.is_object() || !row.contains("name") || !row["name"].is_string()) return false;
  return true;
}

std::string render_pipeline_stages(const nlohmann::json& results, Markup markup) {
  const std::vector<std::string> header = {"#", "name", "stage", "status", "seconds", "report"};
  std::vector<std::vector<std::string>> rows;
  std::string html = "<table><thead><tr>";
  for (const std::string& h : header) html += "<th>" + h + "</th>";
  html += "</tr></thead><tbody>";
  std::size_t index = 0;
  for (const nlohmann::json& row : results["stages"]) {
    const std::string name = row["name"].get<std::string>();
    std::vector<std::string> cells = {std::to_string(++index), name, text_of(row, "stage"),
                                      text_of(row, "status"), text_of(row, "seconds")};
    html += "<tr>";
    for (const std::string& cell : cells) html += "<td>" + html_escape(cell) + "</td>";
    const std::string link = html_escape(name + "/report.html");
    html += "<td><a href=\"" + link + "\">" + link + "</a></td></tr>";
    cells.push_back("[" + name + "/report.md](" + name + "/report.md)");
    rows.push_back(std::move(cells));
  }
  html += "</tbody></table>\n";
  return markup == Markup::html ? html : markdown_table(header, rows) + "\n";
}

}  // namespace forge
