#include "charset.h"

#include "text_decode.h"
#include "warc_record.h"

#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace forge::warc {
namespace {

struct Encoding {
  const char* name;   // canonical, as WHATWG spells it (lowercased)
  const char* iconv;  // glibc's name for the decoder; "" for the built-in ones
  std::initializer_list<const char*> labels;
};

// The WHATWG Encoding Standard's labels (plus a few common Windows aliases). Browsers decode
// latin1 and ascii as windows-1252, gb2312 with the GB18030 decoder, EUC-KR as windows-949 and
// Shift_JIS as windows-31j; the iconv names pick the same supersets.
constexpr Encoding kEncodings[] = {
    {"utf-8",
     "",
     {"unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8"}},
    {"windows-1252",
     "",
     {"ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
      "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
      "us-ascii", "windows-1252", "x-cp1252"}},
    {"iso-8859-2",
     "ISO-8859-2",
     {"csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
      "iso_8859-2:1987", "l2", "latin2"}},
    {"iso-8859-3",
     "ISO-8859-3",
     {"csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
      "iso_8859-3:1988", "l3", "latin3"}},
    {"iso-8859-4",
     "ISO-8859-4",
     {"csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
      "iso_8859-4:1988", "l4", "latin4"}},
    {"iso-8859-5",
     "ISO-8859-5",
     {"csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
      "iso_8859-5", "iso_8859-5:1988"}},
    {"iso-8859-6",
     "ISO-8859-6",
     {"arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
      "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
      "iso_8859-6", "iso_8859-6:1987"}},
    {"iso-8859-7",
     "ISO-8859-7",
     {"csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
      "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek"}},
    {"iso-8859-8",
     "ISO-8859-8",
     {"csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
      "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual"}},
    {"iso-8859-8-i", "ISO-8859-8", {"csiso88598i", "iso-8859-8-i", "logical"}},
    {"iso-8859-10",
     "ISO-8859-10",
     {"csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6"}},
    {"iso-8859-13", "ISO-8859-13", {"iso-8859-13", "iso8859-13", "iso885913"}},
    {"iso-8859-14", "ISO-8859-14", {"iso-8859-14", "iso8859-14", "iso885914"}},
    {"iso-8859-15",
     "ISO-8859-15",
     {"csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9"}},
    {"iso-8859-16", "ISO-8859-16", {"iso-8859-16"}},
    {"koi8-r", "KOI8-R", {"cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"}},
    {"koi8-u", "KOI8-U", {"koi8-ru", "koi8-u"}},
    {"macintosh", "MACINTOSH", {"csmacintosh", "mac", "macintosh", "x-mac-roman"}},
    {"windows-874",
     "CP874",
     {"dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874"}},
    {"windows-1250", "CP1250", {"cp1250", "windows-1250", "x-cp1250"}},
    {"windows-1251", "CP1251", {"cp1251", "windows-1251", "x-cp1251"}},
    {"windows-1253", "CP1253", {"cp1253", "windows-1253", "x-cp1253"}},
    {"windows-1254",
     "CP1254",
     {"cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
      "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254"}},
    {"windows-1255", "CP1255", {"cp1255", "windows-1255", "x-cp1255"}},
    {"windows-1256", "CP1256", {"cp1256", "windows-1256", "x-cp1256"}},
    {"windows-1257", "CP1257", {"cp1257", "windows-1257", "x-cp1257"}},
    {"windows-1258", "CP1258", {"cp1258", "windows-1258", "x-cp1258"}},
    {"x-mac-cyrillic", "MAC-CYRILLIC", {"x-mac-cyrillic", "x-mac-ukrainian"}},
    {"ibm866", "CP866", {"866", "cp866", "csibm866", "ibm866"}},
    {"gbk",
     "GB18030",
     {"chinese", "cp936", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
      "iso-ir-58", "ms936", "windows-936", "x-gbk"}},
    {"gb18030", "GB18030", {"gb18030"}},
    {"big5", "BIG5-HKSCS", {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"}},
    {"euc-jp", "EUC-JP-MS", {"cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"}},
    {"iso-2022-jp", "ISO-2022-JP", {"csiso2022jp", "iso-2022-jp"}},
    {"shift_jis",
     "CP932",
     {"cp932", "csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j",
      "x-sjis"}},
    {"euc-kr",
     "CP949",
     {"cp949", "cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987",
      "ks_c_5601-1989", "ksc5601", "ksc_5601", "uhc", "windows-949"}},
    {"utf-16be", "UTF-16BE", {"unicodefffe", "utf-16be"}},
    {"utf-16le",
     "UTF-16LE",
     {"csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff", "utf-16", "utf-16le"}},
};

const Encoding* find_encoding(std::string_view label) {
  static const std::unordered_map<std::string_view, const Encoding*> by_label = [] {
    std::unordered_map<std::string_view, const Encoding*> made;
    for (const Encoding& encoding : kEncodings)
      for (const char* name : encoding.labels) made.emplace(name, &encoding);
    return made;
  }();
  const auto found = by_label.find(label);
  return found == by_label.end() ? nullptr : found->second;
}

std::string normalize_label(std::string_view label) {
  label = trim(label);
  while (!label.empty() && (label.front() == '"' || label.front() == '\'')) label.remove_prefix(1);
  while (!label.empty() && (label.back() == '"' || label.back() == '\'')) label.remove_suffix(1);
  return lowercase(trim(label));
}

bool label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

std::size_t find_ascii_ci(std::string_view text, std::string_view needle, std::size_t from) {
  for (std::size_t i = from; i + needle.size() <= text.size(); ++i)
    if (iequals(text.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

// The value after `key` "=" in `text` (say charset=... inside a <meta> tag), quotes removed.
std::string value_after(std::string_view text, std::string_view key) {
  for (auto at = find_ascii_ci(text, key, 0); at != std::string_view::npos;
       at = find_ascii_ci(text, key, at + key.size())) {
    std::size_t i = at + key.size();
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '"' || text[i] == '\''))
      ++i;
    std::size_t end = i;
    while (end < text.size() && label_char(text[end])) ++end;
    if (end > i) return std::string(text.substr(i, end - i));
  }
  return {};
}

// A charset declared inside the document: an XML declaration, or <meta charset=...> and
// <meta http-equiv="Content-Type" content="...; charset=...">.
std::string declared_in_document(std::string_view head) {
  if (head.starts_with("<?xml")) {
    std::string found = value_after(head.substr(0, head.find("?>")), "encoding");
    if (!found.empty()) return found;
  }
  for (auto tag = find_ascii_ci(head, "<meta", 0); tag != std::string_view::npos;
       tag = find_ascii_ci(head, "<meta", tag + 5)) {
    std::string found = value_after(head.substr(tag, head.find('>', tag) - tag), "charset");
    if (!found.empty()) return found;
  }
  return {};
}

}  // namespace

std::string canonical_charset(std::string_view label) {
  const std::string normal = normalize_label(label);
  if (const Encoding* encoding = find_encoding(normal)) return encoding->name;
  // UTF-7 is refused as browsers refuse it: it smuggles markup past filters.
  if (normal.empty() || normal.size() > 40 || normal.starts_with("utf-7")) return {};
  for (char c : normal)
    if (!label_char(c)) return {};
  return iconv_available(normal) ? normal : std::string();
}

std::string detect_charset(std::string_view payload, std::string_view declared, bool html,
                           bool cut) {
  if (payload.starts_with("\xEF\xBB\xBF")) return "utf-8";
  if (payload.starts_with("\xFE\xFF")) return "utf-16be";
  if (payload.starts_with("\xFF\xFE")) return "utf-16le";
  if (std::string named = canonical_charset(declared); !named.empty()) return named;
  if (html) {
    std::string named = canonical_charset(declared_in_document(payload.substr(0, 4096)));
    // A document cannot really declare UTF-16 in ASCII bytes; browsers read it as UTF-8.
    if (named == "utf-16le" || named == "utf-16be") named = "utf-8";
    if (!named.empty()) return named;
  }
  const std::size_t valid = valid_utf8_prefix(payload);
  if (valid == payload.size() || (cut && payload.size() - valid < 4)) return "utf-8";
  return "windows-1252";
}

std::string decode_to_utf8(std::string&& payload, const std::string& charset, bool cut) {
  if (charset == "utf-8" || charset.empty()) {
    if (payload.starts_with("\xEF\xBB\xBF")) payload.erase(0, 3);
    return repair_utf8(std::move(payload), cut);
  }
  if (charset == "windows-1252") return decode_windows_1252(std::move(payload));
  std::string_view bytes = payload;
  if ((charset == "utf-16be" && bytes.starts_with("\xFE\xFF")) ||
      (charset == "utf-16le" && bytes.starts_with("\xFF\xFE")))
    bytes.remove_prefix(2);
  const Encoding* encoding = find_encoding(charset);
  std::string decoded;
  if (decode_with_iconv(encoding != nullptr ? encoding->iconv : lowercase(charset), bytes, cut,
                        decoded))
    return decoded;
  if (charset == "euc-jp" && decode_with_iconv("EUC-JP", bytes, cut, decoded)) return decoded;
  // No decoder on this system: keep what can be read rather than fail.
  return valid_utf8_prefix(payload) == payload.size() ? std::move(payload)
                                                      : decode_windows_1252(std::move(payload));
}

}  // namespace forge::warc
