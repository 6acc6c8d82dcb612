// Class and id names split into words ("relatedArticles-list" -> related, articles, list) and
// looked up in families of names. Whole words, a few prefixes and two-word compounds are
// matched, never bare substrings: "ad" must not fire on "header", "nav" must not on "canvas".
#include "cues.h"

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace forge::html {
namespace {

constexpr std::size_t kMaxWords = 48;
constexpr std::size_t kMaxWordLength = 31;

struct Words {
  std::array<std::array<char, kMaxWordLength + 1>, kMaxWords> text;
  std::array<std::uint8_t, kMaxWords> size;
  std::size_t count = 0;
  std::string_view operator[](std::size_t i) const { return {text[i].data(), size[i]}; }
};

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Words of a name: runs of ASCII letters and digits, split again where camelCase turns upper.
Words split_words(std::string_view value) {
  Words words;
  std::size_t length = 0;
  auto finish = [&] {
    if (length > 0 && length <= kMaxWordLength && words.count < kMaxWords) {
      words.size[words.count++] = static_cast<std::uint8_t>(length);
    }
    length = 0;
  };
  char previous = 0;
  for (char c : value) {
    bool letter = is_lower(c) || is_upper(c) || is_digit(c);
    if (!letter) {
      finish();
    } else {
      if (is_upper(c) && is_lower(previous)) finish();
      if (words.count == kMaxWords) break;
      if (length < kMaxWordLength) words.text[words.count][length] = is_upper(c) ? c + 32 : c;
      ++length;
    }
    previous = letter ? c : 0;
  }
  finish();
  return words;
}

struct WordCue {
  std::string_view word;
  std::uint32_t bits;
};

// Whole words.
constexpr WordCue kWords[] = {
    {"article", cue::positive | cue::maybe},
    {"content", cue::positive | cue::maybe},
    {"entry", cue::positive | cue::maybe},
    {"hentry", cue::positive | cue::maybe},
    {"post", cue::positive | cue::maybe},
    {"story", cue::positive | cue::maybe},
    {"text", cue::positive | cue::maybe},
    {"body", cue::positive | cue::maybe},
    {"main", cue::positive | cue::maybe},
    {"prose", cue::positive | cue::maybe},
    {"blog", cue::positive},
    {"column", cue::maybe},
    {"articlebody", cue::positive | cue::maybe | cue::body},
    {"articletext", cue::positive | cue::maybe | cue::body},
    {"articlecontent", cue::positive | cue::maybe | cue::body},
    {"storycontent", cue::positive | cue::maybe | cue::body},
    {"storybody", cue::positive | cue::maybe | cue::body},
    {"postcontent", cue::positive | cue::maybe | cue::body},
    {"postbody", cue::positive | cue::maybe | cue::body},
    {"entrycontent", cue::positive | cue::maybe | cue::body},
    {"bodytext", cue::positive | cue::maybe | cue::body},
    {"richtext", cue::positive | cue::maybe | cue::body},
    {"fulltext", cue::positive | cue::maybe | cue::body},
    {"respond", cue::comments},
    {"replies", cue::comments},
    {"reply", cue::comments},
    {"discussion", cue::comments},
    {"addthis", cue::share},
    {"sharethis", cue::share},
    {"sociable", cue::share},
    {"popular", cue::related},
    {"trending", cue::related},
    {"mostread", cue::related},
    {"readmore", cue::related},
    {"recirc", cue::related},
    {"recirculation", cue::related},
    {"outbrain", cue::related | cue::ad},
    {"taboola", cue::related | cue::ad},
    {"upnext", cue::related},
    {"ad", cue::ad},
    {"ads", cue::ad},
    {"adv", cue::ad},
    {"adsense", cue::ad},
    {"adslot", cue::ad},
    {"adunit", cue::ad},
    {"adbox", cue::ad},
    {"adwrap", cue::ad},
    {"adwrapper", cue::ad},
    {"adcontainer", cue::ad},
    {"dfp", cue::ad},
    {"skyscraper", cue::ad},
    {"commercial", cue::ad},
    {"pagination", cue::nav},
    {"pager", cue::nav},
    {"paging", cue::nav},
    {"toolbar", cue::nav},
    {"rail", cue::sidebar},
    {"aside", cue::sidebar},
    {"copyright", cue::footer},
    {"colophon", cue::footer},
    {"gdpr", cue::consent},
    {"signup", cue::subscribe},
    {"login", cue::subscribe},
    {"registration", cue::subscribe},
    {"tags", cue::tags},
    {"tag", cue::tags},
    {"taglist", cue::tags},
    {"tagcloud", cue::tags},
    {"keywords", cue::tags},
    {"bio", cue::author},
    {"biography", cue::author},
    {"meta", cue::minor},
    {"metadata", cue::minor},
    {"timestamp", cue::minor},
    {"dateline", cue::minor},
    {"date", cue::minor},
    {"time", cue::minor},
    {"published", cue::minor},
    {"posted", cue::minor},
    {"gallery", cue::caption},
    {"slideshow", cue::caption},
    {"carousel", cue::caption},
    {"sronly", cue::hidden},
    {"visuallyhidden", cue::hidden},
    {"screenreader", cue::hidden},
    {"offscreen", cue::hidden},
    {"invisible", cue::hidden},
    {"header", cue::header},
    {"masthead", cue::header},
    {"topbar", cue::header},
};

struct PrefixCue {
  std::string_view prefix;
  std::uint32_t bits;
  std::string_view except;  // a word with this prefix that is not in the family
};

// Word beginnings: comment, comments, commentlist ...
constexpr PrefixCue kPrefixes[] = {
    {"comment", cue::comments, "commentary"},
    {"disqus", cue::comments, ""},
    {"share", cue::share, ""},
    {"sharing", cue::share, ""},
    {"social", cue::share, ""},
    {"related", cue::related, ""},
    {"recommend", cue::related, ""},
    {"advert", cue::ad, ""},
    {"sponsor", cue::ad, ""},
    {"promo", cue::ad, ""},
    {"banner", cue::ad, ""},
    {"nav", cue::nav, ""},
    {"menu", cue::nav, ""},
    {"breadcrumb", cue::nav, ""},
    {"sidebar", cue::sidebar, ""},
    {"widget", cue::minor, ""},
    {"footer", cue::footer, ""},
    {"cookie", cue::consent, ""},
    {"consent", cue::consent, ""},
    {"newsletter", cue::subscribe, ""},
    {"subscri", cue::subscribe, ""},
    {"author", cue::author, "authority"},
    {"byline", cue::author, ""},
    {"caption", cue::caption, ""},
    {"credit", cue::caption, ""},
    {"modal", cue::popup, ""},
    {"popup", cue::popup, ""},
    {"overlay", cue::popup, ""},
    {"lightbox", cue::popup, ""},
};

struct PairCue {
  std::string_view first, second;
  std::uint32_t bits;
};

// Two adjacent words: article-body, entry_content, mostRead ...
constexpr PairCue kPairs[] = {
    {"article", "body", cue::body},      {"article", "content", cue::body},
    {"article", "text", cue::body},      {"entry", "content", cue::body},
    {"entry", "body", cue::body},        {"entry", "text", cue::body},
    {"post", "content", cue::body},      {"post", "body", cue::body},
    {"post", "text", cue::body},         {"post", "entry", cue::body},
    {"story", "body", cue::body},        {"story", "content", cue::body},
    {"story", "text", cue::body},        {"body", "text", cue::body},
    {"body", "copy", cue::body},         {"rich", "text", cue::body},
    {"field", "body", cue::body},        {"content", "body", cue::body},
    {"most", "read", cue::related},      {"most", "popular", cue::related},
    {"most", "viewed", cue::related},    {"read", "more", cue::related},
    {"also", "read", cue::related},      {"more", "stories", cue::related},
    {"up", "next", cue::related},        {"sign", "up", cue::subscribe},
    {"about", "author", cue::author},    {"sr", "only", cue::hidden},
    {"visually", "hidden", cue::hidden}, {"screen", "reader", cue::hidden},
    {"skip", "link", cue::nav},          {"top", "bar", cue::header},
};

// A bare "hidden" hides everywhere unless a screen size follows (Bootstrap's hidden-xs).
bool responsive(std::string_view next) {
  for (std::string_view size : {"xs", "sm", "md", "lg", "xl", "mobile", "tablet", "desktop",
                                "print", "phone", "small", "large"}) {
    if (next == size) return true;
  }
  return false;
}

// Lookup tables built once: whole words and two-word compounds hashed, prefixes bucketed by
// their first letter (class lists are long, and every element has one).
struct Tables {
  std::unordered_map<std::string_view, std::uint32_t> words;
  std::unordered_map<std::string, std::uint32_t> pairs;  // "first second"
  std::array<std::vector<const PrefixCue*>, 26> prefixes;

  Tables() {
    for (const WordCue& entry : kWords) words.emplace(entry.word, entry.bits);
    for (const PairCue& pair : kPairs) {
      pairs.emplace(std::string(pair.first) + ' ' + std::string(pair.second), pair.bits);
    }
    for (const PrefixCue& entry : kPrefixes) prefixes[entry.prefix[0] - 'a'].push_back(&entry);
  }
};

const Tables& tables() {
  static const Tables kTables;
  return kTables;
}

std::uint32_t word_cues(const Tables& table, std::string_view word) {
  std::uint32_t bits = 0;
  if (auto found = table.words.find(word); found != table.words.end()) bits |= found->second;
  if (word[0] >= 'a' && word[0] <= 'z') {
    for (const PrefixCue* entry : table.prefixes[static_cast<std::size_t>(word[0] - 'a')]) {
      if (word.starts_with(entry->prefix) && word != entry->except) bits |= entry->bits;
    }
  }
  return bits;
}

}  // namespace

std::uint32_t name_cues(std::string_view value) {
  if (value.empty()) return 0;
  const Words words = split_words(value);
  const Tables& table = tables();
  std::uint32_t bits = 0;
  std::string pair;
  for (std::size_t i = 0; i < words.count; ++i) {
    bits |= word_cues(table, words[i]);
    if (i + 1 < words.count) {
      pair.assign(words[i]).append(1, ' ').append(words[i + 1]);
      if (auto found = table.pairs.find(pair); found != table.pairs.end()) bits |= found->second;
    }
    if ((words[i] == "hidden" || words[i] == "hide") &&
        (i + 1 == words.count || !responsive(words[i + 1])) &&
        (i == 0 || (words[i - 1] != "no" && words[i - 1] != "label" && words[i - 1] != "title"))) {
      // Only a plain "hidden" (not "label-hidden", which hides a field's label, nor Tailwind's
      // "hidden md:block", shown on larger screens) hides the element itself.
      if (value.find(':') == std::string_view::npos) bits |= cue::hidden;
    }
  }
  // An embedded post (a tweet in the story, "social-embed") is quoted text, not a share bar.
  if (bits & cue::share) {
    for (std::size_t i = 0; i < words.count; ++i) {
      if (words[i] == "embed" || words[i] == "embedded" || words[i] == "tweet") {
        bits &= ~cue::share;
      }
    }
  }
  if (bits & cue::body) bits |= cue::positive | cue::maybe;
  return bits;
}

std::uint32_t role_cues(std::string_view value) {
  if (value == "navigation" || value == "menu" || value == "menubar" || value == "search")
    return cue::nav;
  if (value == "complementary") return cue::sidebar;
  if (value == "contentinfo") return cue::footer;
  if (value == "banner") return cue::header;
  if (value == "dialog" || value == "alertdialog") return cue::popup;
  if (value == "main" || value == "article") return cue::landmark_main | cue::maybe;
  return 0;
}

std::uint32_t itemprop_cues(std::string_view value) {
  if (value == "articleBody" || value == "reviewBody" || value == "articlebody")
    return cue::body | cue::positive | cue::maybe;
  return 0;
}

}  // namespace forge::html
