#include "text_stats/unicode.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace forge::text {
namespace {

struct Range {
  char32_t first, last;
};

bool in_ranges(const Range* begin, const Range* end, char32_t c) {
  const Range* it =
      std::upper_bound(begin, end, c, [](char32_t v, const Range& r) { return v < r.first; });
  return it != begin && c <= (it - 1)->last;
}

template <std::size_t N>
bool in_ranges(const std::array<Range, N>& ranges, char32_t c) {
  return in_ranges(ranges.data(), ranges.data() + N, c);
}

// Unicode 15's Sentence_Terminal code points, as ranges.
constexpr std::array<Range, 82> kSentenceTerminals{{
    {0x21, 0x21},       {0x2E, 0x2E},       {0x3F, 0x3F},       {0x589, 0x589},
    {0x61D, 0x61F},     {0x6D4, 0x6D4},     {0x700, 0x702},     {0x7F9, 0x7F9},
    {0x837, 0x837},     {0x839, 0x839},     {0x83D, 0x83E},     {0x964, 0x965},
    {0x104A, 0x104B},   {0x1362, 0x1362},   {0x1367, 0x1368},   {0x166E, 0x166E},
    {0x1735, 0x1736},   {0x17D4, 0x17D6},   {0x17D9, 0x17DA},   {0x1803, 0x1803},
    {0x1809, 0x1809},   {0x1944, 0x1945},   {0x1AA8, 0x1AAB},   {0x1B5A, 0x1B5B},
    {0x1B5E, 0x1B5F},   {0x1B7D, 0x1B7E},   {0x1C3B, 0x1C3C},   {0x1C7E, 0x1C7F},
    {0x203C, 0x203D},   {0x2047, 0x2049},   {0x2E2E, 0x2E2E},   {0x2E3C, 0x2E3C},
    {0x2E53, 0x2E54},   {0x3002, 0x3002},   {0xA4FF, 0xA4FF},   {0xA60E, 0xA60F},
    {0xA6F3, 0xA6F3},   {0xA6F7, 0xA6F7},   {0xA876, 0xA877},   {0xA8CE, 0xA8CF},
    {0xA92F, 0xA92F},   {0xA9C8, 0xA9C9},   {0xAA5D, 0xAA5F},   {0xAAF0, 0xAAF1},
    {0xABEB, 0xABEB},   {0xFE52, 0xFE52},   {0xFE56, 0xFE57},   {0xFF01, 0xFF01},
    {0xFF0E, 0xFF0E},   {0xFF1F, 0xFF1F},   {0xFF61, 0xFF61},   {0x10A56, 0x10A57},
    {0x10F55, 0x10F59}, {0x10F86, 0x10F89}, {0x11047, 0x11048}, {0x110BE, 0x110C1},
    {0x11141, 0x11143}, {0x111C5, 0x111C6}, {0x111CD, 0x111CD}, {0x111DE, 0x111DF},
    {0x11238, 0x11239}, {0x1123B, 0x1123C}, {0x112A9, 0x112A9}, {0x1144B, 0x1144C},
    {0x115C2, 0x115C3}, {0x115C9, 0x115D7}, {0x11641, 0x11642}, {0x1173C, 0x1173E},
    {0x11944, 0x11944}, {0x11946, 0x11946}, {0x11A42, 0x11A43}, {0x11A9B, 0x11A9C},
    {0x11C41, 0x11C42}, {0x11EF7, 0x11EF8}, {0x11F43, 0x11F44}, {0x16A6E, 0x16A6F},
    {0x16AF5, 0x16AF5}, {0x16B37, 0x16B38}, {0x16B44, 0x16B44}, {0x16E98, 0x16E98},
    {0x1BC9F, 0x1BC9F}, {0x1DA88, 0x1DA88},
}};

// Non-ASCII punctuation beyond the sentence terminals: Latin-1 marks, general punctuation
// (dashes, quotes, bullets, ellipsis), CJK brackets and fullwidth ASCII punctuation.
constexpr std::array<Range, 17> kPunctuation{{
    {0x7F, 0x9F},
    {0xA1, 0xA1},
    {0xA7, 0xA7},
    {0xAB, 0xAB},
    {0xB4, 0xB4},
    {0xB6, 0xB7},
    {0xBB, 0xBB},
    {0xBF, 0xBF},
    {0x2010, 0x2027},
    {0x2030, 0x205E},
    {0x2236, 0x2236},
    {0x2501, 0x2501},
    {0x25BA, 0x25BA},
    {0x3001, 0x3003},
    {0x3008, 0x301F},
    {0xFF01, 0xFF0F},
    {0xFF1A, 0xFF20},
}};

constexpr std::array<Range, 2> kFullwidthPunctuation{{{0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}}};

// Blocks without letters (as far as isalpha() is concerned): symbols, punctuation, digits of
// other scripts, combining marks, emoji, private use.
constexpr std::array<Range, 32> kNotAlpha{{
    {0x80, 0xA9},       {0xAB, 0xB4},        {0xB6, 0xB9},     {0xBB, 0xBF},     {0xD7, 0xD7},
    {0xF7, 0xF7},       {0x2C2, 0x2C5},      {0x2D2, 0x2DF},   {0x300, 0x36F},   {0x483, 0x489},
    {0x591, 0x5CF},     {0x600, 0x61F},      {0x64B, 0x66D},   {0x6D4, 0x6D4},   {0x6F0, 0x6F9},
    {0x964, 0x96F},     {0x2000, 0x206F},    {0x2074, 0x207F}, {0x2080, 0x208F}, {0x20A0, 0x2BFF},
    {0x2E00, 0x2E7F},   {0x3000, 0x3004},    {0x3007, 0x3030}, {0x30FB, 0x30FB}, {0xD800, 0xF8FF},
    {0xFE10, 0xFE6F},   {0xFF00, 0xFF20},    {0xFF3B, 0xFF40}, {0xFF5B, 0xFF65}, {0xFFF0, 0xFFFF},
    {0x1F000, 0x1FBFF}, {0xE0000, 0x10FFFF},
}};

}  // namespace

char32_t decode_before(std::string_view text, std::size_t end, std::size_t& start) {
  start = end - 1;
  std::size_t limit = end >= 4 ? end - 4 : 0;
  while (start > limit && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
  std::size_t length = 0;
  char32_t c = decode(text, start, length);
  if (start + length != end) {  // not a well-formed sequence: the last byte stands alone
    start = end - 1;
    return static_cast<unsigned char>(text[start]);
  }
  return c;
}

bool is_alpha(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return !in_ranges(kNotAlpha, c);
}

bool is_punctuation(char32_t c) {
  if (c < 0x80) {
    return c < 0x09 || (c >= 0x0B && c < 0x20) || c == 0x7F || (c >= '!' && c <= '/') ||
           (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
  }
  return in_ranges(kPunctuation, c) || in_ranges(kFullwidthPunctuation, c) ||
         in_ranges(kSentenceTerminals, c);
}

bool is_sentence_terminal(char32_t c) {
  if (c < 0x80) return c == '.' || c == '!' || c == '?';
  return in_ranges(kSentenceTerminals, c);
}

std::string_view strip_left(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = 0;
    if (!is_space(decode(text, i, length))) break;
    i += length;
  }
  return text.substr(i);
}

std::string_view strip_right(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    std::size_t start = 0;
    if (!is_space(decode_before(text, end, start))) break;
    end = start;
  }
  return text.substr(0, end);
}

void lower_ascii(std::string_view text, std::string& out) {
  out.resize(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    out[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
}

}  // namespace forge::text
