// The lesson generators: valid conversations, disjoint seeded splits, tool outputs that real
// Python prints, and answers that are right.
#include <forge/chat.h>
#include <forge/dataset.h>
#include <forge/error.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>

namespace forge {
namespace {

std::vector<Document> generate(const std::string& yaml) {
  auto dataset = test::make_plugin<Dataset>(yaml);
  std::vector<Document> out;
  for (const std::string& shard : dataset->shards())
    dataset->read(shard, [&](Document&& d) {
      out.push_back(std::move(d));
      return true;
    });
  return out;
}

std::vector<ChatMessage> messages(const Document& d) {
  return chat_from_json(d.metadata["messages"]);
}

std::string python_prints(const std::string& code) {
  std::string command = "python3 -c " + test::shell_quote(code);
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[256];
  while (pipe && fgets(buffer, sizeof buffer, pipe)) out += buffer;
  if (pipe) pclose(pipe);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(Lessons, EveryGeneratorMakesConversationsTheChatTemplateRenders) {
  auto tokenizer = test::make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|im_start|>', '<|im_sep|>', "
      "'<|im_end|>', '<|tool_start|>', '<|tool_end|>', '<|output_start|>', '<|output_end|>']}");
  for (const char* name : {"arithmetic_problems", "letter_questions", "decimal_comparisons",
                           "identity_chats", "refusal_chats"}) {
    std::vector<Document> docs = generate(cat("{plugin: ", name, ", count: 40, per_shard: 15}"));
    ASSERT_EQ(docs.size(), 40u) << name;
    std::set<std::string> ids;
    for (const Document& d : docs) {
      ids.insert(d.id);
      RenderedChat chat = render_chat(*tokenizer, messages(d));
      EXPECT_GT(std::count(chat.mask.begin(), chat.mask.end(), 1), 3) << name << " " << d.text;
    }
    EXPECT_EQ(ids.size(), docs.size()) << name;
  }
}

TEST(Lessons, SplitsAreSeededAndDisjointByKey) {
  auto keys = [](const std::vector<Document>& docs) {
    std::set<std::string> out;
    for (const Document& d : docs) out.insert(d.metadata["lesson_key"].get<std::string>());
    return out;
  };
  auto train = generate("{plugin: letter_questions, count: 300}");
  auto test_split = generate("{plugin: letter_questions, count: 30, split: test}");
  for (const std::string& word : keys(test_split))
    EXPECT_EQ(keys(train).count(word), 0u) << "test word '" << word << "' seen in training";
  EXPECT_EQ(generate("{plugin: letter_questions, count: 5}")[4].text, train[4].text);
  EXPECT_NE(generate("{plugin: letter_questions, count: 5, seed: 9}")[4].text, train[4].text);
}

TEST(Lessons, ToolOutputsAreWhatPythonPrints) {
  // Every call's code in one Python process, one printed line each.
  std::string script;
  std::vector<std::string> expected;
  for (const char* yaml :
       {"{plugin: letter_questions, count: 40}", "{plugin: decimal_comparisons, count: 30}",
        "{plugin: arithmetic_problems, count: 30, style: short}"}) {
    for (const Document& d : generate(yaml)) {
      std::vector<ChatMessage> chat = messages(d);
      ASSERT_EQ(chat.size(), 4u) << d.text;
      ASSERT_EQ(chat[1].tool_calls.size(), 1u);
      EXPECT_EQ(chat[1].tool_calls[0].name, "python");
      script += chat[1].tool_calls[0].arguments + "\n";
      expected.push_back(chat[2].content);
      EXPECT_EQ(d.metadata["answer"] == "Yes" || d.metadata["answer"] == "No"
                    ? (chat[2].content == "True" ? "Yes" : "No")
                    : chat[2].content,
                d.metadata["answer"].get<std::string>());
    }
  }
  std::string printed = python_prints(script);
  std::string joined;
  for (const std::string& line : expected) joined += (joined.empty() ? "" : "\n") + line;
  EXPECT_EQ(printed, joined);
  std::vector<ChatMessage> direct =
      messages(generate("{plugin: letter_questions, count: 1, use_tool: false}")[0]);
  EXPECT_EQ(direct.size(), 2u) << "without the tool: question and answer";
}

TEST(Lessons, ArithmeticAnswersAreRightAndTheStyleOrdersThem) {
  for (const Document& d : generate("{plugin: arithmetic_problems, count: 20}")) {
    const std::string reply = messages(d)[1].content;
    // "... The change is P - T = C. The answer is $C."
    const std::size_t is = reply.rfind("The change is ");
    long long paid = 0, total = 0, change = 0;
    ASSERT_EQ(
        std::sscanf(reply.c_str() + is, "The change is %lld - %lld = %lld", &paid, &total, &change),
        3)
        << reply;
    EXPECT_EQ(paid - total, change);
    EXPECT_NE(reply.find(cat("The answer is $", change, ".")), std::string::npos) << reply;
    EXPECT_GT(reply.find("The answer is"), is) << "steps come first";
    EXPECT_EQ(d.metadata["answer"], std::to_string(change));
  }
  const std::string first =
      messages(generate("{plugin: arithmetic_problems, count: 1, style: answer_first}")[0])[1]
          .content;
  EXPECT_EQ(first.rfind("The answer is", 0), 0u) << first;
}

TEST(Lessons, ShortArithmeticFitsATinyContextAndStatesItsAnswer) {
  std::set<std::string> operations;
  for (const Document& d : generate("{plugin: arithmetic_problems, count: 60, style: short}")) {
    std::vector<ChatMessage> chat = messages(d);
    ASSERT_EQ(chat.size(), 4u) << d.text;
    const std::string answer = d.metadata["answer"].get<std::string>();
    EXPECT_NE(chat[3].content.find(answer), std::string::npos) << chat[3].content;
    EXPECT_LT(chat_transcript(chat).size(), 170u) << d.text;
    operations.insert(d.metadata["lesson_key"].get<std::string>().substr(0, 1));
  }
  EXPECT_EQ(operations, (std::set<std::string>{"*", "+", "-"}));
  // Without the tool the sum is written out before the answer.
  std::vector<ChatMessage> direct = messages(
      generate("{plugin: arithmetic_problems, count: 1, style: short, use_tool: false}")[0]);
  ASSERT_EQ(direct.size(), 2u);
  EXPECT_NE(direct[1].content.find(" = "), std::string::npos) << direct[1].content;
}

TEST(Lessons, IdentityUsesTheConfiguredNameAndMaker) {
  for (const Document& d :
       generate("{plugin: identity_chats, count: 20, name: Nova, maker: Acme Labs}")) {
    const std::string reply = messages(d)[1].content;
    EXPECT_NE(reply.find("Nova"), std::string::npos) << reply;
    EXPECT_NE(reply.find("Acme Labs"), std::string::npos) << reply;
  }
}

}  // namespace
}  // namespace forge

