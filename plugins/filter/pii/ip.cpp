#include "scan.h"

#include <array>

namespace forge::pii {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

bool is_alnum(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

int hex_value(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

using Bytes = std::array<std::uint8_t, 16>;

// Up to `limit` 16-bit groups of "h:h:h" (and a final dotted IPv4 when `last` allows it) into
// `groups`; returns how many groups were read, or -1 when malformed.
int parse_groups(std::string_view text, bool last, std::array<std::uint16_t, 8>& groups) {
  int count = 0;
  if (text.empty()) return 0;
  std::size_t i = 0;
  while (true) {
    std::size_t colon = text.find(':', i);
    std::string_view group = text.substr(i, colon == std::string_view::npos ? colon : colon - i);
    if (group.find('.') != std::string_view::npos) {
      auto v4 = last && colon == std::string_view::npos ? parse_ipv4(group) : std::nullopt;
      if (!v4 || count > 6) return -1;
      groups[count++] = static_cast<std::uint16_t>(*v4 >> 16);
      groups[count++] = static_cast<std::uint16_t>(*v4 & 0xFFFF);
      return count;
    }
    if (group.empty() || group.size() > 4 || count >= 8) return -1;
    std::uint16_t value = 0;
    for (char c : group) {
      if (!is_hex(c)) return -1;
      value = static_cast<std::uint16_t>(value * 16 + hex_value(c));
    }
    groups[count++] = value;
    if (colon == std::string_view::npos) return count;
    i = colon + 1;
  }
}

std::optional<Bytes> parse_ipv6(std::string_view text) {
  std::array<std::uint16_t, 8> head{}, tail{};
  std::size_t gap = text.find("::");
  int head_count = 0, tail_count = 0;
  if (gap == std::string_view::npos) {
    head_count = parse_groups(text, true, head);
    if (head_count != 8) return std::nullopt;
  } else {
    if (text.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    head_count = parse_groups(text.substr(0, gap), false, head);
    tail_count = parse_groups(text.substr(gap + 2), true, tail);
    if (head_count < 0 || tail_count < 0 || head_count + tail_count > 7) return std::nullopt;
  }
  // "2004::" is more often a year before a literal block marker than an address.
  if (head_count + tail_count < 3) return std::nullopt;
  std::array<std::uint16_t, 8> groups{};
  for (int k = 0; k < head_count; ++k) groups[k] = head[k];
  for (int k = 0; k < tail_count; ++k) groups[8 - tail_count + k] = tail[k];
  Bytes bytes{};
  for (int k = 0; k < 8; ++k) {
    bytes[2 * k] = static_cast<std::uint8_t>(groups[k] >> 8);
    bytes[2 * k + 1] = static_cast<std::uint8_t>(groups[k] & 0xFF);
  }
  return bytes;
}

bool is_public_ipv6(const Bytes& b) {
  bool mapped = true;  // ::ffff:a.b.c.d
  for (int k = 0; k < 10; ++k) mapped = mapped && b[k] == 0;
  if (mapped && b[10] == 0xFF && b[11] == 0xFF)
    return is_public_ipv4(static_cast<std::uint32_t>(b[12]) << 24 | b[13] << 16 | b[14] << 8 |
                          b[15]);
  if ((b[0] & 0xE0) != 0x20) return false;  // only 2000::/3 is global unicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false;  // 2001:db8::/32
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] < 0x02) return false;  // 2001::/23, IETF protocols
  if (b[0] == 0x3F && b[1] == 0xFF && (b[2] & 0xF0) == 0) return false;  // 3fff::/20, docs
  return true;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
  std::uint32_t address = 0;
  int octets = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    unsigned value = 0;
    while (i < text.size() && i - start < 4 && text[i] >= '0' && text[i] <= '9')
      value = value * 10 + static_cast<unsigned>(text[i++] - '0');
    std::size_t digits = i - start;
    if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[start] == '0'))
      return std::nullopt;
    address = address << 8 | value;
    if (++octets == 4) break;
    if (i >= text.size() || text[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != text.size()) return std::nullopt;
  return address;
}

bool is_public_ipv4(std::uint32_t a) {
  auto in = [a](std::uint32_t base, int bits) {
    return (a >> (32 - bits)) == (base >> (32 - bits));
  };
  return !(in(0x00000000, 8) || in(0x0A000000, 8) || in(0x64400000, 10) || in(0x7F000000, 8) ||
           in(0xA9FE0000, 16) || in(0xAC100000, 12) || in(0xC0000000, 24) || in(0xC0000200, 24) ||
           in(0xC0586300, 24) || in(0xC0A80000, 16) || in(0xC6120000, 15) || in(0xC6336400, 24) ||
           in(0xCB007100, 24) || in(0xE0000000, 4) || in(0xF0000000, 4));
}

void scan_ipv6(std::string_view text, std::vector<Match>& out) {
  auto in_run = [](char c) { return is_hex(c) || c == ':' || c == '.'; };
  std::size_t taken = 0;
  for (std::size_t colon = text.find(':'); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    if (colon < taken) continue;
    std::size_t begin = colon, end = colon;
    while (begin > taken && in_run(text[begin - 1])) --begin;
    while (end < text.size() && in_run(text[end])) ++end;
    taken = end;
    if (begin > 0 && (is_alnum(text[begin - 1]) || text[begin - 1] == '_')) continue;
    if (end < text.size() && (is_alnum(text[end]) || text[end] == '_')) continue;
    if (end < text.size() && text[end] == '/') continue;  // a network (2001:db8::/32), not a host
    // A sentence may end right after the address, and a label's colon may precede it.
    while (end > begin && text[end - 1] == '.') --end;
    if (end - begin >= 2 && text[end - 1] == ':' && text[end - 2] != ':') --end;
    while (begin < end && text[begin] == '.') ++begin;
    if (text.substr(begin, end - begin).find(':') == std::string_view::npos) continue;
    if (auto bytes = parse_ipv6(text.substr(begin, end - begin)); bytes && is_public_ipv6(*bytes))
      out.push_back({begin, end, Kind::ip_address});
  }
}

}  // namespace forge::pii
