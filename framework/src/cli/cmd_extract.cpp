// `forge extract FILE.html`: the main text the html_extract filter finds in one page, to see
// what it keeps and drops.
#include <forge/document.h>
#include <forge/files.h>
#include <forge/filter.h>

#include "cli/commands.h"
#include "cli/usage.h"
#include "recipe/recipe.h"
#include "train/checkpoint_model.h"

#include <filesystem>
#include <iostream>

namespace forge::cli {
namespace {

const char* kExtractUsage =
    "usage: forge extract FILE [--url URL] [key=value ...]\n"
    "\n"
    "Prints the main text of an HTML page (UTF-8; gzip is read as such) as the html_extract\n"
    "filter extracts it: menus, ads, share bars and comments removed, headings, paragraphs,\n"
    "lists and tables kept as text. key=value settings are the filter's parameters, e.g.\n"
    "  include_title=true  favor_precision=true  include_comments=true  whole_page=true\n"
    "('forge plugins show filter/html_extract' lists them). The title, the number of\n"
    "characters kept and a drop reason, if any, go to stderr.";

}  // namespace

int extract_command(const Args& args) {
  std::string file, url;
  std::vector<std::string> settings;
  po::options_description described("options");
  described.add_options()("file", po::value(&file)->required(), "HTML file")(
      "url", po::value(&url), "the page's URL, recorded in the document")(
      "setting", po::value(&settings)->multitoken(), "html_extract key=value");
  po::positional_options_description positional;
  positional.add("file", 1).add("setting", -1);
  bool help = false;
  parse_command("extract", args, described, positional, kExtractUsage, help);
  if (help) return 0;
  if (!std::filesystem::is_regular_file(file))
    throw UsageError{"no file '" + file + "' to extract from", "extract"};

  // Printing is the point, so nothing is dropped for length unless asked.
  Node section = Node::map();
  section.set("plugin", Node::scalar("html_extract", true));
  section.set("min_chars", Node::scalar("0"));
  apply_overrides(section, settings);
  Registry& plugins = Registry::global();
  plugins.load_defaults();
  auto filter = std::unique_ptr<Filter>(static_cast<Filter*>(
      make_plugin_from(std::move(section), PluginKind::filter, "extract", plugins).release()));

  Document document;
  document.id = std::filesystem::path(file).filename().string();
  document.url = url;
  document.text = read_file(file);
  const Verdict verdict = filter->apply(document);
  const bool dropped = verdict.action == Verdict::Action::drop;
  if (!dropped && !document.text.empty())
    std::cout << document.text << std::endl;  // flushed before the stderr lines
  std::cerr << "title: " << document.metadata.value("title", "") << "\n"
            << document.metadata.value("extracted_chars", 0) << " characters extracted"
            << (dropped ? ", dropped: " + verdict.reason : "") << "\n";
  return 0;
}

}  // namespace forge::cli
