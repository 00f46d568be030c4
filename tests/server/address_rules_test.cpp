// Unit tests of the allow and deny lists: who gets in, and rule files read line by line.
#include "server/address_rules.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <string>

using server::AddressRules;
using List = AddressRules::List;

namespace {

void add(AddressRules& rules, List list, std::string_view text) {
  std::string why;
  const auto rule = server::parseCidrRule(text, why);
  BOOST_REQUIRE_MESSAGE(rule, why);
  BOOST_REQUIRE(rules.add(list, *rule,
                          (list == List::Allow ? "--allow " : "--deny ") + std::string(text), why));
}

server::AccessVerdict judge(const AddressRules& rules, std::string_view address) {
  const auto parsed = server::parseIpAddress(address);
  BOOST_REQUIRE(parsed);
  return rules.judge(*parsed);
}

// Loads `text` as a rule file; returns the problem, or "" when it loaded.
std::string loadText(AddressRules& rules, List list, std::string_view text) {
  std::string why;
  const bool ok = rules.addText(list, text, "rules.txt", why);
  BOOST_TEST(ok == why.empty());
  return why;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(address_rules)

BOOST_AUTO_TEST_CASE(without_rules_everyone_gets_in) {
  const AddressRules rules;
  BOOST_TEST(rules.empty());
  BOOST_TEST(judge(rules, "203.0.113.9").allowed);
  BOOST_TEST(judge(rules, "::1").allowed);
}

BOOST_AUTO_TEST_CASE(with_an_allow_rule_only_matching_addresses_get_in) {
  AddressRules rules;
  add(rules, List::Allow, "192.168.1.0/24");
  BOOST_TEST(judge(rules, "192.168.1.77").allowed);
  const auto refused = judge(rules, "192.168.2.1");
  BOOST_TEST(!refused.allowed);
  BOOST_TEST(refused.why == "address not allowed (no --allow rule matches)");
  BOOST_TEST(!judge(rules, "::1").allowed);
}

BOOST_AUTO_TEST_CASE(deny_wins_over_allow_and_names_its_rule) {
  AddressRules rules;
  add(rules, List::Allow, "203.0.113.0/24");
  add(rules, List::Deny, "203.0.113.9");
  BOOST_TEST(judge(rules, "203.0.113.8").allowed);
  const auto refused = judge(rules, "203.0.113.9");
  BOOST_TEST(!refused.allowed);
  BOOST_TEST(refused.why == "address not allowed (--deny 203.0.113.9)");
}

BOOST_AUTO_TEST_CASE(deny_alone_lets_everyone_else_in) {
  AddressRules rules;
  add(rules, List::Deny, "2001:db8::/32");
  BOOST_TEST(!judge(rules, "2001:db8::5").allowed);
  BOOST_TEST(judge(rules, "2001:db9::5").allowed);
  BOOST_TEST(judge(rules, "10.0.0.1").allowed);
}

BOOST_AUTO_TEST_CASE(mapped_address_meets_ipv4_rules) {
  AddressRules rules;
  add(rules, List::Deny, "127.0.0.2");
  BOOST_TEST(!judge(rules, "::ffff:127.0.0.2").allowed);
  BOOST_TEST(judge(rules, "::ffff:127.0.0.3").allowed);
}

BOOST_AUTO_TEST_CASE(rule_file_takes_comments_blank_lines_and_crlf) {
  AddressRules rules;
  BOOST_TEST(loadText(rules, List::Deny,
                      "# blocked\n\n  203.0.113.0/24  # a whole network\r\n\t2001:db8::1\n"
                      "198.51.100.7") == "");
  const auto refused = judge(rules, "203.0.113.77");
  BOOST_TEST(refused.why == "address not allowed (--denyfile rules.txt line 3: 203.0.113.0/24)");
  BOOST_TEST(!judge(rules, "2001:db8::1").allowed);
  BOOST_TEST(!judge(rules, "198.51.100.7").allowed);  // the last line needs no newline
  BOOST_TEST(judge(rules, "198.51.100.8").allowed);
}

BOOST_AUTO_TEST_CASE(bad_line_names_the_file_and_the_line) {
  AddressRules rules;
  BOOST_TEST(loadText(rules, List::Allow, "10.0.0.0/8\n# fine\n10.0.0.0/40\n") ==
             "--allowfile rules.txt line 3: the prefix length after '/' must be a whole number "
             "from 0 to 32, not '40'");
  BOOST_TEST(loadText(rules, List::Deny, "\n\nexample.com\n") ==
             "--denyfile rules.txt line 3: 'example.com' is not an IPv4 or IPv6 address");
  BOOST_TEST(loadText(rules, List::Deny, "10.0.0.1 10.0.0.2\n").find("line 1:") !=
             std::string::npos);
  BOOST_TEST(loadText(rules, List::Deny, std::string(server::kMaxRuleLineBytes + 1, ' '))
                 .find("line 1: longer than") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rule_count_is_bounded) {
  AddressRules rules;
  std::string text;
  for (std::size_t i = 0; i < server::kMaxAddressRules; ++i) {
    text += "10." + std::to_string(i / 65536 % 256) + "." + std::to_string(i / 256 % 256) + "." +
            std::to_string(i % 256) + "\n";
  }
  BOOST_TEST(loadText(rules, List::Deny, text) == "");
  const std::string why = loadText(rules, List::Allow, "192.0.2.1\n");
  BOOST_TEST(why.find("line 1: more than 10000") != std::string::npos, why);
}

BOOST_AUTO_TEST_CASE(rule_file_is_read_from_disk_and_a_missing_one_is_named) {
  const std::string path = "address_rules_test_rules.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "127.0.0.2\n";
  }
  AddressRules rules;
  std::string why;
  BOOST_TEST(rules.addFile(List::Deny, path, why), why);
  BOOST_TEST(!judge(rules, "127.0.0.2").allowed);
  std::remove(path.c_str());
  BOOST_TEST(!rules.addFile(List::Allow, path, why));
  BOOST_TEST(why == "--allowfile " + path + ": cannot open it for reading");
}

BOOST_AUTO_TEST_SUITE_END()
