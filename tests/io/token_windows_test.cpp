#include <forge/error.h>

#include "io/token_windows.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using test::temp_dir;
using Order = TokenWindows::Order;

constexpr std::uint32_t kVocab = 65536;
constexpr TokenId kEot = 65535;
constexpr TokenId kShardStride = 10000;  // shard k holds ids from k * kShardStride

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "(no error)";
}

// Shards whose tokens name their own place: shard k, position p holds k * kShardStride + p,
// except the last token, the end-of-text after the shard's one document.
struct Shards {
  std::vector<fs::path> files;
  std::vector<std::vector<TokenId>> contents;
};

Shards make_shards(const std::string& name, const std::vector<std::size_t>& sizes,
                   std::uint32_t vocab = kVocab, TokenId eot = kEot) {
  Shards shards;
  auto dir = temp_dir(name);
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    std::vector<TokenId> document(sizes[k] - 1);
    for (std::size_t p = 0; p < document.size(); ++p) {
      document[p] = static_cast<TokenId>(k * kShardStride + p);
    }
    auto file = dir / ("shard-" + std::to_string(k) + ".bin");
    TokenShardWriter writer(file, vocab, eot);
    writer.add_document(document);
    writer.commit();
    document.push_back(eot);
    shards.files.push_back(file);
    shards.contents.push_back(std::move(document));
  }
  return shards;
}

// Where a window came from, checking that all its tokens are that shard's, in order.
std::pair<std::size_t, std::size_t> locate(const Shards& shards, const std::vector<TokenId>& w) {
  auto shard = static_cast<std::size_t>(w[0] / kShardStride);
  auto start = static_cast<std::size_t>(w[0] % kShardStride);
  EXPECT_LT(shard, shards.contents.size());
  if (shard >= shards.contents.size()) return {0, 0};
  const auto& content = shards.contents[shard];
  EXPECT_LE(start + w.size(), content.size()) << "window runs past the end of shard " << shard;
  for (std::size_t i = 0; i < w.size() && start + i < content.size(); ++i) {
    EXPECT_EQ(w[i], content[start + i]) << "shard " << shard << " start " << start << " at " << i;
  }
  return {shard, start};
}

std::vector<std::vector<TokenId>> draw(TokenWindows& windows, std::size_t count) {
  std::vector<std::vector<TokenId>> out(count, std::vector<TokenId>(windows.length()));
  for (auto& window : out) windows.next(window.data());
  return out;
}

TEST(TokenWindows, SameSeedGivesTheSameWindows) {
  auto shards = make_shards("windows-same", {3000, 1000});
  TokenWindows a(shards.files, 17, Order::random, 1234);
  TokenWindows b(shards.files, 17, Order::random, 1234);
  auto first = draw(a, 200);
  EXPECT_EQ(first, draw(b, 200));
  EXPECT_EQ(a.position(), 200u);
  std::vector<TokenId> window(17);
  a.window(42, window.data());  // random access agrees with the stream
  EXPECT_EQ(window, first[42]);
  EXPECT_EQ(a.position(), 200u);
}

TEST(TokenWindows, DifferentSeedsGiveDifferentWindows) {
  auto shards = make_shards("windows-seeds", {3000, 1000});
  TokenWindows a(shards.files, 17, Order::random, 1);
  TokenWindows b(shards.files, 17, Order::random, 2);
  auto from_a = draw(a, 200);
  auto from_b = draw(b, 200);
  int same = 0;
  for (std::size_t i = 0; i < from_a.size(); ++i) same += from_a[i] == from_b[i];
  EXPECT_LT(same, 5);
}

TEST(TokenWindows, SeekReproducesTheContinuationExactly) {
  auto shards = make_shards("windows-seek", {300, 120, 77});
  for (Order order : {Order::random, Order::sequential}) {
    TokenWindows run(shards.files, 9, order, 77);
    auto before = draw(run, 50);
    EXPECT_EQ(run.position(), 50u);
    auto continuation = draw(run, 60);  // crosses the sequential epoch boundary (60 windows)

    TokenWindows resumed(shards.files, 9, order, 77);
    resumed.seek(50);
    EXPECT_EQ(draw(resumed, 60), continuation);
    resumed.seek(10);
    EXPECT_EQ(draw(resumed, 5), std::vector(before.begin() + 10, before.begin() + 15));
  }
}

TEST(TokenWindows, RandomWindowsCoverTheDataUniformly) {
  auto shards = make_shards("windows-uniform", {3000, 1000});
  constexpr std::size_t kLength = 17;
  TokenWindows windows(shards.files, kLength, Order::random, 20240901);
  // Every start of every shard is one cell: 2984 in the first shard, 984 in the second.
  constexpr std::size_t kStarts = (3000 - kLength + 1) + (1000 - kLength + 1);
  constexpr std::size_t kBins = 32;  // 124 starts each
  constexpr std::size_t kDraws = 80000;
  std::vector<double> bins(kBins, 0.0);
  std::set<std::size_t> seen;
  std::size_t second_shard = 0;
  std::vector<TokenId> window(kLength);
  for (std::size_t i = 0; i < kDraws; ++i) {
    windows.next(window.data());
    auto [shard, start] = locate(shards, window);
    std::size_t cell = shard == 0 ? start : (3000 - kLength + 1) + start;
    ASSERT_LT(cell, kStarts);
    bins[cell * kBins / kStarts] += 1;
    seen.insert(cell);
    second_shard += shard;
  }
  double expected = static_cast<double>(kDraws) / kBins;
  double chi_square = 0;
  for (double count : bins) chi_square += (count - expected) * (count - expected) / expected;
  // 31 degrees of freedom: mean 31, and 70 is beyond the 99.99th percentile.
  EXPECT_LT(chi_square, 70.0);
  // With ~20 draws per start, every start, first and last of each shard included, shows up.
  EXPECT_EQ(seen.size(), kStarts);
  EXPECT_NEAR(static_cast<double>(second_shard) / kDraws, 984.0 / kStarts, 0.01);
}

