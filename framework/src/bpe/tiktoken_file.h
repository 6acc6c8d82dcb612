#pragma once

// Vocabulary files. `.tiktoken`: one token per line, its bytes in base64, a space, its rank
// (OpenAI's format, as tiktoken reads it). GPT-2's `encoder.json` + `vocab.bpe`: tokens as
// strings of GPT-2's byte-to-character map, and the merges in order.

#include <forge/export.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace forge::bpe {

// Tokens by rank; gaps in the ranks are empty strings. Errors name the file and line.
FORGE_API std::vector<std::string> read_tiktoken(const std::filesystem::path& file);
// The same from the text of such a file; `name` stands for the file in errors.
FORGE_API std::vector<std::string> parse_tiktoken(std::string_view text, const std::string& name);
// Writes every non-empty token, in rank order, atomically.
FORGE_API void write_tiktoken(const std::filesystem::path& file,
                              const std::vector<std::string>& tokens);

struct Gpt2Files {
  std::vector<std::string> tokens;                          // the 256 bytes, then the merges
  std::vector<std::pair<std::string, int>> special_tokens;  // encoder.json's other entries
};
// Ranks follow vocab.bpe, as tiktoken's loader does, and must agree with encoder.json's ids.
FORGE_API Gpt2Files read_gpt2_files(const std::filesystem::path& encoder_json,
                                    const std::filesystem::path& vocab_bpe);

FORGE_API std::string base64_encode(std::string_view bytes);
// Throws forge::Error for text that is not base64.
FORGE_API std::string base64_decode(std::string_view text);

}  // namespace forge::bpe
