#include "scan.h"

namespace forge::pii {
namespace {

bool is_alnum(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

bool is_local(char c) {
  return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

// The end of the domain that starts at `start`, or `start` when there is none.
std::size_t domain_end(std::string_view text, std::size_t start) {
  std::size_t end = start;
  std::size_t labels = 0;
  std::size_t last_label = start;
  std::size_t i = start;
  while (i < text.size()) {
    std::size_t label = i;
    while (i < text.size() && (is_alnum(text[i]) || text[i] == '-')) ++i;
    if (i == label || text[label] == '-' || text[i - 1] == '-') break;
    ++labels;
    last_label = label;
    end = i;
    if (i + 1 < text.size() && text[i] == '.' && is_alnum(text[i + 1])) {
      ++i;
      continue;
    }
    break;
  }
  if (labels < 2 || end - last_label < 2) return start;
  for (std::size_t k = last_label; k < end; ++k)
    if (!((text[k] | 0x20) >= 'a' && (text[k] | 0x20) <= 'z')) return start;
  return end;
}

}  // namespace

void scan_emails(std::string_view text, std::vector<Match>& out) {
  std::size_t taken = 0;  // matches never overlap
  for (std::size_t at = text.find('@'); at != std::string_view::npos; at = text.find('@', at + 1)) {
    if (at < taken || at == 0) continue;
    std::size_t begin = at;
    while (begin > taken && is_local(text[begin - 1])) --begin;
    while (begin < at && text[begin] == '.') ++begin;
    if (begin == at || text[at - 1] == '.') continue;
    if (text.substr(begin, at - begin).find("..") != std::string_view::npos) continue;
    std::size_t end = domain_end(text, at + 1);
    if (end == at + 1) continue;
    if (end < text.size() && (text[end] == '@' || text[end] == '_')) continue;
    out.push_back({begin, end, Kind::email});
    taken = end;
  }
}

}  // namespace forge::pii
