#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/tokenizer.h>

#include "io/token_shard.h"
#include "io/token_windows.h"
#include "support/test_support.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::make_plugin;
using test::run_forge;
using test::temp_dir;

constexpr int kFiles = 12;
constexpr int kParagraphs = 40;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

std::string paragraph(int file, int index) {
  return "File " + std::to_string(file) + ", paragraph " + std::to_string(index) +
         (index % 3 ? " has a second line\nthat goes on." : " is short.");
}

// kFiles files of kParagraphs distinct paragraphs each; returns each file's paragraphs.
std::vector<std::vector<std::string>> write_corpus(const fs::path& dir) {
  std::vector<std::vector<std::string>> corpus(kFiles);
  for (int f = 0; f < kFiles; ++f) {
    std::string content;
    for (int p = 0; p < kParagraphs; ++p) {
      corpus[f].push_back(paragraph(f, p));
      content += corpus[f].back() + "\n\n";
    }
    char name[32];
    std::snprintf(name, sizeof name, "file%02d.txt", f);
    test::write_text(dir / "corpus" / name, content);
  }
  return corpus;
}

// Writes the corpus to token shards through a data run; returns the run directory.
fs::path tokenize_with_data_stage(const fs::path& dir, const std::string& name, int workers,
                                  int files_per_shard, double val_fraction) {
  std::string recipe =
      "stage: data\nname: " + name + "\nworkers: " + std::to_string(workers) +
      "\ninput: {plugin: text_files, paths: ['" + (dir / "corpus").string() +
      "/*.txt'], mode: paragraph, files_per_shard: " + std::to_string(files_per_shard) +
      "}\noutput: {plugin: token_shards, path: shards, val_fraction: " +
      std::to_string(val_fraction) + ", tokenizer: {plugin: bytes}}\n";
  test::write_text(dir / (name + ".yaml"), recipe);
  fs::path run_dir = dir / name;
  auto result = run_forge({"run", (dir / (name + ".yaml")).string(), "--run-dir", run_dir}, dir);
  EXPECT_EQ(result.exit_code, 0) << result.output;
  return run_dir;
}

// A shard's documents, each without its end-of-text id.
std::vector<std::string> documents_in(const fs::path& file) {
  TokenShard shard(file);
  std::vector<TokenId> tokens(shard.size());
  shard.read(0, tokens.size(), tokens.data());
  std::vector<std::string> documents;
  std::string current;
  for (TokenId id : tokens) {
    if (id == shard.end_of_text()) {
      documents.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(id);
    }
  }
  EXPECT_TRUE(current.empty()) << file << " does not end with end-of-text";
  return documents;
}

std::multiset<std::string> all_documents(const fs::path& folder) {
  std::multiset<std::string> out;
  for (const auto& entry : fs::directory_iterator(folder))
    for (std::string& document : documents_in(entry.path())) out.insert(std::move(document));
  return out;
}

TEST(TokenShards, ADataRunWritesEveryDocumentInOrderPerTask) {
  auto dir = temp_dir("token-shards-write");
  auto corpus = write_corpus(dir);
  auto run_dir = tokenize_with_data_stage(dir, "run", 2, 1, 0.25);
  for (int task = 0; task < kFiles; ++task) {
    char name[32];
    std::snprintf(name, sizeof name, "%05d.bin", task);
    auto train = documents_in(run_dir / "shards" / "train" / name);
    auto val = documents_in(run_dir / "shards" / "val" / name);
    EXPECT_EQ(train.size() + val.size(), static_cast<std::size_t>(kParagraphs));
    // Each paragraph, in the file's order, is the next document of one of the two splits.
    std::size_t t = 0, v = 0;
    for (const std::string& expected : corpus[static_cast<std::size_t>(task)]) {
      if (t < train.size() && train[t] == expected) {
        ++t;
      } else if (v < val.size() && val[v] == expected) {
        ++v;
      } else {
        ADD_FAILURE() << "task " << task << ": '" << expected << "' is missing or out of order";
        break;
      }
    }
    EXPECT_EQ(TokenShard(run_dir / "shards" / "train" / name).vocab_size(), 257u);
  }
}

