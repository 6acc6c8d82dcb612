#pragma once

// Turning the chosen elements into plain text: one block per paragraph, heading, list item or
// table row; blocks joined by blank lines, list items and rows of one list or table by newlines,
// cells of a row by " | ".

#include "dom.h"

#include <cstdint>
#include <string>
#include <vector>

namespace forge::html {

enum class BlockKind : std::uint8_t { paragraph, heading, list_item, row, preformatted };

struct Block {
  std::string text;
  BlockKind kind = BlockKind::paragraph;
  std::int32_t group = -1;  // the list or table an item or row belongs to
  std::uint32_t chars = 0;  // non-space code points
  std::uint32_t link_chars = 0;
  std::uint32_t links = 0;  // <a> elements with text in the block
};

// The blocks of text under each of `roots`, in order, leaving out removed subtrees.
std::vector<Block> serialise_blocks(const Dom& dom, const std::vector<std::int32_t>& roots);

// Blocks joined: "\n" inside one list or table, "\n\n" between any other two.
std::string join_blocks(const std::vector<Block>& blocks);

}  // namespace forge::html