namespace forge {
namespace {

TEST(FactLessons, DocumentsCoverTheKnownPeopleAndQuestionsCarryTheirAnswers) {
  std::vector<Document> documents =
      generate("{plugin: fact_documents, people: 40, known_fraction: 0.5, repeats: 3, seed: 4}");
  std::map<std::string, std::string> about;  // person -> all text about them
  for (const Document& d : documents) about[d.metadata["person"]] += d.text + " ";
  EXPECT_GT(about.size(), 10u);
  EXPECT_LT(about.size(), 30u);
  std::vector<Document> questions = generate(
      "{plugin: fact_questions, people: 40, known_fraction: 0.5, table_seed: 4, count: 60, "
      "test_fraction: 0}");
  int known = 0;
  for (const Document& q : questions) {
    const std::string answer = q.metadata["answer"];
    const std::string person = messages(q)[0].content;
    const bool in_data = q.metadata["known"];
    known += in_data;
    std::string name;
    for (const auto& [who, text] : about)
      if (person.find(who) != std::string::npos) name = who;
    EXPECT_EQ(in_data, !name.empty()) << person;
    if (in_data) EXPECT_NE(about[name].find(answer), std::string::npos) << person << " " << answer;
    EXPECT_NE(messages(q)[1].content.find(answer), std::string::npos);
  }
  EXPECT_GT(known, 10);
  EXPECT_LT(known, 50);
}

}  // namespace
}  // namespace forge

namespace forge {
namespace {

TEST(Lessons, LetterQuestionsTakeKindsAndRandomStrings) {
  for (const Document& d : generate("{plugin: letter_questions, count: 20, kinds: [count]}"))
    EXPECT_EQ(messages(d)[0].content.rfind("How many times", 0), 0u) << d.text;
  std::set<std::string> keys;
  for (const Document& d : generate("{plugin: letter_questions, count: 50, random_words: 1}"))
    keys.insert(d.metadata["lesson_key"].get<std::string>());
  EXPECT_GE(keys.size(), 48u) << "random strings rarely repeat; the word list would";
  EXPECT_THROW(generate("{plugin: letter_questions, kinds: [vowels]}"), Error);
}

}  // namespace
}  // namespace forge