TEST(TokenShards, ValSplitDependsOnlyOnIdsAndIsNearTheFraction) {
  auto dir = temp_dir("token-shards-split");
  write_corpus(dir);
  auto a = tokenize_with_data_stage(dir, "a", 2, 1, 0.3);
  auto b = tokenize_with_data_stage(dir, "b", 1, 5, 0.3);  // other threads and task boundaries
  auto val = all_documents(a / "shards" / "val");
  EXPECT_EQ(val, all_documents(b / "shards" / "val"));
  EXPECT_EQ(all_documents(a / "shards" / "train"), all_documents(b / "shards" / "train"));
  // 480 documents: the binomial's standard deviation is 10, so 50 is five of them.
  constexpr double kTotal = kFiles * kParagraphs;
  EXPECT_NEAR(static_cast<double>(val.size()), 0.3 * kTotal, 50.0);
  auto none = tokenize_with_data_stage(dir, "none", 2, 1, 0.0);
  EXPECT_FALSE(fs::exists(none / "shards" / "val"));
  EXPECT_EQ(all_documents(none / "shards" / "train").size(), static_cast<std::size_t>(kTotal));
}

TEST(TokenShards, WritingWithoutATokenizerIsALocatedError) {
  auto dataset = make_plugin<Dataset>("{plugin: token_shards}");
  EXPECT_TRUE(dataset->can_write());
  auto dir = temp_dir("token-shards-no-tokenizer");
  std::string message = error_of([&] { dataset->open_writer({dir, "00000"}); });
  EXPECT_NE(message.find("<test>:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("section.tokenizer: token_shards: writing token shards needs a tokenizer"),
            std::string::npos)
      << message;
  message = error_of([] { make_plugin<Dataset>("{plugin: token_shards, val_fraction: 1}"); });
  EXPECT_NE(message.find("val_fraction: must be below 1"), std::string::npos) << message;
  EXPECT_NE(error_of([] { make_plugin<Dataset>("{plugin: token_shards}")->shards(); }),
            "(no error)");
}

TEST(TokenShards, AnEmptyTaskWritesAnEmptyShardThatReadingSkips) {
  auto dir = temp_dir("token-shards-empty");
  auto dataset = make_plugin<Dataset>("{plugin: token_shards, path: " + (dir / "out").string() +
                                      ", val_fraction: 0.5, tokenizer: {plugin: bytes}}");
  dataset->open_writer({dir, "00000"})->commit();
  auto writer = dataset->open_writer({dir, "00001"});
  for (int i = 0; i < 50; ++i) writer->write({"doc-" + std::to_string(i), "some text", "", {}});
  writer->commit();
  TokenShard empty(dir / "out" / "train" / "00000.bin");
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(empty.vocab_size(), 257u);

  auto tokenizer = make_plugin<Tokenizer>("{plugin: bytes}");
  auto reader =
      make_plugin<Dataset>("{plugin: token_shards, paths: ['" + (dir / "out" / "train").string() +
                           "', '" + (dir / "out" / "val").string() + "']}");
  ASSERT_TRUE(reader->can_provide_tokens());
  auto source = reader->open_tokens({tokenizer.get(), 8, true, 1, 0, 1});
  EXPECT_EQ(source->total_tokens(), 50u * 10);  // 9 bytes + end-of-text each
  std::vector<TokenId> window(8);
  source->next(window.data());

  // Only empty shards: nothing to read, said plainly.
  auto nothing = make_plugin<Dataset>("{plugin: token_shards, paths: ['" +
                                      (dir / "out" / "train" / "00000.bin").string() + "']}");
  std::string message = error_of([&] { nothing->open_tokens({tokenizer.get(), 8}); });
  EXPECT_NE(message.find("hold no window of 8 tokens"), std::string::npos) << message;
  EXPECT_NE(error_of([&] {
              TokenWindows({dir / "out" / "train" / "00000.bin"}, 8, TokenWindows::Order::random,
                           0);
            }).find("all 1 are empty"),
            std::string::npos);
}

// Shards written directly: shard k holds one document of `sizes[k] - 1` bytes.
std::vector<fs::path> write_shards(const fs::path& dir, const std::vector<std::size_t>& sizes) {
  std::vector<fs::path> files;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    std::vector<TokenId> document(sizes[k] - 1);
    for (std::size_t i = 0; i < document.size(); ++i)
      document[i] = static_cast<TokenId>((k * 37 + i) % 256);
    files.push_back(dir / ("shard-" + std::to_string(k) + ".bin"));
    TokenShardWriter writer(files.back(), 257, 256);
    writer.add_document(document);
    writer.commit();
  }
  return files;
}

