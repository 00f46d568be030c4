// Unit tests of the HTTP request head parser: complete, incomplete, malformed and too large.
#include "server/http_request.hpp"

#include <boost/test/unit_test.hpp>
#include <ostream>
#include <string>

namespace server {
std::ostream& operator<<(std::ostream& out, HttpRequestParser::Status status) {
  return out << static_cast<int>(status);
}
}  // namespace server

using server::HttpRequestParser;
using Status = HttpRequestParser::Status;

namespace {

const std::string kUpgrade =
    "GET /chat HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\n"
    "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    "Origin: http://example.com:8080\r\nSec-WebSocket-Version: 13\r\n\r\n";

Status parseWhole(HttpRequestParser& parser, std::string_view bytes) {
  std::size_t used = 0;
  return parser.feed(bytes, used);
}

int errorOf(std::string_view bytes) {
  HttpRequestParser parser;
  if (parseWhole(parser, bytes) != Status::Bad) return 0;
  return parser.errorStatus();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_request)

BOOST_AUTO_TEST_CASE(reads_an_upgrade_request) {
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser, kUpgrade) == Status::Done);
  const server::HttpRequest& r = parser.request();
  BOOST_TEST(r.method == "GET");
  BOOST_TEST(r.path == "/chat");
  BOOST_TEST(r.host == "example.com:8080");
  BOOST_TEST(r.origin == "http://example.com:8080");
  BOOST_TEST(r.upgrade == "websocket");
  BOOST_TEST(r.connection == "keep-alive, Upgrade");
  BOOST_TEST(r.websocket_key == "dGhlIHNhbXBsZSBub25jZQ==");
  BOOST_TEST(r.websocket_version == "13");
}

BOOST_AUTO_TEST_CASE(one_byte_at_a_time_reads_the_same) {
  HttpRequestParser parser;
  for (std::size_t i = 0; i + 1 < kUpgrade.size(); ++i) {
    std::size_t used = 0;
    BOOST_TEST_REQUIRE((parser.feed(kUpgrade.substr(i, 1), used) == Status::NeedMore));
    BOOST_TEST(used == 1u);
  }
  std::size_t used = 0;
  BOOST_TEST((parser.feed(kUpgrade.substr(kUpgrade.size() - 1), used) == Status::Done));
  BOOST_TEST(parser.request().websocket_key == "dGhlIHNhbXBsZSBub25jZQ==");
}

BOOST_AUTO_TEST_CASE(never_reads_past_the_end_of_the_head) {
  HttpRequestParser parser;
  std::size_t used = 0;
  const std::string bytes = kUpgrade +
                            "\x81\x85"
                            "frame";
  BOOST_TEST((parser.feed(bytes, used) == Status::Done));
  BOOST_TEST(used == kUpgrade.size());
  BOOST_TEST((parser.feed("more", used) == Status::Done));
  BOOST_TEST(used == 0u);
}

BOOST_AUTO_TEST_CASE(bare_line_feeds_and_leading_empty_lines_are_understood) {
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser, "\r\nGET / HTTP/1.1\nHost: a\n\n") == Status::Done);
  BOOST_TEST(parser.request().path == "/");
}

BOOST_AUTO_TEST_CASE(query_and_absolute_form_give_the_path) {
  HttpRequestParser a;
  BOOST_TEST(parseWhole(a, "GET /chat?x=1 HTTP/1.1\r\nHost: a\r\n\r\n") == Status::Done);
  BOOST_TEST(a.request().path == "/chat");
  HttpRequestParser b;
  BOOST_TEST(parseWhole(b, "GET http://a:1 HTTP/1.1\r\nHost: a:1\r\n\r\n") == Status::Done);
  BOOST_TEST(b.request().path == "/");
}

