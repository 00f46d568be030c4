// Unit tests of the client behind trusted web proxies, from X-Forwarded-For.
#include "server/forwarded_for.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

using server::CidrRule;
using server::ForwardedFor;

namespace {

std::vector<CidrRule> rules(std::initializer_list<const char*> texts) {
  std::vector<CidrRule> result;
  for (const char* text : texts) {
    std::string why;
    const auto rule = server::parseCidrRule(text, why);
    BOOST_REQUIRE_MESSAGE(rule, why);
    result.push_back(*rule);
  }
  return result;
}

// The client's address as text, or "malformed".
std::string clientOf(std::string_view header, const std::vector<CidrRule>& trusted) {
  server::IpAddress client;
  if (server::clientFromForwardedFor(header, trusted, client) == ForwardedFor::Malformed) {
    return "malformed";
  }
  return server::formatIpAddress(client);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(forwarded_for)

BOOST_AUTO_TEST_CASE(one_entry_is_the_client) {
  BOOST_TEST(clientOf("203.0.113.9", rules({"127.0.0.1"})) == "203.0.113.9");
  BOOST_TEST(clientOf("  2001:DB8::9 ", rules({"127.0.0.1"})) == "2001:db8::9");
}

BOOST_AUTO_TEST_CASE(right_most_entry_that_is_not_a_trusted_proxy_is_the_client) {
  const auto trusted = rules({"10.0.0.0/8", "127.0.0.1"});
  // The client claims 1.1.1.1; its own address was added by the first proxy.
  BOOST_TEST(clientOf("1.1.1.1, 203.0.113.9, 10.0.0.5", trusted) == "203.0.113.9");
  BOOST_TEST(clientOf("1.1.1.1,203.0.113.9", trusted) == "203.0.113.9");
  // Every entry a trusted proxy: the left-most is as far as anyone knows.
  BOOST_TEST(clientOf("10.0.0.7, 10.0.0.5", trusted) == "10.0.0.7");
}

BOOST_AUTO_TEST_CASE(entries_may_carry_a_port) {
  BOOST_TEST(clientOf("203.0.113.9:5000", {}) == "203.0.113.9");
  BOOST_TEST(clientOf("[2001:db8::9]:5000", {}) == "2001:db8::9");
  BOOST_TEST(clientOf("[2001:db8::9]", {}) == "2001:db8::9");
  BOOST_TEST(clientOf("::ffff:203.0.113.9", {}) == "203.0.113.9");
}

BOOST_AUTO_TEST_CASE(malformed_entries_up_to_the_client_are_refused) {
  const auto trusted = rules({"10.0.0.0/8"});
  for (const char* bad : {"", " ", "unknown", "203.0.113.9,", "203.0.113.9, ", "1.2.3.4 5.6.7.8",
                          "example.com", "10.0.0.1, junk", "203.0.113.9:", "[::1"}) {
    BOOST_TEST(clientOf(bad, trusted) == "malformed", "'" << bad << "'");
  }
  // Left of the client is what the client claimed: not read.
  BOOST_TEST(clientOf("junk, 203.0.113.9, 10.0.0.1", trusted) == "203.0.113.9");
}

BOOST_AUTO_TEST_SUITE_END()
