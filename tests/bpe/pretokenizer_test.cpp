#include <forge/error.h>

#include "bpe/patterns.h"
#include "bpe/pretokenizer.h"
#include "bpe/unicode.h"
#include "bpe/unicode_tables.h"
#include "support/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace forge::bpe {
namespace {

using Pieces = std::vector<std::string>;

Pieces pieces_of(const Pretokenizer& pretokenizer, std::string_view text) {
  Pieces out;
  for (std::string_view piece : pretokenizer.split(text)) out.emplace_back(piece);
  return out;
}

// Checks a built-in against `expected`, and PCRE2 running the same pattern against both.
void expect_split(std::string_view name, std::string_view text, const Pieces& expected) {
  const Pretokenizer builtin = Pretokenizer::builtin(name);
  EXPECT_EQ(pieces_of(builtin, text), expected) << name << " built-in on \"" << text << "\"";
  EXPECT_EQ(pieces_of(Pretokenizer::regex(builtin.pattern()), text), expected)
      << name << " regex on \"" << text << "\"";
}

TEST(PretokenizerCases, R50k) {
  expect_split("gpt2", "Hello world", {"Hello", " world"});
  expect_split("r50k_base", "don't", {"don", "'t"});
  expect_split("r50k_base", "DON'T 'S", {"DON", "'", "T", " '", "S"});  // case-sensitive
  expect_split("r50k_base", "we'll've're'd'm", {"we", "'ll", "'ve", "'re", "'d", "'m"});
  expect_split("p50k_base", "12345 x1", {"12345", " x", "1"});
  expect_split("gpt2", "a   b", {"a", "  ", " b"});
  expect_split("gpt2", "end  ", {"end", "  "});
  expect_split("gpt2", "x!!!\n\n", {"x", "!!!", "\n\n"});
  expect_split("gpt2", "a\r\nb", {"a", "\r", "\n", "b"});
  expect_split("gpt2", "a\tb", {"a", "\t", "b"});  // only U+0020 leads a word
  expect_split("gpt2", "a\u00a0b a\u0085\u0085b",
               {"a", "\u00a0", "b", " a", "\u0085", "\u0085", "b"});
  expect_split("gpt2", "caf\u00e9 cafe\u0301", {"caf\u00e9", " cafe", "\u0301"});  // marks: not L
  expect_split("gpt2", "\u4e2d\u6587 \U0001F600!", {"\u4e2d\u6587", " \U0001F600!"});
}

TEST(PretokenizerCases, Cl100k) {
  expect_split("cl100k_base", "don't DON'T", {"don", "'t", " DON", "'T"});
  expect_split("cl100k", "'S 'LL 'Re", {"'S", " '", "LL", " '", "Re"});
  expect_split("cl100k", "I'LL'sa", {"I", "'LL", "'s", "a"});
  expect_split("cl100k", "'\u017f", {"'\u017f"});  // long s case-folds to s
  expect_split("cl100k", "12345 6", {"123", "45", " ", "6"});
  expect_split("cl100k", "\u0663\u0664\u0665\u0666", {"\u0663\u0664\u0665", "\u0666"});
  expect_split("cl100k", "hi!!!\n\nyou", {"hi", "!!!\n\n", "you"});
  expect_split("cl100k", "a   b", {"a", "  ", " b"});
  expect_split("cl100k", "end  ", {"end", "  "});
  expect_split("cl100k", "a\n  ", {"a", "\n  "});  // \s++$ before \s*[\r\n]
  expect_split("cl100k", "a\r\nb \n c", {"a", "\r\n", "b", " \n", " c"});
  expect_split("cl100k", "a\tb(c\u00a0d", {"a", "\tb", "(c", "\u00a0d"});
  expect_split("cl100k", "x\u0085\u0085y", {"x", "\u0085", "\u0085y"});
  expect_split("cl100k", "\u4e2d\u6587\u5b57 cafe\u0301",
               {"\u4e2d\u6587\u5b57", " cafe", "\u0301"});
}

TEST(PretokenizerCases, O200k) {
  expect_split("o200k_base", "HelloWorld iPhone", {"Hello", "World", " i", "Phone"});
  expect_split("o200k", "HELLO world", {"HELLO", " world"});
  expect_split("o200k", "don't DON'T Don'ts", {"don't", " DON'T", " Don't", "s"});
  expect_split("o200k", "'s", {"'s"});
  expect_split("o200k", "12345", {"123", "45"});
  expect_split("o200k", "a/b !\n/x", {"a", "/b", " !\n/", "x"});
  expect_split("o200k", "a\n  ", {"a", "\n", "  "});  // no \s++$ here
  expect_split("o200k", "a   b\r\n\r\nc", {"a", "  ", " b", "\r\n\r\n", "c"});
  expect_split("o200k", "cafe\u0301 \u0301\u0301!", {"cafe\u0301", " \u0301\u0301", "!"});
  // Lo and Lm are in both letter classes: U* gives back to the last of them before an Lu.
  expect_split("o200k", "\u4e2dA \u01c5ab \u02b0A", {"\u4e2d", "A", " \u01c5ab", " \u02b0", "A"});
  expect_split("o200k", "x\u00a0y\u3000\u4e2d", {"x", "\u00a0y", "\u3000\u4e2d"});
}

TEST(PretokenizerCases, InvalidUtf8IsOtherAndLossless) {
  const Pretokenizer r50k = Pretokenizer::builtin("gpt2");
  EXPECT_EQ(pieces_of(r50k, "a\xff\xfe b"), (Pieces{"a", "\xff\xfe", " b"}));
  EXPECT_EQ(pieces_of(r50k, "\xe4\xb8 x"), (Pieces{"\xe4\xb8", " x"}));  // truncated
  EXPECT_EQ(pieces_of(Pretokenizer::builtin("cl100k"), "\xc0\x80z"), (Pieces{"\xc0\x80", "z"}));
  // The regex mode never matches invalid bytes: each becomes a piece of its own.
  EXPECT_EQ(pieces_of(Pretokenizer::regex(std::string(kR50kPattern)), "a\xff\xfe b"),
            (Pieces{"a", "\xff", "\xfe", " b"}));
}

TEST(PretokenizerCases, OriginalPatternsAgainstCurrentOnes) {
  // gpt2's original regex never differs; cl100k's differs only at the end (patterns.h).
  const auto gpt2 = Pretokenizer::regex(std::string(kGpt2OriginalPattern));
  const auto cl100k = Pretokenizer::regex(std::string(kCl100kOriginalPattern));
  EXPECT_EQ(pieces_of(gpt2, "a   b  "), (Pieces{"a", "  ", " b", "  "}));
  EXPECT_EQ(pieces_of(cl100k, "a\n  "), (Pieces{"a", "\n", "  "}));
  EXPECT_EQ(pieces_of(cl100k, "a\n  b"), pieces_of(Pretokenizer::builtin("cl100k"), "a\n  b"));
}

TEST(PretokenizerApi, NamesPatternsAndErrors) {
  EXPECT_EQ(Pretokenizer::builtin("p50k_base").pattern(), kR50kPattern);
  EXPECT_EQ(Pretokenizer::builtin("cl100k").pattern(), kCl100kPattern);
  EXPECT_EQ(Pretokenizer::builtin("o200k_base").pattern(), kO200kPattern);
  EXPECT_TRUE(Pretokenizer::builtin("o200k").is_builtin());
  EXPECT_FALSE(Pretokenizer::regex("\\w+").is_builtin());
  EXPECT_TRUE(Pretokenizer::from_pattern(std::string(kO200kPattern)).is_builtin());
  EXPECT_TRUE(Pretokenizer::from_pattern(std::string(kGpt2OriginalPattern)).is_builtin());
  EXPECT_FALSE(Pretokenizer::from_pattern(std::string(kCl100kOriginalPattern)).is_builtin());
  EXPECT_EQ(Pretokenizer::from_pattern("\\w+").pattern(), "\\w+");
  for (const std::string& name : Pretokenizer::builtin_names()) Pretokenizer::builtin(name);
  try {
    Pretokenizer::builtin("cl100k_bsae");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'cl100k_base'"), std::string::npos)
        << e.what();
  }
  try {
    Pretokenizer::regex("a(b|c");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("at offset 5: missing closing parenthesis"),
              std::string::npos)
        << e.what();
  }
}

