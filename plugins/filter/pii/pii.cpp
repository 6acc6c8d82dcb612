// Filter `pii`: replaces email addresses, public IP addresses, phone numbers, US social security
// numbers and payment card numbers with placeholders, and counts what it replaced in the
// document's metadata (pii: {email: 2, phone: 1}).
#include "scan.h"

#include <forge/error.h>
#include <forge/filter.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace forge {
namespace {

using pii::Kind;
using pii::kKindNames;
using pii::kKinds;

constexpr std::array<const char*, kKinds> kDefaultPlaceholders{"<EMAIL>", "<IP_ADDRESS>", "<PHONE>",
                                                               "<SSN>", "<CARD>"};

struct Scratch {
  std::vector<pii::Match> matches;
  std::string out;
};

class Pii : public Filter {
 public:
  explicit Pii(const Config& config) {
    for (const std::string& name : config.strings("kinds")) {
      auto it = std::find(kKindNames.begin(), kKindNames.end(), name);
      wanted_[it - kKindNames.begin()] = true;  // the schema admits known names only
    }
    Config placeholders = config.section("placeholders");
    for (std::size_t k = 0; k < kKinds; ++k)
      placeholders_[k] = placeholders.string(std::string(kKindNames[k]));
  }

  Verdict apply(Document& document) const override {
    const std::string_view text = document.text;
    thread_local Scratch scratch;
    scratch.matches.clear();
    if (want(Kind::email)) pii::scan_emails(text, scratch.matches);
    if (want(Kind::ip_address)) pii::scan_ipv6(text, scratch.matches);
    if (want(Kind::ip_address) || want(Kind::phone) || want(Kind::ssn) || want(Kind::card))
      pii::scan_numbers(text, wanted_, scratch.matches);
    if (scratch.matches.empty()) return Verdict::keep();

    // Earlier spans win, then longer ones; a span overlapping a kept one is dropped.
    std::sort(scratch.matches.begin(), scratch.matches.end(), [](const auto& a, const auto& b) {
      return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
    });
    std::array<int, kKinds> counts{};
    scratch.out.clear();
    std::size_t copied = 0;
    for (const pii::Match& match : scratch.matches) {
      if (match.begin < copied) continue;
      scratch.out.append(text.substr(copied, match.begin - copied));
      scratch.out.append(placeholders_[static_cast<std::size_t>(match.kind)]);
      copied = match.end;
      ++counts[static_cast<std::size_t>(match.kind)];
    }
    scratch.out.append(text.substr(copied));
    document.text.swap(scratch.out);

    nlohmann::json& tally = document.metadata["pii"];
    if (!tally.is_object()) tally = nlohmann::json::object();
    for (std::size_t k = 0; k < kKinds; ++k) {
      if (counts[k] == 0) continue;
      nlohmann::json& slot = tally[std::string(kKindNames[k])];
      slot = (slot.is_number_integer() ? slot.get<int>() : 0) + counts[k];
    }
    return Verdict::rewritten();
  }

 private:
  bool want(Kind kind) const { return wanted_[static_cast<std::size_t>(kind)]; }

  pii::KindSet wanted_{};
  std::array<std::string, kKinds> placeholders_;
};

std::vector<PluginInfo> plugins() {
  std::vector<std::string> names(kKindNames.begin(), kKindNames.end());
  Schema placeholders;
  for (std::size_t k = 0; k < kKinds; ++k)
    placeholders.add(param::string(std::string(kKindNames[k]))
                         .fallback(kDefaultPlaceholders[k])
                         .doc(cat("what replaces each ", kKindNames[k])));
  Schema schema{
      param::string_list("kinds").fallback(names).one_of(names).doc(
          "what to replace: email, ip_address (public IPv4/IPv6), phone (North American "
          "and +CC), ssn (US), card (Luhn-valid)"),
      param::section("placeholders", std::move(placeholders))
          .fallback_yaml(Node::map())
          .doc("the text put in place of each kind"),
  };
  return {describe_plugin<Pii>(
      "pii", "1.0",
      "Replaces emails, public IPs, phone, social security and card numbers with placeholders",
      std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
