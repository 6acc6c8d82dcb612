#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

const char* kSystemSuffixList = "/usr/share/publicsuffix/public_suffix_list.dat";

// A Public Suffix List small enough to reason about, with each kind of rule.
std::string suffix_list() {
  static const std::string file = [] {
    auto path = test::temp_dir("url-filter") / "suffixes.dat";
    test::write_text(path,
                     "// ===BEGIN ICANN DOMAINS===\ncom\nnet\nuk\nco.uk\nck\n*.ck\n!www.ck\n"
                     "// ===END ICANN DOMAINS===\n// ===BEGIN PRIVATE DOMAINS===\ngithub.io\n"
                     "// ===END PRIVATE DOMAINS===\n");
    return path.string();
  }();
  return file;
}

// The filter with the small suffix list and no list files, unless `options` say otherwise.
std::unique_ptr<Filter> url_filter(const std::string& options) {
  std::string yaml = "{plugin: url";
  auto names = [&](const std::string& key) {
    return options.starts_with(key + ":") || options.find(" " + key + ":") != std::string::npos;
  };
  if (!names("public_suffix_list")) yaml += ", public_suffix_list: '" + suffix_list() + "'";
  for (std::string key :
       {"domain_list", "host_list", "banned_words", "soft_banned_words", "banned_subwords"})
    if (!names(key)) yaml += ", " + key + ": ''";
  return make_plugin<Filter>(yaml + (options.empty() ? "" : ", " + options) + "}");
}

struct Case {
  std::string url;
  std::string reason;  // "" keeps the document
};

void expect_cases(const std::string& options, const std::vector<Case>& cases) {
  auto filter = url_filter(options);
  for (const Case& test_case : cases) {
    Document document;
    document.text = "some text";
    document.url = test_case.url;
    Verdict verdict = filter->apply(document);
    EXPECT_EQ(verdict.action,
              test_case.reason.empty() ? Verdict::Action::keep : Verdict::Action::drop)
        << options << " / " << test_case.url;
    EXPECT_EQ(verdict.reason, test_case.reason) << options << " / " << test_case.url;
  }
}

TEST(UrlFilter, RegisteredDomains) {
  expect_cases("extra_domains: [example.co.uk, bad.com, '*.worse.net', 'https://x.ck/']",
               {
                   {"https://example.co.uk/page", "blocked_domain"},
                   {"http://forums.example.co.uk/t/1", "blocked_domain"},
                   {"HTTPS://User:pw@WWW.Example.CO.UK.:8443/x?y#z", "blocked_domain"},
                   {"//cdn.bad.com/lib.js", "blocked_domain"},
                   {"bad.com/no-scheme", "blocked_domain"},
                   {"https://a.b.worse.net", "blocked_domain"},
                   {"https://notbad.com/", ""},
                   {"https://bad.com.evil.net/", ""},  // registered domain evil.net
                   {"https://co.uk/", ""},             // a public suffix, not a domain
                   {"https://other.co.uk/example.co.uk", ""},
                   // *.ck makes x.ck a suffix, so www.x.ck is a registered domain ...
                   {"https://www.x.ck/", ""},
                   // ... but the listed x.ck matches as a host (datatrove's fqdn check).
                   {"https://x.ck/", "blocked_domain"},
               });
  // !www.ck: www.ck is a registered domain under ck despite *.ck.
  expect_cases("extra_domains: [www.ck, foo.bar.ck]",
               {
                   {"https://www.ck/", "blocked_domain"},
                   {"https://a.www.ck/", "blocked_domain"},
                   {"https://foo.bar.ck/", "blocked_domain"},
                   {"https://x.foo.bar.ck/", "blocked_domain"},
                   {"https://bar.ck/", ""},
               });
}

TEST(UrlFilter, PrivateSuffixesAreOptIn) {
  expect_cases("extra_domains: [github.io]", {{"https://alice.github.io/blog", "blocked_domain"}});
  expect_cases("extra_domains: [github.io], private_suffixes: true",
               {{"https://alice.github.io/blog", ""}});
  expect_cases(
      "extra_domains: [alice.github.io], private_suffixes: true",
      {{"https://alice.github.io/blog", "blocked_domain"}, {"https://bob.github.io/", ""}});
}

TEST(UrlFilter, HostsMatchWithTheirSubdomains) {
  expect_cases("extra_hosts: [ads.example.com, 203.0.113.9]",
               {
                   {"http://ads.example.com/banner", "blocked_host"},
                   {"http://x.y.ads.example.com/", "blocked_host"},
                   {"http://user@ADS.example.com:8080", "blocked_host"},
                   {"http://badads.example.com/", ""},
                   {"http://example.com/ads.example.com", ""},
                   {"http://203.0.113.9/index.html", "blocked_host"},
               });
  expect_cases(
      "extra_domains: ['203.0.113.9', '::1']",
      {{"http://203.0.113.9:80/", "blocked_domain"}, {"http://[::1]:8080/", "blocked_domain"}});
}