TEST(PretokenizerApi, RegexGapsAndEmptyMatchesBecomeCharacters) {
  // Text no match covers comes out one character at a time; empty matches cover nothing.
  EXPECT_EQ(pieces_of(Pretokenizer::regex("\\d+"), "ab12\u00e9"),
            (Pieces{"a", "b", "12", "\u00e9"}));
  EXPECT_EQ(pieces_of(Pretokenizer::regex("x*"), "axxb"), (Pieces{"a", "xx", "b"}));
  std::vector<std::string_view> out{"kept"};
  Pretokenizer::builtin("gpt2").split("hi", out);
  EXPECT_EQ(out.size(), 2u);  // appends
}

TEST(PretokenizerApi, SplitsOnManyThreadsAtOnce) {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "It's 12345 o'clock,\r\n  HelloWorld \u4e2d\u6587! ";
  for (const Pretokenizer& p :
       {Pretokenizer::builtin("o200k"), Pretokenizer::regex(std::string(kCl100kPattern))}) {
    const Pieces expected = pieces_of(p, text);
    std::vector<Pieces> results(4);
    std::vector<std::thread> threads;
    for (Pieces& result : results) threads.emplace_back([&] { result = pieces_of(p, text); });
    for (std::thread& t : threads) t.join();
    for (const Pieces& result : results) EXPECT_EQ(result, expected);
  }
}