TEST(TokenWindows, SequentialWindowsTileWithOneTokenOverlapAndWrap) {
  auto shards = make_shards("windows-sequential", {100, 50});
  TokenWindows windows(shards.files, 10, Order::sequential, 5);
  EXPECT_EQ(windows.total_tokens(), 150u);
  EXPECT_EQ(windows.windows_per_epoch(), 99u / 9 + 49u / 9);  // 11 + 5
  auto epoch = draw(windows, 16);
  for (std::size_t j = 0; j < epoch.size(); ++j) {
    auto [shard, start] = locate(shards, epoch[j]);
    std::size_t expected_shard = j < 11 ? 0 : 1;
    EXPECT_EQ(shard, expected_shard) << "window " << j;
    EXPECT_EQ(start, (j < 11 ? j : j - 11) * 9) << "window " << j;
    if (j + 1 < epoch.size() && j != 10) {
      EXPECT_EQ(epoch[j].back(), epoch[j + 1].front()) << "window " << j;
    }
  }
  EXPECT_EQ(epoch[10].back(), shards.contents[0][99]);
  EXPECT_EQ(draw(windows, 16), epoch);  // the next epoch repeats the first
}

TEST(TokenWindows, WindowsNeverCrossShardBoundaries) {
  auto shards = make_shards("windows-boundaries", {20, 33, 17, 64, 18});
  for (Order order : {Order::random, Order::sequential}) {
    TokenWindows windows(shards.files, 17, order, 99);
    std::set<std::size_t> shards_seen;
    for (const auto& window : draw(windows, 2000)) shards_seen.insert(locate(shards, window).first);
    EXPECT_EQ(shards_seen.size(), 5u);  // the 17-token shard holds exactly one window
  }
}

TEST(TokenWindows, WindowsPerEpochIsTheSameForBothOrders) {
  auto shards = make_shards("windows-epoch", {1000, 500});
  TokenWindows random(shards.files, 65, Order::random, 1);
  TokenWindows sequential(shards.files, 65, Order::sequential, 1);
  EXPECT_EQ(random.windows_per_epoch(), 999u / 64 + 499u / 64);
  EXPECT_EQ(random.windows_per_epoch(), sequential.windows_per_epoch());
  EXPECT_EQ(random.total_tokens(), 1500u);
  EXPECT_EQ(random.vocab_size(), kVocab);
  EXPECT_EQ(random.end_of_text(), kEot);
}

TEST(TokenWindows, RefusesNoShardsOrTooShortWindows) {
  EXPECT_NE(error_of([] { TokenWindows({}, 10, Order::random, 0); }).find("at least one shard"),
            std::string::npos);
  auto shards = make_shards("windows-length", {100});
  std::string message = error_of([&] { TokenWindows(shards.files, 1, Order::random, 0); });
  EXPECT_NE(message.find("length 1 is too short"), std::string::npos) << message;
}

TEST(TokenWindows, ShardShorterThanAWindowIsNamed) {
  auto shards = make_shards("windows-short", {100, 12, 100});
  std::string message = error_of([&] { TokenWindows(shards.files, 13, Order::sequential, 0); });
  EXPECT_NE(message.find(shards.files[1].string() + "' has 12 tokens, fewer than the window "
                                                    "length 13"),
            std::string::npos)
      << message;
}

TEST(TokenWindows, ShardsFromDifferentTokenizersAreRefused) {
  auto gpt2 = make_shards("windows-vocab-a", {100}, 50257, 50256);
  auto cl100k = make_shards("windows-vocab-b", {100}, 100277, 100257);
  auto other_eot = make_shards("windows-vocab-c", {100}, 50257, 0);
  std::string message = error_of([&] {
    TokenWindows({gpt2.files[0], cl100k.files[0]}, 8, Order::random, 0);
  });
  EXPECT_NE(message.find(gpt2.files[0].string()), std::string::npos) << message;
  EXPECT_NE(message.find(cl100k.files[0].string()), std::string::npos) << message;
  EXPECT_NE(message.find("vocabulary 100277"), std::string::npos) << message;
  message = error_of([&] {
    TokenWindows({gpt2.files[0], other_eot.files[0]}, 8, Order::random, 0);
  });
  EXPECT_NE(message.find("end-of-text 0"), std::string::npos) << message;
}

TEST(TokenWindows, CounterRandomIsStatelessAndDistinct) {
  EXPECT_EQ(counter_random(7, 3, 0), counter_random(7, 3, 0));
  std::set<std::uint64_t> values;
  for (std::uint64_t seed = 0; seed < 4; ++seed)
    for (std::uint64_t index = 0; index < 256; ++index)
      for (std::uint64_t draw_index = 0; draw_index < 4; ++draw_index)
        values.insert(counter_random(seed, index, draw_index));
  EXPECT_EQ(values.size(), 4u * 256 * 4);
}

}  // namespace
}  // namespace forge