BOOST_AUTO_TEST_CASE(malformed_requests_are_400) {
  BOOST_TEST(errorOf("GET /\r\nHost: a\r\n\r\n") == 400);  // no version
  BOOST_TEST(errorOf("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);  // two spaces
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\n\r\n") == 400);              // no Host
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == 400);  // space before colon
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") == 400);  // bare CR
  BOOST_TEST(errorOf("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET chat HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  BOOST_TEST(errorOf("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n") == 400);
  const char kTlsHello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n";
  BOOST_TEST(errorOf(std::string(kTlsHello, sizeof kTlsHello - 1)) == 400);
}

BOOST_AUTO_TEST_CASE(http_1_0_needs_no_host) {
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser, "GET / HTTP/1.0\r\n\r\n") == Status::Done);
  BOOST_TEST(parser.request().minor_version == 0);
}

BOOST_AUTO_TEST_CASE(a_head_over_8_kib_is_431_without_waiting_for_its_end) {
  HttpRequestParser parser;
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(9000, 'x');
  std::size_t used = 0;
  BOOST_TEST((parser.feed(head, used) == Status::Bad));
  BOOST_TEST(parser.errorStatus() == 431);
  BOOST_TEST(used == server::kMaxRequestHeadBytes);  // the byte past the bound is not taken
}

BOOST_AUTO_TEST_CASE(a_head_that_fills_its_bound_is_refused_at_the_next_byte_without_taking_it) {
  std::string head = "GET /chat HTTP/1.1\r\nHost: a\r\nX-Fill: ";
  head += std::string(server::kMaxRequestHeadBytes - head.size(), 'x');
  HttpRequestParser parser;
  std::size_t used = 0;
  BOOST_TEST((parser.feed(head, used) == Status::NeedMore));
  BOOST_TEST(used == server::kMaxRequestHeadBytes);
  BOOST_TEST((parser.feed("y", used) == Status::Bad));
  BOOST_TEST(used == 0u);
  BOOST_TEST(parser.errorStatus() == 431);
}

BOOST_AUTO_TEST_CASE(a_head_of_exactly_8_kib_is_read) {
  std::string head = "GET / HTTP/1.1\r\nHost: a\r\nX-Fill: ";
  head += std::string(server::kMaxRequestHeadBytes - head.size() - 4, 'x') + "\r\n\r\n";
  BOOST_TEST_REQUIRE(head.size() == server::kMaxRequestHeadBytes);
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser, head) == Status::Done);
}

BOOST_AUTO_TEST_CASE(endless_empty_lines_are_bounded_too) {
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser, std::string(10000, '\n')) == Status::Bad);
  BOOST_TEST(parser.errorStatus() == 431);
}

BOOST_AUTO_TEST_CASE(a_body_is_noticed) {
  HttpRequestParser a;
  BOOST_TEST(parseWhole(a, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n") ==
             Status::Done);
  BOOST_TEST(a.request().has_body);
  HttpRequestParser b;
  BOOST_TEST(parseWhole(b, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") ==
             Status::Done);
  BOOST_TEST(!b.request().has_body);
}

BOOST_AUTO_TEST_CASE(x_forwarded_for_fields_join_in_order) {
  HttpRequestParser parser;
  BOOST_TEST(parseWhole(parser,
                        "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 1.1.1.1, 203.0.113.9\r\n"
                        "x-forwarded-for:10.0.0.1\r\n\r\n") == Status::Done);
  BOOST_TEST(parser.request().has_forwarded_for);
  BOOST_TEST(parser.request().forwarded_for == "1.1.1.1, 203.0.113.9,10.0.0.1");
  HttpRequestParser empty;
  BOOST_TEST(parseWhole(empty, "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For:\r\n\r\n") ==
             Status::Done);
  BOOST_TEST(empty.request().has_forwarded_for);
  BOOST_TEST(empty.request().forwarded_for.empty());
  HttpRequestParser none;
  BOOST_TEST(parseWhole(none, "GET / HTTP/1.1\r\nHost: a\r\n\r\n") == Status::Done);
  BOOST_TEST(!none.request().has_forwarded_for);
}

BOOST_AUTO_TEST_SUITE_END()
