#pragma once

#include <string_view>
#include <vector>

// The built-in patterns (patterns.h) as state machines: each appends the pieces of `text` that
// tiktoken's regex would match, one after another, to `out`.
namespace forge::bpe {

void split_r50k(std::string_view text, std::vector<std::string_view>& out);
void split_cl100k(std::string_view text, std::vector<std::string_view>& out);
void split_o200k(std::string_view text, std::vector<std::string_view>& out);

}  // namespace forge::bpe
