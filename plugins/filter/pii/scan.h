#pragma once

// Hand-written scanners for personal data in text. Each appends the spans it finds; they are
// conservative: a span must have the exact shape of its kind and stand apart from neighbouring
// letters and digits.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace forge::pii {

enum class Kind { email, ip_address, phone, ssn, card };
inline constexpr std::array<std::string_view, 5> kKindNames{"email", "ip_address", "phone", "ssn",
                                                            "card"};
inline constexpr std::size_t kKinds = kKindNames.size();

struct Match {
  std::size_t begin = 0, end = 0;
  Kind kind = Kind::email;
};

// Which kinds to look for, indexed by Kind.
using KindSet = std::array<bool, kKinds>;

// local@domain.tld: local part of letters, digits and . _ % + - (no leading, trailing or double
// dot), at least two domain labels, a top-level label of two or more letters.
void scan_emails(std::string_view text, std::vector<Match>& out);

// IPv6 addresses in global unicast space (2000::/3, less the documentation and IETF blocks),
// and IPv4-mapped ones whose IPv4 address is public.
void scan_ipv6(std::string_view text, std::vector<Match>& out);

// Digit-led shapes: public IPv4 addresses, SSNs, payment cards, phone numbers.
void scan_numbers(std::string_view text, const KindSet& kinds, std::vector<Match>& out);

// a.b.c.d with decimal octets 0..255 and no leading zeros; nothing when malformed.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);
// False for private, loopback, link-local, shared, documentation, benchmark, multicast and
// reserved ranges (RFC 6890).
bool is_public_ipv4(std::uint32_t address);

}  // namespace forge::pii
