#pragma once

// Counting words the way people count them in a reply: runs of non-space characters.

#include <cctype>
#include <cstddef>
#include <string_view>

namespace forge {

// The number of whitespace-separated words in `text`.
inline std::size_t count_words(std::string_view text) {
  std::size_t count = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = std::isspace(static_cast<unsigned char>(c));
    count += !space && !in_word;
    in_word = !space;
  }
  return count;
}

}  // namespace forge
