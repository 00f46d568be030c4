// Unit tests of IP address literals and address/prefix rules: every form, every boundary.
#include "server/ip_address.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using server::CidrRule;
using server::IpAddress;

namespace {

IpAddress address(std::string_view text) {
  const auto parsed = server::parseIpAddress(text);
  BOOST_REQUIRE_MESSAGE(parsed, "'" << text << "' should parse");
  return *parsed;
}

CidrRule rule(std::string_view text) {
  std::string why;
  const auto parsed = server::parseCidrRule(text, why);
  BOOST_REQUIRE_MESSAGE(parsed, "'" << text << "' should parse: " << why);
  return *parsed;
}

std::string canonical(std::string_view text) { return server::formatIpAddress(address(text)); }

bool covers(std::string_view rule_text, std::string_view address_text) {
  return server::matches(rule(rule_text), address(address_text));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ip_address)

BOOST_AUTO_TEST_CASE(ipv4_dotted_quad_is_kept_as_its_mapped_form) {
  const IpAddress a = address("192.0.2.1");
  BOOST_TEST(a.v4);
  const IpAddress mapped = address("::ffff:c000:201");
  BOOST_TEST(mapped.v4);
  BOOST_TEST((a == mapped));
  BOOST_TEST(canonical("0.0.0.0") == "0.0.0.0");
  BOOST_TEST(canonical("255.255.255.255") == "255.255.255.255");
}

BOOST_AUTO_TEST_CASE(ipv4_text_must_be_exactly_four_plain_decimal_parts) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04", "1.2.3.",
        ".1.2.3", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "0x1.2.3.4", "1.2.3.-4", "+1.2.3.4",
        "1.2.3.4/8", "1000.2.3.4", "1.2.3.4:80", "4294967295"}) {
    BOOST_TEST(!server::parseIpAddress(bad), "'" << bad << "' should be refused");
  }
  BOOST_TEST(canonical("10.0.0.0") == "10.0.0.0");
}

BOOST_AUTO_TEST_CASE(ipv6_compression_in_every_position) {
  BOOST_TEST(canonical("::") == "::");
  BOOST_TEST(canonical("::1") == "::1");
  BOOST_TEST(canonical("1::") == "1::");
  BOOST_TEST(canonical("2001:DB8::1") == "2001:db8::1");
  BOOST_TEST(canonical("2001:0db8:0000:0000:0000:0000:0000:0001") == "2001:db8::1");
  BOOST_TEST(canonical("1:2:3:4:5:6:7::") == "1:2:3:4:5:6:7:0");
  BOOST_TEST(canonical("::2:3:4:5:6:7:8") == "0:2:3:4:5:6:7:8");
  BOOST_TEST(canonical("1:2:3:4:5:6:7:8") == "1:2:3:4:5:6:7:8");
}

