#include "bpe/unicode.h"

#include <forge/error.h>

#include <map>
#include <string_view>
#include <utility>

#include "bpe/unicode_tables.h"

namespace forge::bpe {

namespace {

// Which class bits each set contributes; kUpper and kLower follow o200k's two letter classes.
constexpr std::pair<UnicodeSet, std::uint8_t> kSetBits[] = {
    {UnicodeSet::kLu, kLetter | kUpper},
    {UnicodeSet::kLt, kLetter | kUpper},
    {UnicodeSet::kLl, kLetter | kLower},
    {UnicodeSet::kLm, kLetter | kUpper | kLower},
    {UnicodeSet::kLo, kLetter | kUpper | kLower},
    {UnicodeSet::kM, kMark | kUpper | kLower},
    {UnicodeSet::kN, kNumber},
    {UnicodeSet::kWhiteSpace, kSpace},
};

}  // namespace

ClassTable::ClassTable() {
  std::vector<std::uint8_t> flat(kCodeSpaceEnd, 0);
  for (const auto& [set, bits] : kSetBits) {
    for (const CodePointRange& r : unicode_ranges(set)) {
      FORGE_CHECK(r.first <= r.last && r.last < kCodeSpaceEnd, "bad Unicode range");
      for (char32_t cp = r.first; cp <= r.last; ++cp) flat[cp] |= bits;
    }
  }
  flat['\r'] |= kCr;
  flat['\n'] |= kLf;
  for (char32_t cp = 0; cp < 0x80; ++cp) {
    FORGE_CHECK(flat[cp] == kAsciiClasses[cp], "ASCII class table disagrees with Unicode at ",
                static_cast<unsigned>(cp));
  }

  constexpr std::size_t kBlock = std::size_t{1} << kShift;
  std::map<std::string_view, std::uint8_t> seen;
  for (std::size_t b = 0; b < index_.size(); ++b) {
    const std::string_view block(reinterpret_cast<const char*>(flat.data()) + b * kBlock, kBlock);
    auto [it, inserted] = seen.emplace(block, static_cast<std::uint8_t>(seen.size()));
    if (inserted) {
      FORGE_CHECK(seen.size() <= 256, "too many distinct Unicode blocks for an 8-bit index");
      blocks_.insert(blocks_.end(), block.begin(), block.end());
    }
    index_[b] = it->second;
  }
}

const ClassTable& class_table() {
  static const ClassTable table;
  return table;
}

}  // namespace forge::bpe
