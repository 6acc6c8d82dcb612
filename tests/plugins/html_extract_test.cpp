#include <forge/error.h>
#include <forge/files.h>
#include <forge/filter.h>

#include "../../experiments/article-extraction/shingle_score.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;

std::unique_ptr<Filter> extractor(const std::string& options = "") {
  return make_plugin<Filter>("{plugin: html_extract" + (options.empty() ? "" : ", " + options) +
                             "}");
}

struct Result {
  Verdict verdict;
  Document document;
};

Result run(const std::string& html, const std::string& options = "") {
  Result result;
  result.document.text = html;
  result.verdict = extractor(options)->apply(result.document);
  return result;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Three paragraphs of plain prose, enough to be kept by the default min_chars.
const std::string kStory =
    "<p>The river rose through the night, and by morning the lower streets of the town were "
    "under water, as the old people had said they would be.</p>"
    "<p>Volunteers carried sandbags to the bakery, the school and the church, working in shifts "
    "until the water stopped rising, shortly after noon.</p>"
    "<p>By evening, the mayor said, most families had returned home, although the bridge would "
    "stay closed until engineers could inspect it.</p>";

std::string page(const std::string& body, const std::string& title = "Flood in the valley") {
  return "<!DOCTYPE html><html><head><title>" + title +
         "</title><meta charset='utf-8'><style>p{color:red}</style></head><body>" + body +
         "</body></html>";
}

TEST(HtmlExtract, KeepsTheArticleAndDropsBoilerplate) {
  const std::string html = page(
      "<header><a href='/'>Valley News</a><nav><ul><li><a href='/a'>Home</a></li>"
      "<li><a href='/b'>World</a></li><li><a href='/c'>Sport</a></li></ul></nav></header>"
      "<div class='breadcrumbs'><a href='/'>Home</a> &gt; <a href='/n'>News</a></div>"
      "<div id='main'><article><h1>Flood in the valley</h1>" +
      kStory +
      "<div class='share-buttons'><a href='#'>Share on Facebook</a> <a href='#'>Tweet this</a>"
      "</div></article>"
      "<aside class='sidebar'><h3>Most read</h3><p>Another story about the weather, which "
      "is read by many people every day of the week.</p></aside></div>"
      "<div id='comments'><h3>Comments</h3><p>First! This comment is long enough to count as "
      "a paragraph, with commas, and more commas, in it.</p></div>"
      "<div class='newsletter-signup'>Subscribe to our newsletter for daily updates.</div>"
      "<script>var tracking = 'SCRIPT-TEXT';</script>"
      "<footer><p>Copyright 2019 Valley News. All rights reserved.</p></footer>");
  Result result = run(html);
  ASSERT_EQ(result.verdict.action, Verdict::Action::rewrite) << result.verdict.reason;
  const std::string& text = result.document.text;
  EXPECT_TRUE(has(text, "The river rose through the night")) << text;
  EXPECT_TRUE(has(text, "stay closed until engineers could inspect it.")) << text;
  for (const char* boilerplate :
       {"Home", "Sport", "Share on Facebook", "Most read", "First!", "Subscribe", "Copyright",
        "SCRIPT-TEXT", "Valley News", "color:red"}) {
    EXPECT_FALSE(has(text, boilerplate)) << boilerplate << " in:\n" << text;
  }
  // Paragraphs are separated by blank lines; the headline is the title, not body text.
  EXPECT_TRUE(has(text, "would be.\n\nVolunteers")) << text;
  EXPECT_FALSE(has(text, "Flood in the valley")) << text;
  EXPECT_FALSE(has(text, "<")) << "no markup in the output:\n" << text;
  EXPECT_EQ(result.document.metadata["title"], "Flood in the valley");
  EXPECT_EQ(result.document.metadata["extracted_chars"].get<std::int64_t>(),
            static_cast<std::int64_t>(text.size()));  // ASCII: one character per byte
}

TEST(HtmlExtract, KeepsHeadingsListsAndTablesAsText) {
  const std::string html =
      page("<article class='post-content'>" + kStory +
           "<h2>What to bring</h2><ul><li>Drinking water</li><li>A torch, with batteries</li>"
           "<li>Warm clothes</li></ul>"
           "<p>The shelters are open at these times, the council said on Monday evening:</p>"
           "<table><thead><tr><th>Shelter</th><th>Opens</th></tr></thead>"
           "<tbody><tr><td>School hall</td><td>8:00</td></tr><tr><td>Church</td><td>9:30</td></tr>"
           "</tbody></table>"
           "<p>Line one<br>Line two</p></article>");
  Result result = run(html);
  const std::string& text = result.document.text;
  EXPECT_TRUE(has(text,
                  "\n\nWhat to bring\n\nDrinking water\nA torch, with batteries\nWarm "
                  "clothes\n\n"))
      << text;
  EXPECT_TRUE(has(text, "Shelter | Opens\nSchool hall | 8:00\nChurch | 9:30")) << text;
  EXPECT_TRUE(has(text, "Line one\nLine two")) << text;

  Result no_tables = run(html, "include_tables: false");
  EXPECT_FALSE(has(no_tables.document.text, "School hall")) << no_tables.document.text;
  EXPECT_TRUE(has(no_tables.document.text, "Drinking water"));
}

TEST(HtmlExtract, CodeBlocksKeepTheirIndentation) {
  const std::string html = page("<article>" + kStory +
                                "<pre>\n    def area(r):\n        return 3.14 * r * r\n</pre>"
                                "<p>Call it with the radius, in metres, of the flooded field.</p>"
                                "</article>");
  Result result = run(html);
  EXPECT_TRUE(has(result.document.text,
                  "bridge would stay closed until engineers could inspect it.\n\n    def "
                  "area(r):\n        return 3.14 * r * r\n\nCall it"))
      << result.document.text;
}

TEST(HtmlExtract, LayoutTablesReadAsParagraphs) {
  const std::string html = page(
      "<table><tr><td class='menu'><a href='/a'>Home</a><br><a href='/b'>Archive</a></td>"
      "<td class='content'>" +
      kStory + "</td></tr></table>");
  Result result = run(html);
  EXPECT_TRUE(has(result.document.text, "would be.\n\nVolunteers")) << result.document.text;
  EXPECT_FALSE(has(result.document.text, " | ")) << result.document.text;
}

TEST(HtmlExtract, TitleAndCommentsOnRequest) {
  const std::string html =
      page("<article>" + kStory +
           "</article><section class='comments'><p>A reader writes that the bridge has been "
           "closed before, in 1987, for a whole month.</p></section>");
  Result plain = run(html);
  EXPECT_FALSE(has(plain.document.text, "A reader writes")) << plain.document.text;
  Result titled = run(html, "include_title: true");
  EXPECT_EQ(titled.document.text.rfind("Flood in the valley\n\nThe river rose", 0), 0u)
      << titled.document.text;
  Result comments = run(html, "include_comments: true, favor_recall: true");
  EXPECT_TRUE(has(comments.document.text, "A reader writes")) << comments.document.text;
}

TEST(HtmlExtract, HiddenTextIsNotText) {
  const std::string html =
      page("<article>" + kStory +
           "<p style='display: none'>Hidden paragraph that a reader never sees on the page.</p>"
           "<div hidden>Another hidden block of text, with commas, that is not shown.</div>"
           "<span class='sr-only'>Screen reader only text</span></article>");
  Result result = run(html);
  EXPECT_TRUE(has(result.document.text, "The river rose"));
  EXPECT_FALSE(has(result.document.text, "hidden")) << result.document.text;
  EXPECT_FALSE(has(result.document.text, "Screen reader")) << result.document.text;
}

TEST(HtmlExtract, PagesWithoutContentAreDroppedWithAReason) {
  Result empty = run("");
  EXPECT_EQ(empty.verdict.action, Verdict::Action::drop);
  EXPECT_EQ(empty.verdict.reason, "no_main_content");
  Result menu =
      run(page("<nav><a href='/a'>Home</a> <a href='/b'>About</a></nav>"
               "<script>document.write('x')</script><img src='a.png'>"));
  EXPECT_EQ(menu.verdict.reason, "no_main_content") << menu.document.text;
  Result short_text = run(page("<p>Only a line of text here.</p>"));
  EXPECT_EQ(short_text.verdict.action, Verdict::Action::drop);
  EXPECT_EQ(short_text.verdict.reason, "main_content_too_short");
  EXPECT_EQ(run(page("<p>Only a line of text here.</p>"), "min_chars: 10").verdict.action,
            Verdict::Action::rewrite);
}

TEST(HtmlExtract, BrokenHtmlDoesNotCrash) {
  const std::vector<std::string> pages = {
      "<html><body><div><p>Unclosed paragraph <b>bold <i>italic " + kStory,
      "</div></div></body><p>" + kStory + "</span></table></html></html>",
      "<<<>>><p <p <div class=\"a>b\">" + kStory + "<!-- never closed",
      "<body><script>if (a < b) document.write('</p>');" + kStory,  // unterminated script
      "<div title='<script>'>" + kStory + "</div><style>p{}",
      std::string(3000, '<') + kStory + std::string(3000, '>'),
      "<table><tr><td><table><tr><td>" + kStory + "</td></tr></table>",
      "<svg><svg><text>icon</text></svg>" + kStory,
      "&amp;&lt;&#x41;&#99999999;&bogus;&" + kStory,
  };
  for (const std::string& html : pages) {
    Result result;
    ASSERT_NO_THROW(result = run(html, "min_chars: 0")) << html.substr(0, 80);
    EXPECT_FALSE(has(result.document.text, "document.write")) << result.document.text;
  }
  // Deep nesting: the extractor walks the tree without recursion.
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "<div>";
  deep += kStory;
  Result nested;
  ASSERT_NO_THROW(nested = run(page(deep)));
  EXPECT_TRUE(has(nested.document.text, "The river rose")) << nested.document.text.size();
}

TEST(HtmlExtract, NonUtf8BytesDoNotCrash) {
  // Latin-1 bytes, a lone continuation byte, a truncated sequence, an overlong form, NUL.
  std::string bytes = "caf\xE9 na\xEFve \x80 \xE2\x82 \xC0\xAF end";
  bytes += '\0';
  const std::string html = page(
      "<article>" + kStory + "<p>" + bytes + " of the story.</p>" + "</article>", "Title \xFF\xFE");
  Result result;
  ASSERT_NO_THROW(result = run(html));
  const std::string& text = result.document.text;
  EXPECT_TRUE(has(text, "caf\xEF\xBF\xBD na\xEF\xBF\xBDve")) << text;  // U+FFFD for each
  EXPECT_TRUE(has(text, "end")) << text;
  // Valid UTF-8 throughout: nlohmann refuses to serialise anything else.
  EXPECT_NO_THROW((void)nlohmann::json(text).dump());
  EXPECT_NO_THROW((void)result.document.metadata.dump());
  // A page whose <meta> claims another charset is still read as UTF-8.
  Result declared = run("<html><head><meta charset='iso-8859-1'></head><body><article>" + kStory +
                        "<p>Z\xC3\xBCrich, na\xC3\xAFve.</p></article></body></html>");
  EXPECT_TRUE(has(declared.document.text, "Z\xC3\xBCrich, na\xC3\xAFve."))
      << declared.document.text;
}

TEST(HtmlExtract, ThreadsShareOneFilter) {
  // apply() runs on several threads at once; each call must see only its own page.
  auto filter = extractor();
  std::vector<std::string> pages, expected;
  for (int i = 0; i < 8; ++i) {
    pages.push_back(page("<nav><a href='/'>Home</a></nav><article><p>Story number " +
                         std::to_string(i) + ".</p>" + kStory + "</article>"));
    Document document;
    document.text = pages.back();
    filter->apply(document);
    expected.push_back(document.text);
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (std::size_t i = 0; i < pages.size(); ++i) {
          Document document;
          document.text = pages[i];
          filter->apply(document);
          mismatches[static_cast<std::size_t>(t)] += document.text != expected[i];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(HtmlExtract, PrecisionAndRecallExcludeEachOther) {
  EXPECT_THROW(extractor("favor_precision: true, favor_recall: true"), Error);
  EXPECT_THROW(extractor("min_chars: -1"), Error);
  EXPECT_NO_THROW(extractor("favor_precision: true"));
}

// Real pages of the article-extraction benchmark, scored as the benchmark scores them.
fs::path benchmark_dir() {
  if (const char* env = std::getenv("FORGE_EXTRACTION_BENCHMARK")) return env;
  return fs::path(FORGE_SOURCE_DIR) / ".." / "shared" / "data" / "article-extraction-benchmark";
}

TEST(HtmlExtract, BenchmarkPagesScoreWell) {
  const fs::path dir = benchmark_dir();
  if (!fs::exists(dir / "ground-truth.json")) GTEST_SKIP() << "no benchmark at " << dir;
  const nlohmann::json truth = nlohmann::json::parse(read_file(dir / "ground-truth.json"));
  std::vector<std::string> ids;
  for (auto& [id, item] : truth.items()) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  ids.resize(std::min<std::size_t>(ids.size(), 20));
  auto filter = extractor("min_chars: 0");
  std::vector<bench::PageScore> scores;
  for (const std::string& id : ids) {
    Document document;
    document.id = id;
    document.text = read_file(dir / "html" / (id + ".html.gz"));
    filter->apply(document);
    scores.push_back(bench::score_page(truth[id]["articleBody"].get<std::string>(), document.text));
    EXPECT_GT(scores.back().f1(), 0.8) << id;  // no page lost outright
  }
  const bench::OverallScore overall = bench::score_all(scores);
  EXPECT_GE(overall.f1, 0.95) << "precision " << overall.precision << ", recall " << overall.recall;
}

// The scorer itself, on cases small enough to count by hand.
TEST(HtmlExtract, ShingleScoringMatchesTheBenchmarksDefinition) {
  using bench::score_page;
  EXPECT_EQ(bench::word_tokens("Hello, wörld_1 日本語 x2!").size(), 4u);
  bench::PageScore same = score_page("one two three four five", "one two three four five");
  EXPECT_DOUBLE_EQ(same.precision(), 1.0);
  EXPECT_DOUBLE_EQ(same.recall(), 1.0);
  // Truth has 2 shingles, the prediction 3 of which 2 match: TP 2, FP 1, FN 0 over 3.
  bench::PageScore extra = score_page("a b c d e", "a b c d e f");
  EXPECT_NEAR(extra.precision(), 2.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(extra.recall(), 1.0);
  EXPECT_DOUBLE_EQ(score_page("a b c d", "").recall(), 0.0);
  bench::PageScore none = score_page("", "");
  EXPECT_DOUBLE_EQ(none.tp + none.fp + none.fn, 0.0);
}

}  // namespace
}  // namespace forge
