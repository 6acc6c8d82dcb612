#include "bpe/tiktoken_file.h"

#include <forge/error.h>
#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <map>

namespace forge::bpe {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// GPT-2's byte-to-character map: printable Latin-1 bytes stand for themselves, the other 68
// bytes for code points 256 and up, in byte order.
std::array<char32_t, 256> gpt2_byte_chars() {
  std::array<char32_t, 256> chars{};
  char32_t next = 256;
  for (int b = 0; b < 256; ++b) {
    const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
    chars[b] = printable ? static_cast<char32_t>(b) : next++;
  }
  return chars;
}

// A GPT-2 token string back to bytes; false when a character is not in the map.
bool gpt2_bytes(const std::string& text, std::string& out) {
  static const std::map<char32_t, unsigned char> inverse = [] {
    std::map<char32_t, unsigned char> map;
    auto chars = gpt2_byte_chars();
    for (int b = 0; b < 256; ++b) map[chars[b]] = static_cast<unsigned char>(b);
    return map;
  }();
  out.clear();
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    char32_t cp = lead;
    std::size_t length = 1;
    if (lead >= 0xC0 && lead < 0xE0 && i + 1 < text.size()) {
      cp = ((lead & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      length = 2;
    } else if (lead >= 0x80) {
      return false;  // the map uses code points below 0x800 only
    }
    auto found = inverse.find(cp);
    if (found == inverse.end()) return false;
    out.push_back(static_cast<char>(found->second));
    i += length;
  }
  return true;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t block = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) block |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) block |= static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(block >> 18) & 63];
    out += kAlphabet[(block >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(block >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[block & 63] : '=';
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  static const std::array<int, 256> value = [] {
    std::array<int, 256> table;
    table.fill(-1);
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
    return table;
  }();
  if (text.size() % 4)
    throw Error(cat("'", text, "' is not base64: its length is not a multiple of 4"));
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t block = 0;
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        ++pad;
        block <<= 6;
        continue;
      }
      const int v = value[static_cast<unsigned char>(c)];
      if (v < 0 || pad) throw Error(cat("'", text, "' is not base64"));
      block = (block << 6) | static_cast<std::uint32_t>(v);
    }
    out += static_cast<char>((block >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((block >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(block & 0xFF);
  }
  return out;
}

std::vector<std::string> read_tiktoken(const std::filesystem::path& file) {
  return parse_tiktoken(read_file(file), file.string());
}

std::vector<std::string> parse_tiktoken(std::string_view text, const std::string& name) {
  std::vector<std::string> tokens;
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto fail = [&](const std::string& what) -> Error {
      return Error(cat(name, ":", line_number, ": ", what, "; a .tiktoken line is 'BASE64 RANK'"));
    };
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos) throw fail("no space between token and rank");
    std::size_t rank = 0;
    const std::string_view digits = line.substr(space + 1);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), rank);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || rank > 16'000'000)
      throw fail(cat("rank '", digits, "' is not a number below 16000000"));
    std::string bytes;
    try {
      bytes = base64_decode(line.substr(0, space));
    } catch (const Error& e) {
      throw fail(e.what());
    }
    if (bytes.empty()) throw fail("the token is empty");
    if (rank >= tokens.size()) tokens.resize(rank + 1);
    if (!tokens[rank].empty()) throw fail(cat("rank ", rank, " appears twice"));
    tokens[rank] = std::move(bytes);
  }
  if (tokens.empty()) throw Error(cat(name, ": holds no tokens"));
  return tokens;
}

void write_tiktoken(const std::filesystem::path& file, const std::vector<std::string>& tokens) {
  std::string text;
  for (std::size_t rank = 0; rank < tokens.size(); ++rank)
    if (!tokens[rank].empty()) text += cat(base64_encode(tokens[rank]), " ", rank, "\n");
  write_file_atomic(file, text);
}

Gpt2Files read_gpt2_files(const std::filesystem::path& encoder_json,
                          const std::filesystem::path& vocab_bpe) {
  nlohmann::json encoder = nlohmann::json::parse(read_file(encoder_json), nullptr, false);
  if (!encoder.is_object())
    throw Error(cat(encoder_json.string(), ": not a JSON object of token strings to ids"));
  Gpt2Files out;
  auto chars = gpt2_byte_chars();
  for (int b = 0; b < 256; ++b) out.tokens.push_back(std::string(1, static_cast<char>(b)));
  std::map<std::string, int> rank_of;
  for (int b = 0; b < 256; ++b) rank_of[out.tokens[b]] = b;
  // GPT-2's own order of the first 256 ranks: printable bytes first.
  std::vector<int> order;
  for (int b = 0; b < 256; ++b)
    if (chars[b] < 256) order.push_back(b);
  for (int b = 0; b < 256; ++b)
    if (chars[b] >= 256) order.push_back(b);
  for (int i = 0; i < 256; ++i) {
    out.tokens[i] = std::string(1, static_cast<char>(order[i]));
    rank_of[out.tokens[i]] = i;
  }
  const std::string merges = read_file(vocab_bpe);
  std::size_t line_number = 0;
  for (std::size_t start = 0; start < merges.size();) {
    std::size_t end = merges.find('\n', start);
    if (end == std::string::npos) end = merges.size();
    std::string line = merges.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty() || line.starts_with("#version")) continue;
    const std::size_t space = line.find(' ');
    std::string left, right;
    if (space == std::string::npos || !gpt2_bytes(line.substr(0, space), left) ||
        !gpt2_bytes(line.substr(space + 1), right) || !rank_of.count(left) || !rank_of.count(right))
      throw Error(cat(vocab_bpe.string(), ":", line_number, ": '", line,
                      "' is not a merge of two known tokens"));
    rank_of[left + right] = static_cast<int>(out.tokens.size());
    out.tokens.push_back(left + right);
  }
  for (auto& [text, id] : encoder.items()) {
    std::string bytes;
    const int expected = id.get<int>();
    auto known = gpt2_bytes(text, bytes) ? rank_of.find(bytes) : rank_of.end();
    if (known == rank_of.end()) {
      out.special_tokens.emplace_back(text, expected);
    } else if (known->second != expected) {
      throw Error(cat(encoder_json.string(), ": '", text, "' has id ", expected, " but ",
                      vocab_bpe.string(), " gives it rank ", known->second));
    }
  }
  return out;
}

}  // namespace forge::bpe
