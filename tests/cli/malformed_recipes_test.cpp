// Every recipe of tests/recipes/malformed/ must make `forge validate` exit 2 with a message that
// names where the problem is and contains the text cases.tsv expects; never a crash or a hang.
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace forge {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(FORGE_TEST_DATA_DIR) / "recipes" / "malformed";

struct MalformedCase {
  std::string file;
  std::vector<std::string> overrides;
  std::string expected;
};

std::vector<MalformedCase> load_cases() {
  std::vector<MalformedCase> cases;
  std::ifstream manifest(kCorpus / "cases.tsv");
  for (std::string line; std::getline(manifest, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream fields(line);
    MalformedCase entry;
    std::string overrides;
    std::getline(fields, entry.file, '\t');
    std::getline(fields, overrides, '\t');
    std::getline(fields, entry.expected);
    std::stringstream words(overrides);
    for (std::string word; words >> word;) entry.overrides.push_back(word);
    cases.push_back(entry);
  }
  return cases;
}

class MalformedRecipe : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedRecipe, ExitsTwoWithALocatedMessage) {
  const MalformedCase& entry = GetParam();
  std::vector<std::string> args = {"validate", (kCorpus / entry.file).string()};
  args.insert(args.end(), entry.overrides.begin(), entry.overrides.end());
  auto result = test::run_forge(args, kCorpus, {}, 20);
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find(entry.expected), std::string::npos) << result.output;
  // Located: the message names the recipe file (or a file it includes) or the override.
  bool names_file = result.output.find(".yaml") != std::string::npos;
  bool names_override = result.output.find("override '") != std::string::npos;
  EXPECT_TRUE(names_file || names_override) << result.output;
  EXPECT_EQ(result.output.find("internal error"), std::string::npos) << result.output;
}

std::string case_name(const ::testing::TestParamInfo<MalformedCase>& info) {
  std::string name = fs::path(info.param.file).stem().string();
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name + "_" + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Corpus, MalformedRecipe, ::testing::ValuesIn(load_cases()), case_name);

TEST(MalformedCorpus, HasAtLeastFortyCasesAndEveryFileIsListed) {
  auto cases = load_cases();
  EXPECT_GE(cases.size(), 40u);
  std::set<std::string> listed;
  for (const auto& entry : cases) listed.insert(entry.file);
  for (const auto& file : fs::directory_iterator(kCorpus))
    if (file.is_regular_file() && file.path().filename() != "cases.tsv")
      EXPECT_TRUE(listed.count(file.path().filename().string()))
          << file.path() << " not in cases.tsv";
}

}  // namespace
}  // namespace forge
