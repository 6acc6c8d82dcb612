// Every case of gpt-tokenizer 4.0.0's TestPlans.txt (r50k, p50k, p50k_edit, cl100k and o200k
// ids that OpenAI's tiktoken produces), through the built-in encodings. The reference files
// come from scripts/data/tokenizer-refs.sh, which scripts/dev.sh runs before the tests.
#include "bpe/bpe_tokenizer.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace forge::bpe {
namespace {

struct Plan {
  std::string encoding, sample;
  std::vector<TokenId> ids;
};

std::vector<Plan> read_plans() {
  const auto file = reference_folder() / "TestPlans.txt";
  std::istringstream in(test::read_text(file));
  std::vector<Plan> plans;
  std::string line;
  Plan plan;
  while (std::getline(in, line)) {
    if (line.starts_with("EncodingName: ")) {
      plan = Plan{line.substr(14), {}, {}};
    } else if (line.starts_with("Sample:")) {
      plan.sample = line.size() > 8 ? line.substr(8) : "";
    } else if (line.starts_with("Encoded: [")) {
      std::string list = line.substr(10, line.size() - 11);
      std::istringstream numbers(list);
      for (std::string number; std::getline(numbers, number, ',');)
        plan.ids.push_back(std::stoi(number));
      plans.push_back(plan);
    }
  }
  return plans;
}

TEST(TestPlans, EveryCaseEncodesAsTiktokenDoes) {
  ASSERT_TRUE(std::filesystem::exists(reference_folder() / "TestPlans.txt"))
      << "no " << (reference_folder() / "TestPlans.txt").string()
      << "; run scripts/data/tokenizer-refs.sh (scripts/dev.sh test does)";
  std::vector<Plan> plans = read_plans();
  ASSERT_EQ(plans.size(), 313u);
  std::map<std::string, int> passed;
  for (const Plan& plan : plans) {
    BpeTokenizer tokenizer = load_builtin(plan.encoding);
    std::vector<TokenId> ids;
    tokenizer.encode(plan.sample, ids);
    EXPECT_EQ(ids, plan.ids) << plan.encoding << ": '" << plan.sample << "'";
    if (ids == plan.ids) ++passed[plan.encoding];
    EXPECT_EQ(tokenizer.decode(ids), plan.sample);
  }
  EXPECT_EQ(passed["r50k_base"], 64);
  EXPECT_EQ(passed["p50k_base"], 64);
  EXPECT_EQ(passed["p50k_edit"], 64);
  EXPECT_EQ(passed["cl100k_base"], 64);
  EXPECT_EQ(passed["o200k_base"], 57);
}

TEST(Cl100k, MatchesOpenAisIdsForTheIssuesExamples) {
  BpeTokenizer cl100k = load_builtin("cl100k_base");
  auto encode = [&](std::string_view text) {
    std::vector<TokenId> ids;
    cl100k.encode(text, ids);
    return ids;
  };
  EXPECT_EQ(encode("hello world"), (std::vector<TokenId>{15339, 1917}));
  EXPECT_EQ(encode("Hello world"), (std::vector<TokenId>{9906, 1917}));
  EXPECT_EQ(encode("hello  world"), (std::vector<TokenId>{15339, 220, 1917}));
  EXPECT_EQ(cl100k.vocab_size(), 100277u);
  EXPECT_EQ(cl100k.end_of_text(), 100257);
  EXPECT_EQ(load_builtin("o200k_base").vocab_size(), 200019u);
  EXPECT_EQ(load_builtin("gpt2").vocab_size(), 50257u);
}

}  // namespace
}  // namespace forge::bpe
