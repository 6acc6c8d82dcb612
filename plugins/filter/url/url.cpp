// Filter `url`: drops documents by their URL: blocked registered domains (via the Public Suffix
// List), blocked hosts and their subdomains, banned words, enough soft-banned words, and banned
// substrings, as datatrove's URLFilter does.
#include "aho_corasick.h"
#include "lists.h"
#include "public_suffix.h"
#include "url_parts.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

using url::StringSet;

// The entries of one list: the file named by `file_key` (unset: the shipped `shipped_name`;
// ""; none) plus the inline `extra_key`, each passed through `normalize`.
std::vector<std::string> gather(const Config& config, std::string_view file_key,
                                std::string_view shipped_name, std::string_view extra_key,
                                std::string (*normalize)(std::string_view)) {
  std::filesystem::path file = config.has(file_key) ? std::filesystem::path(config.string(file_key))
                                                    : url::default_lists_folder() / shipped_name;
  std::vector<std::string> raw;
  if (!file.empty()) {
    try {
      raw = url::read_list(file);
    } catch (const Error& error) {
      config.fail(file_key, cat(error.what(), "; give an existing file, or \"\" for no list file"));
    }
  }
  for (const std::string& entry : config.strings(extra_key)) raw.push_back(entry);
  std::vector<std::string> entries;
  for (const std::string& entry : raw)
    if (std::string normalized = normalize(entry); !normalized.empty())
      entries.push_back(std::move(normalized));
  return entries;
}

// "*.Example.com." or "https://example.com/" as a list entry means the host example.com.
std::string normalize_host(std::string_view entry) {
  while (entry.starts_with("*.") || entry.starts_with(".")) entry.remove_prefix(1);
  if (std::count(entry.begin(), entry.end(), ':') >= 2 && entry.find('/') == std::string_view::npos)
    return url::host_of("[" + std::string(entry) + "]");  // a bare IPv6 address
  return url::host_of(entry);
}

StringSet to_set(std::vector<std::string> entries) {
  return StringSet(std::make_move_iterator(entries.begin()),
                   std::make_move_iterator(entries.end()));
}

struct Scratch {
  std::string lower;
  std::vector<std::string_view> words;
  std::vector<std::string_view> soft;
};

class UrlFilter : public Filter {
 public:
  explicit UrlFilter(const Config& config)
      : require_url_(config.boolean("require_url")),
        soft_threshold_(static_cast<std::size_t>(config.integer("soft_threshold"))),
        domains_(
            to_set(gather(config, "domain_list", "domains.txt", "extra_domains", normalize_host))),
        hosts_(to_set(gather(config, "host_list", "hosts.txt", "extra_hosts", normalize_host))),
        banned_words_(to_set(gather(config, "banned_words", "banned_words.txt",
                                    "extra_banned_words", url::squeeze))),
        soft_banned_words_(to_set(gather(config, "soft_banned_words", "soft_banned_words.txt",
                                         "extra_soft_banned_words", url::squeeze))),
        banned_subwords_(gather(config, "banned_subwords", "banned_subwords.txt",
                                "extra_banned_subwords", url::squeeze)) {
    if (!domains_.empty()) {
      try {
        suffixes_ = url::PublicSuffixList::load(config.string("public_suffix_list"),
                                                config.boolean("private_suffixes"));
      } catch (const Error& error) {
        config.fail("public_suffix_list", error.what());
      }
    }
  }

