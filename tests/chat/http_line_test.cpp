// Unit tests of telling an HTTP request line from a person's first line (docs/PROTOCOL.md).
#include "chat/http_line.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

using chat::guessHttpRequest;
using chat::HttpGuess;
using chat::isHttpRequestLine;

BOOST_AUTO_TEST_SUITE(http_line)

BOOST_AUTO_TEST_CASE(request_lines_of_any_method_are_http) {
  BOOST_TEST(isHttpRequestLine("GET / HTTP/1.1"));
  BOOST_TEST(isHttpRequestLine("POST /submit?x=1 HTTP/1.1\r"));
  BOOST_TEST(isHttpRequestLine("OPTIONS * HTTP/1.0"));
  BOOST_TEST(isHttpRequestLine("PROPFIND http://host:8989/ HTTP/2.0"));
}

BOOST_AUTO_TEST_CASE(names_and_messages_are_not) {
  for (const char* line :
       {"Alice", "GET / HTTP/1.1 ", "GET /  HTTP/1.1", "GET / http/1.1", "GET / HTTP/1.10",
        "GET / HTTP/1.", "GET  / HTTP/1.1", "GET /", "Bob Smith", "", " GET / HTTP/1.1",
        "GET / HTTP/1.1 and more", "G\xc3\xa9T / HTTP/1.1", "GET /\x01 HTTP/1.1"}) {
    BOOST_TEST(!isHttpRequestLine(line), "'" << line << "'");
  }
}

BOOST_AUTO_TEST_CASE(first_bytes_are_judged_as_soon_as_they_can_be) {
  BOOST_TEST((guessHttpRequest("GET / HTTP/1.1\r\nHost: x\r\n") == HttpGuess::Yes));
  BOOST_TEST((guessHttpRequest("POST / HTTP/1.1\n") == HttpGuess::Yes));
  BOOST_TEST((guessHttpRequest("G") == HttpGuess::Maybe));
  BOOST_TEST((guessHttpRequest("GET /chat HTT") == HttpGuess::Maybe));
  BOOST_TEST((guessHttpRequest("GET / HTTP/1.1\r") == HttpGuess::Maybe));
  BOOST_TEST((guessHttpRequest("Bob\n") == HttpGuess::No));
  BOOST_TEST((guessHttpRequest("Bob Smith\r\n") == HttpGuess::No));
  BOOST_TEST((guessHttpRequest("\xff\xfd\x01") == HttpGuess::No));  // telnet's IAC DO ECHO
  BOOST_TEST((guessHttpRequest("hello, world") == HttpGuess::No));
  BOOST_TEST((guessHttpRequest("\n") == HttpGuess::No));
}

BOOST_AUTO_TEST_SUITE_END()