BOOST_AUTO_TEST_CASE(ipv6_text_is_formatted_as_rfc_5952_says) {
  // The longest run of zeros is compressed, the first of two equal runs, never a single zero.
  BOOST_TEST(canonical("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
  BOOST_TEST(canonical("2001:0:0:1:0:0:0:1") == "2001:0:0:1::1");
  BOOST_TEST(canonical("2001:db8:0:1:1:1:1:1") == "2001:db8:0:1:1:1:1:1");
  BOOST_TEST(canonical("FE80::00AB") == "fe80::ab");
}

BOOST_AUTO_TEST_CASE(ipv6_with_an_ipv4_tail) {
  BOOST_TEST(canonical("::ffff:1.2.3.4") == "1.2.3.4");
  BOOST_TEST(canonical("::FFFF:1.2.3.4") == "1.2.3.4");
  BOOST_TEST(canonical("0:0:0:0:0:ffff:1.2.3.4") == "1.2.3.4");
  // Not mapped: IPv6, written in hex.
  BOOST_TEST(!address("::1.2.3.4").v4);
  BOOST_TEST(canonical("::1.2.3.4") == "::102:304");
  BOOST_TEST(canonical("64:ff9b::192.0.2.33") == "64:ff9b::c000:221");
}

BOOST_AUTO_TEST_CASE(malformed_ipv6_is_refused) {
  for (const char* bad : {":",
                          ":::",
                          "1:::2",
                          "1::2::3",
                          ":1::2",
                          "1::2:",
                          "1:2:3:4:5:6:7:8:9",
                          "1:2:3:4:5:6:7",
                          "1:2:3:4:5:6:7:8::",
                          "::1:2:3:4:5:6:7:8",
                          "12345::",
                          "g::1",
                          "::ffff:1.2.3",
                          "::ffff:1.2.3.4.5",
                          "1.2.3.4::",
                          "::1.2.3.4:1",
                          "1:2:3:4:5:6:7:1.2.3.4",
                          "fe80::1%eth0",
                          "[::1]",
                          "::1 ",
                          "::-1",
                          "1:2:3:4:5:6:1.2.3.4:8",
                          "0000:0000:0000:0000:0000:0000:0000:0000:0",
                          "00000::1"}) {
    BOOST_TEST(!server::parseIpAddress(bad), "'" << bad << "' should be refused");
  }
  BOOST_TEST(address("1:2:3:4:5:6:1.2.3.4").bytes[15] == 4);
}

BOOST_AUTO_TEST_CASE(text_longer_than_any_address_is_refused_unread) {
  const std::string longest = "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255";
  BOOST_TEST(longest.size() == server::kMaxAddressText);
  BOOST_TEST(server::parseIpAddress(longest).has_value());
  BOOST_TEST(!server::parseIpAddress("0" + longest));
  BOOST_TEST(!server::parseIpAddress(std::string(1000, '1')));
}

BOOST_AUTO_TEST_CASE(rule_without_bits_matches_one_address) {
  BOOST_TEST(covers("192.0.2.1", "192.0.2.1"));
  BOOST_TEST(!covers("192.0.2.1", "192.0.2.2"));
  BOOST_TEST(covers("2001:db8::1", "2001:db8::1"));
  BOOST_TEST(!covers("2001:db8::1", "2001:db8::2"));
  BOOST_TEST(rule("192.0.2.1").bits == 32);
  BOOST_TEST(rule("::1").bits == 128);
}

BOOST_AUTO_TEST_CASE(prefix_boundaries_0_32_and_128) {
  BOOST_TEST(covers("0.0.0.0/0", "203.0.113.9"));
  BOOST_TEST(!covers("0.0.0.0/0", "2001:db8::1"));  // an IPv4 rule is for IPv4 only
  BOOST_TEST(covers("::/0", "2001:db8::1"));
  BOOST_TEST(covers("::/0", "203.0.113.9"));  // every address, IPv4 ones too
  BOOST_TEST(covers("203.0.113.9/32", "203.0.113.9"));
  BOOST_TEST(!covers("203.0.113.9/32", "203.0.113.8"));
  BOOST_TEST(covers("2001:db8::1/128", "2001:db8::1"));
  BOOST_TEST(!covers("2001:db8::1/128", "2001:db8::"));
  BOOST_TEST(covers("203.0.113.0/24", "203.0.113.255"));
  BOOST_TEST(!covers("203.0.113.0/24", "203.0.114.0"));
  BOOST_TEST(covers("203.0.113.0/25", "203.0.113.127"));
  BOOST_TEST(!covers("203.0.113.0/25", "203.0.113.128"));
  BOOST_TEST(covers("2001:db8::/32", "2001:db8:ffff::1"));
  BOOST_TEST(!covers("2001:db8::/32", "2001:db9::1"));
  BOOST_TEST(covers("2001:db8::/33", "2001:db8:7fff::"));
  BOOST_TEST(!covers("2001:db8::/33", "2001:db8:8000::"));
}

BOOST_AUTO_TEST_CASE(host_bits_beyond_the_prefix_are_ignored) {
  BOOST_TEST(covers("10.1.2.3/8", "10.200.0.1"));
  BOOST_TEST(!covers("10.1.2.3/8", "11.1.2.3"));
}

BOOST_AUTO_TEST_CASE(mapped_addresses_match_ipv4_rules_and_mapped_rules_match_ipv4) {
  BOOST_TEST(covers("127.0.0.0/8", "::ffff:127.0.0.2"));
  BOOST_TEST(covers("::ffff:127.0.0.0/104", "127.0.0.2"));
  BOOST_TEST(!covers("::ffff:127.0.0.0/104", "128.0.0.2"));
  const CidrRule mapped = rule("::ffff:10.0.0.0/104");
  BOOST_TEST(mapped.address.v4);
  BOOST_TEST(mapped.bits == 8);
  BOOST_TEST(covers("::ffff:0:0/96", "198.51.100.7"));
  BOOST_TEST(!covers("::ffff:0:0/96", "2001:db8::1"));
  // Shorter than the mapped prefix: an IPv6 rule that reaches beyond IPv4.
  const CidrRule wide = rule("::ffff:0:0/80");
  BOOST_TEST(!wide.address.v4);
  BOOST_TEST(covers("::ffff:0:0/80", "198.51.100.7"));
  BOOST_TEST(covers("::ffff:0:0/80", "::1"));
}

BOOST_AUTO_TEST_CASE(bad_rules_name_their_problem) {
  const auto why = [](std::string_view text) {
    std::string problem;
    BOOST_TEST(!server::parseCidrRule(text, problem), "'" << text << "' should be refused");
    return problem;
  };
  BOOST_TEST(why("10.0.0.0/33").find("from 0 to 32") != std::string::npos);
  BOOST_TEST(why("::/129").find("from 0 to 128") != std::string::npos);
  BOOST_TEST(why("10.0.0.0/").find("'/'") != std::string::npos);
  BOOST_TEST(why("10.0.0.0/08").find("'08'") != std::string::npos);
  BOOST_TEST(why("10.0.0.0/-1").find("'-1'") != std::string::npos);
  BOOST_TEST(why("10.0.0.0/8/8").find("'8/8'") != std::string::npos);
  BOOST_TEST(why("example.com").find("'example.com' is not an IPv4 or IPv6 address") !=
             std::string::npos);
  BOOST_TEST(why("").find("not an IPv4 or IPv6 address") != std::string::npos);
  BOOST_TEST(why("/8").find("not an IPv4 or IPv6 address") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(rules_are_shown_in_canonical_form) {
  BOOST_TEST(server::formatCidrRule(rule("203.0.113.0/24")) == "203.0.113.0/24");
  BOOST_TEST(server::formatCidrRule(rule("203.0.113.9")) == "203.0.113.9");
  BOOST_TEST(server::formatCidrRule(rule("2001:DB8:0::/32")) == "2001:db8::/32");
  BOOST_TEST(server::formatCidrRule(rule("::ffff:10.0.0.0/104")) == "10.0.0.0/8");
}

BOOST_AUTO_TEST_CASE(peer_text_gives_its_address) {
  const auto peer = [](std::string_view text) {
    const auto parsed = server::peerIpAddress(text);
    return parsed ? server::formatIpAddress(*parsed) : std::string("none");
  };
  BOOST_TEST(peer("1.2.3.4:5678") == "1.2.3.4");
  BOOST_TEST(peer("[::1]:5678") == "::1");
  BOOST_TEST(peer("web 1.2.3.4:5678") == "1.2.3.4");
  BOOST_TEST(peer("web [2001:db8::1]:80") == "2001:db8::1");
  BOOST_TEST(peer("[::ffff:10.1.2.3]:80") == "10.1.2.3");
  BOOST_TEST(peer("web 1.2.3.4") == "1.2.3.4");
  BOOST_TEST(peer("[2001:db8::1]") == "2001:db8::1");
  BOOST_TEST(peer("2001:db8::1") == "2001:db8::1");
  BOOST_TEST(peer("unknown") == "none");
  BOOST_TEST(peer("1.2.3.4:") == "none");
  BOOST_TEST(peer("[::1]x") == "none");
  BOOST_TEST(peer("[::1") == "none");
}

BOOST_AUTO_TEST_CASE(peers_are_named_as_the_server_names_them) {
  BOOST_TEST(server::formatPeer(address("203.0.113.9"), 51000) == "203.0.113.9:51000");
  BOOST_TEST(server::formatPeer(address("2001:db8::1"), 0) == "[2001:db8::1]:0");
  BOOST_TEST(server::formatPeer(address("::ffff:1.2.3.4"), 1) == "1.2.3.4:1");
}

BOOST_AUTO_TEST_SUITE_END()
