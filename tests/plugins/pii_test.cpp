#include <forge/error.h>
#include <forge/filter.h>

#include "support/test_support.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace forge {
namespace {

using test::make_plugin;

std::unique_ptr<Filter> pii(const std::string& options = "") {
  return make_plugin<Filter>("{plugin: pii" + (options.empty() ? "" : ", " + options) + "}");
}

struct Case {
  std::string text;
  std::string expected;  // the text after the filter; equal to `text` for a negative
};

void expect_cases(const std::vector<Case>& cases, const std::string& options = "") {
  auto filter = pii(options);
  for (const Case& test_case : cases) {
    Document document;
    document.text = test_case.text;
    Verdict verdict = filter->apply(document);
    EXPECT_EQ(document.text, test_case.expected) << test_case.text;
    EXPECT_EQ(verdict.action, test_case.expected == test_case.text ? Verdict::Action::keep
                                                                   : Verdict::Action::rewrite)
        << test_case.text;
  }
}

TEST(Pii, Emails) {
  expect_cases({
      {"write to john.doe@example.com today", "write to <EMAIL> today"},
      {"jane+news@mail.example.org", "<EMAIL>"},
      {"<a.b-c_d%e@sub.domain.co.uk>", "<<EMAIL>>"},
      {"mailto:info@example.io.", "mailto:<EMAIL>."},
      {"Contact: SALES@EXAMPLE.COM, support@example.net", "Contact: <EMAIL>, <EMAIL>"},
      {"(x1@a-b.example.museum)", "(<EMAIL>)"},
      {"first.last@example.travel;", "<EMAIL>;"},
      {"o'reilly@example.com", "o'<EMAIL>"},
      {"user@example.com\nadmin@example.com", "<EMAIL>\n<EMAIL>"},
      {"name@xn--bcher-kva.example", "<EMAIL>"},
      {"a@b.cd", "<EMAIL>"},
      // Negatives.
      {"user@localhost", "user@localhost"},
      {"follow @handle on social media", "follow @handle on social media"},
      {"john at example dot com", "john at example dot com"},
      {"foo@bar", "foo@bar"},
      {"x@y.c", "x@y.c"},
      {"first.last@ is incomplete", "first.last@ is incomplete"},
      {"a..b@example.com", "a..b@example.com"},
      {"user.@example.com", "user.@example.com"},
      {"user@-example.com", "user@-example.com"},
      {"user@example.c0m", "user@example.c0m"},
      {"@@example.com", "@@example.com"},
      {"price 5@3.99 each", "price 5@3.99 each"},
  });
}

TEST(Pii, IpAddresses) {
  expect_cases({
      {"server at 8.8.8.8 answered", "server at <IP_ADDRESS> answered"},
      {"from 203.0.114.7:443", "from <IP_ADDRESS>:443"},
      {"(1.1.1.1)", "(<IP_ADDRESS>)"},
      {"host 93.184.216.34.", "host <IP_ADDRESS>."},
      {"255.254.253.1? no: 11.22.33.44", "255.254.253.1? no: <IP_ADDRESS>"},
      {"ip=172.32.0.1", "ip=<IP_ADDRESS>"},
      {"IPv6 2001:4860:4860::8888 works", "IPv6 <IP_ADDRESS> works"},
      {"[2606:4700:4700::1111]:53", "[<IP_ADDRESS>]:53"},
      {"2a00:1450:4001:81b::200e.", "<IP_ADDRESS>."},
      {"full 2001:0db9:0000:0000:0000:ff00:0042:8329", "full <IP_ADDRESS>"},
      {"mapped ::ffff:8.8.4.4 here", "mapped <IP_ADDRESS> here"},
      // Negatives: private, loopback, link-local, documentation, reserved, not addresses.
      {"router 192.168.1.1", "router 192.168.1.1"},
      {"10.0.0.254 and 172.16.5.4", "10.0.0.254 and 172.16.5.4"},
      {"localhost 127.0.0.1", "localhost 127.0.0.1"},
      {"169.254.10.20 link-local", "169.254.10.20 link-local"},
      {"docs use 192.0.2.1 and 198.51.100.2 and 203.0.113.3",
       "docs use 192.0.2.1 and 198.51.100.2 and 203.0.113.3"},
      {"multicast 224.0.0.251, broadcast 255.255.255.255",
       "multicast 224.0.0.251, broadcast 255.255.255.255"},
      {"carrier-grade 100.64.1.1", "carrier-grade 100.64.1.1"},
      {"version 1.2.3.4 released", "version 1.2.3.4 released"},
      {"see Section 6.1.2.2, Stable Updates", "see Section 6.1.2.2, Stable Updates"},
      {"lookup 1.0.0.127.in-addr.arpa", "lookup 1.0.0.127.in-addr.arpa"},
      {"v1.2.3.4", "v1.2.3.4"},
      {"semver 2.14.3 and 1.2.3.4.5", "semver 2.14.3 and 1.2.3.4.5"},
      {"256.1.1.1 is too big", "256.1.1.1 is too big"},
      {"octal-looking 08.08.08.08", "octal-looking 08.08.08.08"},
      {"pi is 3.14159", "pi is 3.14159"},
      {"loopback ::1 and link fe80::1", "loopback ::1 and link fe80::1"},
      {"unique local fd12:3456:789a::1", "unique local fd12:3456:789a::1"},
      {"documentation 2001:db8::ff00:42:8329", "documentation 2001:db8::ff00:42:8329"},
      {"at 12:30:45 or 10:30", "at 12:30:45 or 10:30"},
      {"mac 00:1a:2b:3c:4d:5e", "mac 00:1a:2b:3c:4d:5e"},
      {"ratio 3:2, C++::std", "ratio 3:2, C++::std"},
      {"Sunday, 4 Jan 2004:: and 2002::/16", "Sunday, 4 Jan 2004:: and 2002::/16"},
      {"networks 2001:4860::/32 and 8.8.8.0/24", "networks 2001:4860::/32 and 8.8.8.0/24"},
      {"Contents\n12.1.1.1. Different RAID Levels", "Contents\n12.1.1.1. Different RAID Levels"},
  });
}

TEST(Pii, PhoneNumbers) {
  expect_cases({
      {"call (415) 555-2671 now", "call <PHONE> now"},
      {"415-555-2671", "<PHONE>"},
      {"415.555.2671.", "<PHONE>."},
      {"tel: 415 555 2671", "tel: <PHONE>"},
      {"+1 415 555 2671", "<PHONE>"},
      {"+1-800-555-0199 (toll free)", "<PHONE> (toll free)"},
      {"1-800-555-0199", "<PHONE>"},
      {"+14155552671", "<PHONE>"},
      {"+1 (212) 555-0100", "<PHONE>"},
      {"UK: +44 20 7946 0958", "UK: <PHONE>"},
      {"France +33 1 23 45 67 89", "France <PHONE>"},
      {"Berlin +49 (0) 30 1234567", "Berlin <PHONE>"},
      {"+4915112345678", "<PHONE>"},
      {"(212)555-0100", "<PHONE>"},
      // Negatives.
      {"order 123-456-7890", "order 123-456-7890"},
      {"service 911-555-1234 and 415-411-1234", "service 911-555-1234 and 415-411-1234"},
      {"plain 4155552671 digits", "plain 4155552671 digits"},
      {"mixed 415-555.2671", "mixed 415-555.2671"},
      {"date 2023-10-05 and 05/10/2023", "date 2023-10-05 and 05/10/2023"},
      {"price $415.55 or 1,234,567.89", "price $415.55 or 1,234,567.89"},
      {"ISBN 978-3-16-148410-0", "ISBN 978-3-16-148410-0"},
      {"zip 94105-1234", "zip 94105-1234"},
      {"score +5 points, +1.5%", "score +5 points, +1.5%"},
      {"short +44 20", "short +44 20"},
      {"too long +12345678901234567", "too long +12345678901234567"},
      {"415-555-26710", "415-555-26710"},
      {"A415-555-2671", "A415-555-2671"},
      {"C++11 and +3.14159265", "C++11 and +3.14159265"},
      {"fibonacci 233 377 610 987 1597", "fibonacci 233 377 610 987 1597"},
  });
}

TEST(Pii, SocialSecurityNumbers) {
  expect_cases({
      {"SSN 123-45-6789", "SSN <SSN>"},
      {"ssn: 078-05-1120.", "ssn: <SSN>."},
      {"(001-01-0001)", "(<SSN>)"},
      {"899-99-9999", "<SSN>"},
      {"665-12-3456", "<SSN>"},
      {"667-12-3456", "<SSN>"},
      {"spaced 219 09 9999", "spaced <SSN>"},
      {"no.\t512-34-5678,", "no.\t<SSN>,"},
      {"ids 234-56-7890 and 345-67-8901", "ids <SSN> and <SSN>"},
      {"\"456-78-9012\"", "\"<SSN>\""},
      // Negatives: the invalid ranges and look-alikes.
      {"000-12-3456", "000-12-3456"},
      {"666-12-3456", "666-12-3456"},
      {"900-12-3456 and 987-65-4321", "900-12-3456 and 987-65-4321"},
      {"123-00-4567", "123-00-4567"},
      {"123-45-0000", "123-45-0000"},
      {"mixed 123-45 6789", "mixed 123-45 6789"},
      {"123-45-67890", "123-45-67890"},
      {"1123-45-6789", "1123-45-6789"},
      {"part-123-45-6789", "part-123-45-6789"},
      {"123456789", "123456789"},
      {"12-345-6789", "12-345-6789"},
  });
}

TEST(Pii, PaymentCards) {
  expect_cases({
      {"visa 4111 1111 1111 1111 exp", "visa <CARD> exp"},
      {"4111-1111-1111-1111", "<CARD>"},
      {"4111111111111111.", "<CARD>."},
      {"mc 5555 5555 5555 4444", "mc <CARD>"},
      {"amex 3782 822463 10005", "amex <CARD>"},
      {"discover 6011111111111117", "discover <CARD>"},
      {"jcb 3530111333300000", "jcb <CARD>"},
      {"diners 3056 9309 0259 04", "diners <CARD>"},
      {"visa13 4222222222222", "visa13 <CARD>"},
      {"mc2 2223 0031 2200 3222", "mc2 <CARD>"},
      {"nineteen: 6011 0009 9013 9420 007", "nineteen: <CARD>"},
      // Negatives.
      {"bad luhn 4111 1111 1111 1112", "bad luhn 4111 1111 1111 1112"},
      {"all zeros 0000 0000 0000 0000", "all zeros 0000 0000 0000 0000"},
      {"repeated 4444 4444 4444 4444", "repeated 4444 4444 4444 4444"},
      {"12 digits 4111 1111 1111", "12 digits 4111 1111 1111"},
      {"20 digits 41111111111111111111", "20 digits 41111111111111111111"},
      {"mixed separators 4111 1111-1111 1111", "mixed separators 4111 1111-1111 1111"},
      {"leading 1: 1111 1111 1111 1117", "leading 1: 1111 1111 1111 1117"},
      {"order #79927398713", "order #79927398713"},
      {"timestamp 1700000000000", "timestamp 1700000000000"},
      {"x4111111111111111", "x4111111111111111"},
  });
}

TEST(Pii, CountsReplacementsInMetadata) {
  Document document;
  document.text = "a@example.com, b@example.com, 8.8.8.8, 415-555-2671, 123-45-6789";
  document.metadata["pii"] = {{"email", 1}};  // an earlier step's counts add up
  EXPECT_EQ(pii()->apply(document).action, Verdict::Action::rewrite);
  EXPECT_EQ(document.text, "<EMAIL>, <EMAIL>, <IP_ADDRESS>, <PHONE>, <SSN>");
  EXPECT_EQ(document.metadata["pii"],
            (nlohmann::json{{"email", 3}, {"ip_address", 1}, {"phone", 1}, {"ssn", 1}}));

  Document clean;
  clean.text = "nothing personal here, version 1.2.3";
  EXPECT_EQ(pii()->apply(clean).action, Verdict::Action::keep);
  EXPECT_FALSE(clean.metadata.contains("pii"));
}

TEST(Pii, KindsAndPlaceholdersAreConfigurable) {
  expect_cases({{"mail a@example.com or call 415-555-2671", "mail a@example.com or call [tel]"}},
               "kinds: [phone], placeholders: {phone: '[tel]'}");
  expect_cases({{"a@example.com 8.8.8.8", "<EMAIL> 8.8.8.8"}}, "kinds: [email]");
  expect_cases({{"a@example.com 8.8.8.8", "a@example.com 8.8.8.8"}}, "kinds: []");
  EXPECT_THROW(pii("kinds: [email, passport]"), Error);
  EXPECT_THROW(pii("placeholders: {fax: X}"), Error);
}

TEST(Pii, ScansLargeTextsQuickly) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "Plain prose with numbers like 42, 3.14 and 2023-10-05 but nothing personal. ";
  text += "Reach me at me@example.com.";
  Document document;
  document.text = text;
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(pii()->apply(document).action, Verdict::Action::rewrite);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(seconds, 0.5) << "1.5 MB should take milliseconds";
  EXPECT_TRUE(document.text.ends_with("Reach me at <EMAIL>."));
}

}  // namespace
}  // namespace forge