TEST(UrlFilter, BannedWordsSoftWordsAndSubwords) {
  expect_cases(
      "extra_banned_words: [porn, Free-Bets], extra_soft_banned_words: [hot, girls, "
      "cams], extra_banned_subwords: [casino]",
      {
          {"https://example.com/free-porn-videos", "banned_word"},
          {"https://EXAMPLE.com/PORN/", "banned_word"},
          {"https://example.com/freebets", "banned_word"},  // entries are squeezed
          {"https://example.com/pornography-research", ""},
          {"https://example.com/hot-girls", "soft_banned_words"},
          {"https://example.com/hot/cams/index", "soft_banned_words"},
          {"https://example.com/hot-hot-hot", ""},  // one distinct word
          {"https://example.com/hot-chocolate", ""},
          {"https://my-casino-guide.example/", "banned_subword"},
          {"https://example.com/ca.sino", "banned_subword"},  // punctuation ignored
          {"https://example.com/cas", ""},
      });
  expect_cases("extra_soft_banned_words: [hot, girls, cams], soft_threshold: 3",
               {{"https://example.com/hot-girls", ""},
                {"https://example.com/hot-girls-cams", "soft_banned_words"}});
}

TEST(UrlFilter, SubwordsFindEveryPatternInOnePass) {
  // Overlapping patterns, a pattern inside another, and one ending where another starts.
  expect_cases("extra_banned_subwords: [abcd, bc, cdef, xyz9, '12']",
               {
                   {"https://abxbcx.example/", "banned_subword"},
                   {"https://zzcdezz.example/", ""},
                   {"https://zzcdefzz.example/", "banned_subword"},
                   {"https://qxyz9q.example/", "banned_subword"},
                   {"https://a1b2.example/1-2", "banned_subword"},
                   {"https://ab.example/cd", ""},  // squeezed: abexamplecd
               });
}

TEST(UrlFilter, DocumentsWithoutUrl) {
  expect_cases("extra_banned_words: [porn]", {{"", ""}});
  expect_cases("require_url: true", {{"", "no_url"}, {"https://example.com/", ""}});
}

TEST(UrlFilter, ListFiles) {
  auto dir = test::temp_dir("url-filter-lists");
  test::write_text(dir / "domains.txt", "# comment\n\n  Example.org  \n*.spam.net\n");
  test::write_text(dir / "words.txt", "# banned\ncasino\n");
  expect_cases("domain_list: '" + (dir / "domains.txt").string() + "', banned_words: '" +
                   (dir / "words.txt").string() + "', extra_domains: [extra.com]",
               {
                   {"https://www.example.org/", "blocked_domain"},
                   {"https://a.spam.net/", "blocked_domain"},
                   {"https://extra.com/", "blocked_domain"},
                   {"https://example.com/casino/", "banned_word"},
                   {"https://example.com/", ""},
               });
  try {
    url_filter("banned_words: '" + (dir / "missing.txt").string() + "'");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    std::string message = error.what();
    EXPECT_NE(message.find("banned_words"), std::string::npos) << message;
    EXPECT_NE(message.find("missing.txt"), std::string::npos) << message;
  }
  try {
    url_filter("extra_domains: [a.com], public_suffix_list: '" + (dir / "none.dat").string() + "'");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("publicsuffix"), std::string::npos) << error.what();
  }
  EXPECT_THROW(url_filter("soft_threshold: 0"), Error);
}

TEST(UrlFilter, ShippedListsAndTheSystemSuffixList) {
  if (!std::filesystem::exists(kSystemSuffixList))
    GTEST_SKIP() << "Debian's publicsuffix package is not installed";
  auto filter = make_plugin<Filter>("{plugin: url}");
  const std::vector<Case> cases = {
      {"https://www.xvideos.com/video123", "blocked_domain"},
      {"https://pagead2.googlesyndication.com/pagead/show_ads.js", "blocked_host"},
      {"https://example.com/hentai/gallery", "banned_word"},
      {"https://example.com/hot-sexy-girls", "soft_banned_words"},
      {"https://bestpornsites.example.com/", "banned_subword"},
      {"https://forums.bbc.co.uk/thread/1", ""},
      {"https://en.wikipedia.org/wiki/Sex_education", ""},
      {"https://www.gutenberg.org/ebooks/10", ""},
  };
  for (const Case& test_case : cases) {
    Document document;
    document.url = test_case.url;
    EXPECT_EQ(filter->apply(document).reason, test_case.reason) << test_case.url;
  }
}

}  // namespace
}  // namespace forge
