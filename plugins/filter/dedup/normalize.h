#pragma once

// Text as deduplication compares it: lower case, punctuation turned into spaces, whitespace
// runs made one space, so that copies differing only in case, punctuation or layout match.

#include <string>
#include <string_view>
#include <vector>

namespace forge::dedup {

std::string normalize(std::string_view text);

// The words of normalized text.
std::vector<std::string_view> words(std::string_view normalized);

// 64-bit hash of bytes (FNV-1a, then mixed): stable across runs and machines.
std::uint64_t hash64(std::string_view bytes, std::uint64_t seed = 0);

}  // namespace forge::dedup