TEST(PretokenizerSpeed, OneMegabyteOfOneCharacterIsLinear) {
  for (const char* name : {"gpt2", "cl100k", "o200k"}) {
    const Pretokenizer p = Pretokenizer::builtin(name);
    for (char c : {'a', 'A', ' ', '1', '!', '\n', '\''}) {
      const std::string text(1 << 20, c);
      const double start = test::thread_cpu_seconds();
      const auto pieces = p.split(text);
      EXPECT_LT(test::thread_cpu_seconds() - start, 1.0) << name << " on 1 MiB of '" << c << "'";
      EXPECT_FALSE(pieces.empty());
    }
  }
}

// The random alphabet: characters whose classes PCRE2 10.42 (Unicode 14 tables) and our Unicode
// 15 tables agree on. Left out: anything new in 15.0, and U+180E, which PCRE2's \s still
// counts (in \h) though Unicode took it out of White_Space in 6.3.
const std::vector<std::string> kAlphabet = {
    "a",       "b",      "z",      "A",      "Z",      "s",      "t",          "d",
    "m",       "l",      "v",      "e",      "r",      "S",      "T",          "L",
    "E",       "R",      "0",      "1",      "9",      "!",      ".",          ",",
    "-",       "/",      "(",      "\"",     "?",      "_",      "'",          "'",
    "'",       "'",      " ",      " ",      " ",      " ",      " ",          " ",
    "\t",      "\r",     "\n",     "\n",     "\v",     "\f",     "\x01",       "\x1f",
    "\x7f",    "\u0085", "\u00a0", "\u3000", "\u2028", "\u1680", "\u2003",     "\u200b",
    "\u00e9",  "\u00c8", "\u00df", "\u0130", "\u017f", "\u03b1", "\u03a9",     "\u0434",
    "\u0416",  "\u4e2d", "\u6587", "\u3042", "\u30ab", "\ud55c", "\U00020000", "\u05d0",
    "\u00aa",  "\u0301", "\u0308", "\u0903", "\u20dd", "\ufe0f", "\U0001F600", "\U0001F44D",
    "\u2764",  "\u0663", "\u096a", "\u00b2", "\u00bd", "\u216b", "\u01c5",     "\u1f88",
    "\u02b0",  "\u3005", "\u30fc", "\u212a", "\u20ac", "\u00a9", "'s",         "'t",
    "'re",     "'ve",    "'ll",    "'d",     "'m",     "'S",     "'LL",        "'Re",
    "'\u017f", "\r\n",
};

std::string random_text(std::mt19937& random, int max_items) {
  std::uniform_int_distribution<int> count(0, max_items);
  std::uniform_int_distribution<std::size_t> item(0, kAlphabet.size() - 1);
  std::string text;
  for (int i = count(random); i > 0; --i) text += kAlphabet[item(random)];
  return text;
}

TEST(PretokenizerUnicode, AlphabetClassesAgreeWithPcre2) {
  // "PROP!" matches c + "!" as one piece exactly when c has the property.
  const std::pair<const char*, std::uint8_t> properties[] = {
      {"\\p{L}", kLetter},
      {"[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]", kUpper},
      {"[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]", kLower},
      {"\\p{M}", kMark},
      {"\\p{N}", kNumber},
      {"\\s", kSpace}};
  for (const auto& [property, bit] : properties) {
    const Pretokenizer regex = Pretokenizer::regex(std::string(property) + "!");
    for (const std::string& c : kAlphabet) {
      const Utf8Char decoded = decode_utf8(c.data(), c.data() + c.size());
      if (decoded.size != c.size()) continue;  // not one character
      const bool ours = (char_class(decoded.cp) & bit) != 0;
      EXPECT_EQ(regex.split(c + "!").size() == 1, ours) << property << " on \"" << c << "\"";
    }
  }
}