  Verdict apply(Document& document) const override {
    if (document.url.empty()) return require_url_ ? Verdict::drop("no_url") : Verdict::keep();
    if (!domains_.empty() || !hosts_.empty()) {
      std::string host = url::host_of(document.url);
      if (!host.empty()) {
        bool ip = url::is_ip_literal(host);
        if (!domains_.empty()) {
          std::string_view domain =
              ip ? std::string_view(host) : suffixes_->registered_domain(host);
          // A listed host that is not a registered domain (datatrove's fqdn check) counts too.
          if (domains_.contains(domain.empty() ? std::string_view(host) : domain) ||
              (domain != host && domains_.contains(host)))
            return Verdict::drop("blocked_domain");
        }
        if (blocked_host(host, ip)) return Verdict::drop("blocked_host");
      }
    }
    thread_local Scratch scratch;
    scratch.words.clear();
    url::url_words(document.url, scratch.lower, scratch.words);
    scratch.soft.clear();
    for (std::string_view word : scratch.words) {
      if (banned_words_.contains(word)) return Verdict::drop("banned_word");
      if (soft_banned_words_.contains(word) &&
          std::find(scratch.soft.begin(), scratch.soft.end(), word) == scratch.soft.end())
        scratch.soft.push_back(word);
    }
    if (!soft_banned_words_.empty() && scratch.soft.size() >= soft_threshold_)
      return Verdict::drop("soft_banned_words");
    if (!banned_subwords_.empty() && banned_subwords_.matches(url::squeeze(scratch.lower)))
      return Verdict::drop("banned_subword");
    return Verdict::keep();
  }

 private:
  // The host and every parent domain: a listed ads.example.com blocks x.ads.example.com.
  bool blocked_host(std::string_view host, bool ip) const {
    if (hosts_.empty()) return false;
    if (ip) return hosts_.contains(host);
    for (std::string_view rest = host;;) {
      if (hosts_.contains(rest)) return true;
      std::size_t dot = rest.find('.');
      if (dot == std::string_view::npos) return false;
      rest.remove_prefix(dot + 1);
    }
  }

  bool require_url_;
  std::size_t soft_threshold_;
  StringSet domains_;
  StringSet hosts_;
  StringSet banned_words_;
  StringSet soft_banned_words_;
  url::SubstringMatcher banned_subwords_;
  std::optional<url::PublicSuffixList> suffixes_;
};

std::vector<PluginInfo> plugins() {
  auto list_file = [](std::string name, std::string_view shipped, std::string_view what) {
    return param::string(std::move(name))
        .doc(cat("file of ", what, ", one per line, # comments; unset: the shipped url-lists/",
                 shipped, "; \"\": none"));
  };
  auto extra = [](std::string name, std::string_view what) {
    return param::string_list(std::move(name))
        .fallback(std::vector<std::string>{})
        .doc(cat(what, " added to the file's"));
  };
  Schema schema{
      param::boolean("require_url")
          .fallback(false)
          .doc("drop (no_url) documents without a URL; false keeps them"),
      list_file("domain_list", "domains.txt",
                "registered domains to drop (blocked_domain) with all their hosts"),
      extra("extra_domains", "registered domains"),
      list_file("host_list", "hosts.txt", "hosts to drop (blocked_host) with their subdomains"),
      extra("extra_hosts", "hosts"),
      list_file("banned_words", "banned_words.txt",
                "words that drop (banned_word) a URL having one as a word"),
      extra("extra_banned_words", "banned words"),
      list_file("soft_banned_words", "soft_banned_words.txt",
                "words that drop (soft_banned_words) a URL having soft_threshold of them"),
      extra("extra_soft_banned_words", "soft-banned words"),
      list_file("banned_subwords", "banned_subwords.txt",
                "strings that drop (banned_subword) a URL containing one, punctuation ignored"),
      extra("extra_banned_subwords", "banned substrings"),
      param::integer("soft_threshold")
          .fallback(2)
          .at_least(1)
          .doc("distinct soft-banned words that drop a URL"),
      param::string("public_suffix_list")
          .fallback("/usr/share/publicsuffix/public_suffix_list.dat")
          .doc("the Public Suffix List that defines registered domains (Debian: publicsuffix)"),
      param::boolean("private_suffixes")
          .fallback(false)
          .doc("also treat the list's private suffixes (github.io, blogspot.com) as public"),
  };
  return {describe_plugin<UrlFilter>(
      "url", "1.0", "Drops documents by URL: blocked domains and hosts, banned words",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
