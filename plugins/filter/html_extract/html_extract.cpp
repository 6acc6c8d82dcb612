// Filter `html_extract`: the document's text is an HTML page; it becomes the page's main text
// (headings, paragraphs, lists, tables), without menus, ads, share bars, comments and the like.
#include "extractor.h"

#include <forge/error.h>
#include <forge/filter.h>
#include <forge/utf8.h>

#include <libxml/parser.h>

#include <cstdint>
#include <string_view>

namespace forge {
namespace {

constexpr std::size_t kMaxPageBytes = std::size_t{256} << 20;

class HtmlExtract : public Filter {
 public:
  explicit HtmlExtract(const Config& config) : min_chars_(config.integer("min_chars")) {
    options_.include_title = config.boolean("include_title");
    options_.whole_page = config.boolean("whole_page");
    options_.cleaning.include_tables = config.boolean("include_tables");
    options_.cleaning.include_comments = config.boolean("include_comments");
    options_.cleaning.favor_precision = config.boolean("favor_precision");
    options_.cleaning.favor_recall = config.boolean("favor_recall");
    if (options_.cleaning.favor_precision && options_.cleaning.favor_recall) {
      config.fail("favor_recall", "favor_precision and favor_recall exclude each other; set one");
    }
    // libxml2's global state is set up once here, before worker threads call apply().
    xmlInitParser();
  }

  Verdict apply(Document& document) const override {
    // libxml2 indexes its input with int; a page this large is not an article page anyway.
    if (document.text.size() > kMaxPageBytes) return Verdict::drop("html_too_large");
    html::Extraction extraction = html::extract(document.text, options_);
    const auto chars = static_cast<std::int64_t>(count_code_points(extraction.text));
    document.metadata["title"] = extraction.title;
    document.metadata["extracted_chars"] = chars;
    document.text = std::move(extraction.text);
    if (chars == 0) return Verdict::drop("no_main_content");
    if (chars < min_chars_) return Verdict::drop("main_content_too_short");
    return Verdict::rewritten();
  }

 private:
  std::int64_t min_chars_;
  html::ExtractOptions options_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::integer("min_chars")
          .fallback(200)
          .at_least(0)
          .doc("pages whose main text has fewer characters are dropped as main_content_too_short"),
      param::boolean("include_title").fallback(false).doc("start the text with the page's title"),
      param::boolean("include_tables")
          .fallback(true)
          .doc("keep tables, one row a line, cells "
               "separated by ' | '"),
      param::boolean("include_comments").fallback(false).doc("keep readers' comment sections"),
      param::boolean("favor_precision")
          .fallback(false)
          .doc("drop borderline blocks too: less boilerplate, some text lost"),
      param::boolean("favor_recall")
          .fallback(false)
          .doc("keep borderline blocks: more text, some boilerplate kept"),
      param::boolean("whole_page")
          .fallback(false)
          .doc("keep every visible text of the page, no boilerplate removal (a baseline)"),
  };
  return {describe_plugin<HtmlExtract>(
      "html_extract", "1.0",
      "Extracts an HTML page's main text (boilerplate removed) as the document's text",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