TEST(PretokenizerUnicode, TablesAndDecoder) {
  EXPECT_STREQ(kUnicodeVersion, "15.0.0");
  for (char32_t cp : {0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000})
    EXPECT_EQ(char_class(cp), kSpace) << std::hex << static_cast<unsigned>(cp);
  EXPECT_EQ(char_class(0x180E), 0) << "Mongolian vowel separator: a format character";
  EXPECT_EQ(char_class(0x200B), 0) << "zero width space: not White_Space";
  // First/Last ranges of UnicodeData.txt: CJK, Hangul.
  for (char32_t cp : {0x4E00, 0x9FFF, 0x20000, 0x2A6DF, 0xAC00, 0xD7A3})
    EXPECT_EQ(char_class(cp), kLetter | kUpper | kLower) << std::hex << static_cast<unsigned>(cp);
  EXPECT_EQ(char_class(0xD7A4), 0);
  EXPECT_EQ(char_class(0x01C5), kLetter | kUpper);  // Lt
  EXPECT_EQ(char_class(0x00B5), kLetter | kLower);  // micro sign: Ll
  EXPECT_EQ(char_class(0x0301), kMark | kUpper | kLower);
  EXPECT_EQ(char_class(0x0663), kNumber);
  EXPECT_EQ(char_class('\r'), kSpace | kCr);
  EXPECT_EQ(char_class(kInvalidByteBase + 0xFF), 0);
  EXPECT_GT(unicode_ranges(UnicodeSet::kLo).size(), 400u);

  auto sizes = [](std::string_view s) {
    std::vector<std::uint32_t> out;
    for (const char* p = s.data(); p < s.data() + s.size(); p += out.back())
      out.push_back(decode_utf8(p, s.data() + s.size()).size);
    return out;
  };
  using Sizes = std::vector<std::uint32_t>;
  EXPECT_EQ(sizes("a\u00e9\u4e2d\U0001F600"), (Sizes{1, 2, 3, 4}));
  EXPECT_EQ(sizes("\xc0\x80"), (Sizes{1, 1}));                // overlong
  EXPECT_EQ(sizes("\xe0\x80\x80"), (Sizes{1, 1, 1}));         // overlong
  EXPECT_EQ(sizes("\xed\xa0\x80"), (Sizes{1, 1, 1}));         // surrogate
  EXPECT_EQ(sizes("\xf4\x90\x80\x80"), (Sizes{1, 1, 1, 1}));  // beyond U+10FFFF
  EXPECT_EQ(sizes("\xe4\xb8"), (Sizes{1, 1}));                // truncated
  EXPECT_EQ(decode_utf8("\xff", "\xff" + 1).cp, kInvalidByteBase + 0xFF);
}

TEST(PretokenizerDifferential, BuiltinsMatchPcre2OnRandomText) {
  // Each built-in against PCRE2 on its own pattern, and against the original patterns where
  // they must agree (gpt2's always; cl100k's when the text does not end in whitespace).
  struct Pair {
    const char* builtin;
    std::string_view pattern;
    bool trailing_space_differs;
  };
  const Pair pairs[] = {{"gpt2", kR50kPattern, false},
                        {"gpt2", kGpt2OriginalPattern, false},
                        {"cl100k_base", kCl100kPattern, false},
                        {"cl100k_base", kCl100kOriginalPattern, true},
                        {"o200k_base", kO200kPattern, false}};
  constexpr int kTexts = 20000;
  for (const Pair& pair : pairs) {
    const Pretokenizer builtin = Pretokenizer::builtin(pair.builtin);
    const Pretokenizer regex = Pretokenizer::regex(std::string(pair.pattern));
    std::mt19937 random(1234);
    int compared = 0;
    for (int i = 0; i < kTexts; ++i) {
      std::string text = random_text(random, 24);
      if (pair.trailing_space_differs) text += "x";
      ASSERT_EQ(pieces_of(builtin, text), pieces_of(regex, text))
          << pair.builtin << " vs " << pair.pattern << " on \"" << text << "\"";
      ++compared;
    }
    EXPECT_EQ(compared, kTexts);
  }
}

TEST(PretokenizerDifferential, PiecesCoverRandomBytes) {
  std::vector<Pretokenizer> all;
  for (const std::string& name : Pretokenizer::builtin_names())
    all.push_back(Pretokenizer::builtin(name));
  all.push_back(Pretokenizer::regex(std::string(kO200kPattern)));
  all.push_back(Pretokenizer::regex("\\p{L}+|\\d"));  // leaves gaps
  std::mt19937 random(99);
  // Bytes biased towards ASCII and UTF-8 lead and continuation bytes, mixed with alphabet text.
  const std::string bytes = "aZ9 '\n\r\t!\x80\xbf\xc2\xc3\xe2\xe4\xed\xf0\xf4\xf5\xff\xa0\x85";
  std::uniform_int_distribution<std::size_t> pick(0, bytes.size() - 1);
  std::uniform_int_distribution<int> size(0, 40);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = size(random); n > 0; --n) {
      if (n % 5 == 0) text += random_text(random, 1);
      text += bytes[pick(random)];
    }
    for (const Pretokenizer& p : all) {
      std::string joined;
      for (std::string_view piece : p.split(text)) {
        ASSERT_FALSE(piece.empty());
        ASSERT_EQ(piece.data(), text.data() + joined.size());
        joined += piece;
      }
      ASSERT_EQ(joined, text) << p.pattern();
    }
  }
}

}  // namespace
}  // namespace forge::bpe
