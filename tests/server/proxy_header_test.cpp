// Unit tests of the PROXY protocol v1 header parser: good headers, every malformation, the
// 107-byte bound, and bytes arriving one at a time.
#include "server/proxy_header.hpp"

#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>

namespace server {
std::ostream& operator<<(std::ostream& out, ProxyHeaderParser::Status status) {
  return out << static_cast<int>(status);
}
}  // namespace server

using server::ProxyHeaderParser;
using Status = ProxyHeaderParser::Status;

namespace {

const std::string kTcp4 = "PROXY TCP4 203.0.113.9 192.0.2.1 51000 2525\r\n";
const std::string kTcp6 = "PROXY TCP6 2001:db8::9 2001:db8::1 51000 2525\r\n";

Status whole(ProxyHeaderParser& parser, std::string_view bytes, std::size_t& used) {
  return parser.feed(bytes, used);
}

Status statusOf(std::string_view bytes) {
  ProxyHeaderParser parser;
  std::size_t used = 0;
  return parser.feed(bytes, used);
}

std::string sourceOf(const ProxyHeaderParser& parser) {
  return server::formatPeer(parser.source(), parser.sourcePort());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proxy_header)

BOOST_AUTO_TEST_CASE(tcp4_header_names_the_client_and_leaves_its_bytes) {
  ProxyHeaderParser parser;
  std::size_t used = 0;
  const std::string bytes = kTcp4 + "Alice\n";
  BOOST_TEST(whole(parser, bytes, used) == Status::Done);
  BOOST_TEST(used == kTcp4.size());
  BOOST_TEST(parser.length() == kTcp4.size());
  BOOST_TEST(parser.hasSource());
  BOOST_TEST(sourceOf(parser) == "203.0.113.9:51000");
  BOOST_TEST(std::string(bytes.substr(used)) == "Alice\n");
  // Done takes nothing more.
  BOOST_TEST(parser.feed("more", used) == Status::Done);
  BOOST_TEST(used == 0u);
}

BOOST_AUTO_TEST_CASE(tcp6_header_names_the_client) {
  ProxyHeaderParser parser;
  std::size_t used = 0;
  BOOST_TEST(whole(parser, kTcp6, used) == Status::Done);
  BOOST_TEST(sourceOf(parser) == "[2001:db8::9]:51000");
  ProxyHeaderParser mapped;
  BOOST_TEST(whole(mapped, "PROXY TCP6 ::ffff:10.0.0.1 ::1 1 2\r\n", used) == Status::Done);
  BOOST_TEST(sourceOf(mapped) == "10.0.0.1:1");
}

BOOST_AUTO_TEST_CASE(unknown_keeps_the_proxy_address) {
  for (const char* header : {"PROXY UNKNOWN\r\n", "PROXY UNKNOWN whatever follows it\r\n",
                             "PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n"}) {
    ProxyHeaderParser parser;
    std::size_t used = 0;
    BOOST_TEST(whole(parser, header, used) == Status::Done, header);
    BOOST_TEST(!parser.hasSource());
    BOOST_TEST(used == std::string_view(header).size());
  }
  BOOST_TEST(statusOf("PROXY UNKNOWNX\r\n") == Status::Bad);
}

BOOST_AUTO_TEST_CASE(ports_0_and_65535_without_leading_zeros) {
  ProxyHeaderParser parser;
  std::size_t used = 0;
  BOOST_TEST(whole(parser, "PROXY TCP4 1.2.3.4 5.6.7.8 0 65535\r\n", used) == Status::Done);
  BOOST_TEST(parser.sourcePort() == 0);
  for (const char* bad :
       {"PROXY TCP4 1.2.3.4 5.6.7.8 65536 1\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 01 1\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 00 1\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 -1 1\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 +1 1\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1a 1\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 100000 1\r\n"}) {
    BOOST_TEST(statusOf(bad) == Status::Bad, bad);
  }
}

BOOST_AUTO_TEST_CASE(spacing_and_line_end_are_exact) {
  for (const char* bad :
       {"PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n", " PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX\n",
        "PROXY\tTCP4 1.2.3.4 5.6.7.8 1 2\r\n", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n",
        "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n", "PROXY\r\n",
        "PROXY \r\n", "\r\n"}) {
    BOOST_TEST(statusOf(bad) == Status::Bad, bad);
  }
}

BOOST_AUTO_TEST_CASE(address_family_must_match_the_protocol) {
  for (const char* bad :
       {"PROXY TCP4 2001:db8::1 5.6.7.8 1 2\r\n", "PROXY TCP4 1.2.3.4 ::1 1 2\r\n",
        "PROXY TCP6 1.2.3.4 ::1 1 2\r\n", "PROXY TCP6 ::1 5.6.7.8 1 2\r\n",
        "PROXY TCP4 ::ffff:1.2.3.4 5.6.7.8 1 2\r\n", "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n",
        "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n", "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n",
        "PROXY TCP4 example.com 5.6.7.8 1 2\r\n"}) {
    BOOST_TEST(statusOf(bad) == Status::Bad, bad);
  }
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_at_its_first_wrong_byte) {
  ProxyHeaderParser parser;
  std::size_t used = 0;
  BOOST_TEST(whole(parser, "Alice\n", used) == Status::Bad);
  BOOST_TEST(used == 1u);
  BOOST_TEST(parser.problem() == "not a PROXY header");
  ProxyHeaderParser http;
  BOOST_TEST(whole(http, "PROXZ", used) == Status::Bad);
  BOOST_TEST(used == 5u);
  ProxyHeaderParser partial;
  BOOST_TEST(whole(partial, "PROX", used) == Status::NeedMore);
  BOOST_TEST(used == 4u);
}

BOOST_AUTO_TEST_CASE(header_of_exactly_107_bytes_is_taken_and_108_is_not) {
  const std::string start = "PROXY UNKNOWN ";
  const std::string at_limit = start + std::string(107 - start.size() - 2, 'x') + "\r\n";
  BOOST_REQUIRE(at_limit.size() == server::kMaxProxyHeaderBytes);
  ProxyHeaderParser parser;
  std::size_t used = 0;
  BOOST_TEST(whole(parser, at_limit + "rest", used) == Status::Done);
  BOOST_TEST(used == 107u);
  const std::string over = start + std::string(107 - start.size() - 1, 'x') + "\r\n";
  ProxyHeaderParser long_parser;
  BOOST_TEST(whole(long_parser, over, used) == Status::Bad);
  BOOST_TEST(used == 107u);  // refused at the 107th byte, which could not end the header
  BOOST_TEST(long_parser.problem() == "PROXY header longer than 107 bytes");
  // The longest real header: two full IPv6 addresses and two five-digit ports.
  const std::string v6 = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
  const std::string longest = "PROXY TCP6 " + v6 + " " + v6 + " 65535 65535\r\n";
  BOOST_TEST(longest.size() == 104u);
  BOOST_TEST(statusOf(longest) == Status::Done);
}

BOOST_AUTO_TEST_CASE(byte_by_byte_gives_the_same_answer_and_never_reads_past_the_header) {
  for (const std::string& header : {kTcp4, kTcp6, std::string("PROXY UNKNOWN\r\n")}) {
    const std::string bytes = header + "Bob\n";
    ProxyHeaderParser parser;
    std::size_t taken = 0;
    Status status = Status::NeedMore;
    for (std::size_t i = 0; i < bytes.size() && status == Status::NeedMore; ++i) {
      std::size_t used = 0;
      status = parser.feed(bytes.substr(i, 1), used);
      BOOST_TEST(used == 1u);
      taken += used;
    }
    BOOST_TEST(status == Status::Done);
    BOOST_TEST(taken == header.size());
    BOOST_TEST(parser.length() == header.size());
  }
  ProxyHeaderParser split;
  std::size_t used = 0;
  BOOST_TEST(split.feed("PROXY TCP4 203.0.113.9 192", used) == Status::NeedMore);
  BOOST_TEST(split.feed(".0.2.1 51000 2525\r", used) == Status::NeedMore);
  BOOST_TEST(split.feed("\nAlice", used) == Status::Done);
  BOOST_TEST(used == 1u);
  BOOST_TEST(sourceOf(split) == "203.0.113.9:51000");
}

BOOST_AUTO_TEST_CASE(empty_feed_changes_nothing) {
  ProxyHeaderParser parser;
  std::size_t used = 7;
  BOOST_TEST(parser.feed("", used) == Status::NeedMore);
  BOOST_TEST(used == 0u);
  BOOST_TEST(parser.length() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
