// Unit tests of web origins as --web-origin and the Origin header give them (docs/PROTOCOL.md
// §12.1).
#include "server/web_origin.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using server::parseWebOrigin;
using server::WebOrigin;

namespace {

std::string normalized(const std::string& text) {
  const auto origin = parseWebOrigin(text);
  if (!origin) return "refused";
  return origin->scheme + " " + origin->host + " " + std::to_string(origin->port);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(web_origin)

BOOST_AUTO_TEST_CASE(default_ports_are_filled_in_and_case_folded) {
  BOOST_TEST(normalized("https://chat.example") == "https chat.example 443");
  BOOST_TEST(normalized("http://chat.example") == "http chat.example 80");
  BOOST_TEST(normalized("HTTPS://Chat.EXAMPLE:443") == "https chat.example 443");
  BOOST_TEST(normalized("http://chat.example:8080") == "http chat.example 8080");
  BOOST_TEST(normalized("https://192.0.2.7:8443") == "https 192.0.2.7 8443");
  BOOST_TEST(normalized("http://[2001:DB8::1]") == "http [2001:db8::1] 80");
  BOOST_TEST(normalized("http://[::ffff:192.0.2.7]:81") == "http [::ffff:192.0.2.7] 81");
}

BOOST_AUTO_TEST_CASE(two_spellings_of_one_origin_are_equal) {
  BOOST_TEST(
      (*parseWebOrigin("https://chat.example") == *parseWebOrigin("https://CHAT.example:443")));
  BOOST_TEST(
      !(*parseWebOrigin("https://chat.example") == *parseWebOrigin("http://chat.example:443")));
}

BOOST_AUTO_TEST_CASE(anything_but_scheme_host_and_port_is_refused) {
  for (const char* bad : {"",
                          "null",
                          "chat.example",
                          "//chat.example",
                          "ws://chat.example",
                          "file:///etc",
                          "https://",
                          "https://chat.example/",
                          "https://chat.example/path",
                          "https://chat.example?",
                          "https://user@chat.example",
                          "https://chat.example:",
                          "https://chat.example:0",
                          "https://chat.example:65536",
                          "https://chat.example:008080",
                          "https://chat.example:8o",
                          "https://::1",
                          "https://[::1",
                          "https://[::1]x",
                          "https://[chat.example]",
                          "https://[1]",
                          "https://.chat.example",
                          "https://chat.example.",
                          "https://chat..example",
                          "https://chat_example",
                          "https://chat example",
                          "https://ch\xC3\xA4t.example"}) {
    BOOST_TEST(normalized(bad) == "refused", "'" << bad << "' was taken");
  }
}

BOOST_AUTO_TEST_CASE(an_origin_header_is_listed_only_when_it_parses_and_matches) {
  const std::vector<WebOrigin> allowed = {*parseWebOrigin("https://chat.example")};
  BOOST_TEST(server::originListed("https://chat.example", allowed));
  BOOST_TEST(server::originListed("https://Chat.Example:443", allowed));
  BOOST_TEST(!server::originListed("https://chat.example:444", allowed));
  BOOST_TEST(!server::originListed("https://chat.example/", allowed));
  BOOST_TEST(!server::originListed("null", allowed));
  BOOST_TEST(!server::originListed("https://chat.example", {}));
}

BOOST_AUTO_TEST_SUITE_END()