TEST(TokenShards, ReadsWindowsOfAFolderLikeTokenWindows) {
  auto dir = temp_dir("token-shards-read");
  auto files = write_shards(dir, {300, 200, 120});
  test::write_text(dir / "notes.txt", "not a shard");
  auto dataset = make_plugin<Dataset>("{plugin: token_shards, paths: " + dir.string() + "}");
  for (bool random : {true, false}) {
    auto source = dataset->open_tokens({nullptr, 17, random, 42});
    TokenWindows reference(
        files, 17, random ? TokenWindows::Order::random : TokenWindows::Order::sequential, 42);
    EXPECT_EQ(source->total_tokens(), 620u);
    std::vector<TokenId> got(17), expected(17);
    for (int i = 0; i < 100; ++i) {
      source->next(got.data());
      reference.next(expected.data());
      ASSERT_EQ(got, expected) << "window " << i;
    }
    EXPECT_EQ(source->position(), 100u);
  }
}

TEST(TokenShards, RanksReadDisjointWindowsThatCoverTheStream) {
  auto dir = temp_dir("token-shards-ranks");
  auto files = write_shards(dir, {400, 250});
  auto dataset = make_plugin<Dataset>("{plugin: token_shards, paths: " + dir.string() + "}");
  constexpr std::size_t kWorld = 3, kPerRank = 40;
  auto whole = dataset->open_tokens({nullptr, 9, true, 7, 0, 1});
  std::vector<std::vector<TokenId>> stream(kWorld * kPerRank, std::vector<TokenId>(9));
  for (auto& window : stream) whole->next(window.data());
  std::vector<bool> covered(stream.size(), false);
  for (std::size_t rank = 0; rank < kWorld; ++rank) {
    auto source = dataset->open_tokens({nullptr, 9, true, 7, rank, kWorld});
    std::vector<TokenId> window(9);
    for (std::size_t i = 0; i < kPerRank; ++i) {
      source->next(window.data());
      std::size_t index = i * kWorld + rank;
      ASSERT_FALSE(covered[index]);
      covered[index] = true;
      ASSERT_EQ(window, stream[index]) << "rank " << rank << " window " << i;
    }
    EXPECT_EQ(source->position(), kPerRank);
    source->seek(5);  // resumes this rank's own sequence exactly
    source->next(window.data());
    EXPECT_EQ(window, stream[5 * kWorld + rank]);
    EXPECT_EQ(source->position(), 6u);
  }
  EXPECT_TRUE(std::all_of(covered.begin(), covered.end(), [](bool c) { return c; }));
  std::string message = error_of([&] { dataset->open_tokens({nullptr, 9, true, 7, 3, 3}); });
  EXPECT_NE(message.find("rank 3 is not below the world size 3"), std::string::npos) << message;
}

TEST(TokenShards, ShardsFromAnotherTokenizerAreRefusedNamingBothSizes) {
  auto dir = temp_dir("token-shards-vocab");
  write_shards(dir, {100});
  auto dataset = make_plugin<Dataset>("{plugin: token_shards, paths: " + dir.string() + "}");
  auto bigger = make_plugin<Tokenizer>(
      "{plugin: bytes, special_tokens: ['<|endoftext|>', '<|a|>', '<|b|>']}");
  std::string message = error_of([&] { dataset->open_tokens({bigger.get(), 9}); });
  EXPECT_NE(message.find("<test>:1:"), std::string::npos) << message;
  EXPECT_NE(message.find("has a vocabulary of 257 ids, but the tokenizer has 259"),
            std::string::npos)
      << message;
  auto other_eot =
      make_plugin<Tokenizer>("{plugin: bytes, special_tokens: ['<|a|>'], end_of_text: '<|a|>'}");
  EXPECT_NO_THROW(dataset->open_tokens({other_eot.get(), 9}));  // same size, id 256 both
}

TEST(TokenShards, ShardsShorterThanAWindowAreSkipped) {
  auto dir = temp_dir("token-shards-short");
  write_shards(dir, {100, 5, 60});
  auto dataset =
      make_plugin<Dataset>("{plugin: token_shards, paths: '" + dir.string() + "/*.bin'}");
  auto source = dataset->open_tokens({nullptr, 50, false, 0});
  EXPECT_EQ(source->total_tokens(), 160u);
  std::string message = error_of([&] { dataset->open_tokens({nullptr, 200, false, 0}); });
  EXPECT_NE(message.find("the 3 shard(s) hold no window of 200 tokens (165 tokens in shards"),
            std::string::npos)
      << message;
  message = error_of([&] {
    make_plugin<Dataset>("{plugin: token_shards, paths: '" + dir.string() + "/*.none'}")
        ->open_tokens({nullptr, 5});
  });
  EXPECT_NE(message.find("section.paths: token_shards: no files match"), std::string::npos)
      << message;
}

}  // namespace
}  // namespace forge
