#include <forge/files.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::run_forge;

const std::string kPage =
    "<html><head><title>Harbour reopens</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news'>News desk</a> <a href='/sport'>Sport</a></nav>"
    "<article><h1>Harbour reopens</h1>"
    "<p>The harbour reopened on Tuesday after three weeks of repairs to the sea wall, which "
    "had been damaged in the October storms.</p>"
    "<p>Fishing boats were the first to leave, followed by the morning ferry, which ran to its "
    "usual timetable for the first time since the storm.</p>"
    "<ul><li>Ferries: every two hours</li><li>Moorings: open to visitors</li></ul>"
    "</article><footer>Copyright Harbour Times</footer></body></html>";

fs::path write_page(const std::string& name, bool gzip) {
  fs::path dir = test::temp_dir("extract_cli");
  fs::path file = dir / name;
  AtomicFileWriter writer(file, gzip);
  writer.write(kPage);
  writer.commit();
  return file;
}

TEST(ExtractCli, PrintsTheMainText) {
  auto result = run_forge({"extract", write_page("page.html", false).string()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("The harbour reopened on Tuesday"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("Ferries: every two hours\nMoorings: open to visitors"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(result.output.find("News desk"), std::string::npos) << result.output;
  EXPECT_EQ(result.output.find("Copyright"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("title: Harbour reopens"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("characters extracted"), std::string::npos) << result.output;
}

TEST(ExtractCli, ReadsGzipAndTakesSettings) {
  const fs::path file = write_page("page.html.gz", true);
  auto result = run_forge(
      {"extract", file.string(), "--url", "https://example.org/harbour", "include_title=true"});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_EQ(result.output.rfind("Harbour reopens\n\nThe harbour reopened", 0), 0u) << result.output;
  auto whole = run_forge({"extract", file.string(), "whole_page=true"});
  EXPECT_NE(whole.output.find("News desk"), std::string::npos) << whole.output;
}

TEST(ExtractCli, BadUsageExitsTwo) {
  auto help = run_forge({"extract", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.output.find("usage: forge extract FILE"), std::string::npos) << help.output;
  auto missing = run_forge({"extract", "no-such-page.html"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no file 'no-such-page.html'"), std::string::npos)
      << missing.output;
  auto unknown = run_forge({"extract", write_page("page.html", false).string(), "colour=red"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown key 'colour'"), std::string::npos) << unknown.output;
  EXPECT_EQ(run_forge({"extract"}).exit_code, 2);
}

}  // namespace
}  // namespace forge
