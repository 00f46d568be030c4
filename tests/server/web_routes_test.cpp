// Unit tests of the web port's answers: the page, the upgrade, and each refusal of docs/PROTOCOL.md
// §11–§12.
#include "server/web_routes.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "web/page.hpp"

using server::answerRequest;
using server::HttpRequest;
using server::HttpRequestParser;
using server::sameOrigin;

namespace {

HttpRequest parse(const std::string& head) {
  HttpRequestParser parser;
  std::size_t used = 0;
  BOOST_REQUIRE(parser.feed(head, used) == HttpRequestParser::Status::Done);
  return parser.request();
}

std::string upgrade(const std::string& extra, const std::string& version = "13") {
  return "GET /chat HTTP/1.1\r\nHost: chat.example:8080\r\nUpgrade: websocket\r\n"
         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
         "Sec-WebSocket-Version: " +
         version + "\r\n" + extra + "\r\n";
}

int statusOf(const std::string& head) { return answerRequest(parse(head)).status; }

}  // namespace

BOOST_AUTO_TEST_SUITE(web_routes)

BOOST_AUTO_TEST_CASE(accept_value_matches_the_rfc6455_example) {
  BOOST_TEST(server::websocketAccept("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

BOOST_AUTO_TEST_CASE(root_gets_the_page_with_its_headers) {
  const server::WebAnswer answer = answerRequest(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  BOOST_TEST(answer.status == 200);
  const std::string& r = answer.response;
  BOOST_TEST(r.rfind("HTTP/1.1 200 OK\r\n", 0) == 0u);
  BOOST_TEST(r.find("\r\nContent-Type: text/html; charset=utf-8\r\n") != std::string::npos);
  BOOST_TEST(r.find("\r\nX-Content-Type-Options: nosniff\r\n") != std::string::npos);
  BOOST_TEST(r.find("\r\nCache-Control: no-cache\r\n") != std::string::npos);
  BOOST_TEST(r.find("\r\nContent-Security-Policy: default-src 'none'; ") != std::string::npos);
  BOOST_TEST(r.find("connect-src 'self'") != std::string::npos);
  const std::string length = "Content-Length: " + std::to_string(web::page().size()) + "\r\n";
  BOOST_TEST(r.find(length) != std::string::npos);
  BOOST_TEST(r.substr(r.size() - web::page().size()) == std::string(web::page()));
}

BOOST_AUTO_TEST_CASE(upgrade_gets_101_with_the_accept_value) {
  const server::WebAnswer answer = answerRequest(parse(upgrade("")));
  BOOST_TEST((answer.kind == server::WebAnswer::Kind::Upgrade));
  BOOST_TEST(answer.response ==
             "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
             "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(unknown_path_is_404_and_other_methods_405) {
  BOOST_TEST(statusOf("GET /etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n") == 404);
  BOOST_TEST(statusOf("GET /chat/ HTTP/1.1\r\nHost: a\r\n\r\n") == 404);
  BOOST_TEST(statusOf("POST / HTTP/1.1\r\nHost: a\r\n\r\n") == 405);
  BOOST_TEST(statusOf("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n") == 405);
  const std::string r = answerRequest(parse("PUT / HTTP/1.1\r\nHost: a\r\n\r\n")).response;
  BOOST_TEST(r.find("\r\nAllow: GET\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(errors_are_short_text_and_close) {
  for (const int status : {400, 403, 404, 405, 408, 426, 431}) {
    const std::string r = server::errorResponse(status);
    BOOST_TEST(r.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0) == 0u);
    BOOST_TEST(r.find("\r\nConnection: close\r\n") != std::string::npos);
    BOOST_TEST(r.find("\r\nContent-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
    const std::size_t body = r.find("\r\n\r\n") + 4;
    BOOST_TEST(r.find("Content-Length: " + std::to_string(r.size() - body) + "\r\n") !=
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(other_websocket_version_is_426_naming_13) {
  const server::WebAnswer answer = answerRequest(parse(upgrade("", "8")));
  BOOST_TEST(answer.status == 426);
  BOOST_TEST(answer.response.find("\r\nSec-WebSocket-Version: 13\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(broken_upgrades_are_400) {
  BOOST_TEST(statusOf("GET /chat HTTP/1.1\r\nHost: a\r\n\r\n") == 400);
  std::string bad_key = upgrade("");
  bad_key.replace(bad_key.find("dGhl"), 4, "dGh!");
  BOOST_TEST(statusOf(bad_key) == 400);
  std::string short_key = upgrade("");
  short_key.replace(short_key.find("dGhlIHNhbXBsZSBub25jZQ=="), 24, "Zm9v");
  BOOST_TEST(statusOf(short_key) == 400);
  std::string no_connection = upgrade("");
  no_connection.replace(no_connection.find("Connection: Upgrade"), 19, "Connection: close");
  BOOST_TEST(statusOf(no_connection) == 400);
}

BOOST_AUTO_TEST_CASE(another_origin_is_403_and_no_origin_is_accepted) {
  BOOST_TEST(statusOf(upgrade("Origin: http://evil.example\r\n")) == 403);
  BOOST_TEST(statusOf(upgrade("Origin: http://chat.example:8081\r\n")) == 403);
  BOOST_TEST(statusOf(upgrade("Origin: null\r\n")) == 403);
  BOOST_TEST(statusOf(upgrade("Origin: http://chat.example:8080\r\n")) == 101);
  BOOST_TEST(statusOf(upgrade("")) == 101);
}

BOOST_AUTO_TEST_CASE(same_origin_compares_host_and_effective_port) {
  BOOST_TEST(sameOrigin("http://chat.example:8080", "chat.example:8080"));
  BOOST_TEST(sameOrigin("http://Chat.Example:8080", "chat.example:8080"));
  BOOST_TEST(sameOrigin("http://chat.example", "chat.example"));
  BOOST_TEST(sameOrigin("http://chat.example:80", "chat.example"));
  BOOST_TEST(sameOrigin("https://chat.example", "chat.example"));  // a TLS proxy in front
  BOOST_TEST(sameOrigin("http://[::1]:8080", "[::1]:8080"));
  BOOST_TEST(sameOrigin("http://127.0.0.1:8080", "127.0.0.1:8080"));
  BOOST_TEST(!sameOrigin("http://chat.example:8080", "chat.example:8081"));
  BOOST_TEST(!sameOrigin("http://chat.example.evil:8080", "chat.example:8080"));
  BOOST_TEST(!sameOrigin("http://localhost:8080", "127.0.0.1:8080"));
  BOOST_TEST(!sameOrigin("ftp://chat.example", "chat.example"));
  BOOST_TEST(!sameOrigin("null", "chat.example"));
  BOOST_TEST(!sameOrigin("http://chat.example:8080/path", "chat.example:8080"));
  BOOST_TEST(!sameOrigin("http://user@chat.example:8080", "chat.example:8080"));
}

BOOST_AUTO_TEST_CASE(a_listed_origin_is_accepted_beside_the_same_origin) {
  const std::vector<server::WebOrigin> origins = {*server::parseWebOrigin("https://chat.example"),
                                                  *server::parseWebOrigin("http://[::1]:8443")};
  // What nginx sends without a Host line: its upstream's address, not the browser's host.
  const auto behind = [&origins](const std::string& origin) {
    return answerRequest(parse(upgrade("Origin: " + origin + "\r\n")), origins).status;
  };
  BOOST_TEST(behind("https://chat.example") == 101);
  BOOST_TEST(behind("https://CHAT.example:443") == 101);
  BOOST_TEST(behind("http://[::1]:8443") == 101);
  BOOST_TEST(behind("http://chat.example:8080") == 101);  // the same origin still counts
  BOOST_TEST(behind("http://chat.example") == 403);       // another scheme, another port
  BOOST_TEST(behind("https://chat.example:8443") == 403);
  BOOST_TEST(behind("https://evil.example") == 403);
  BOOST_TEST(behind("https://chat.example.evil.example") == 403);
  BOOST_TEST(behind("null") == 403);
  BOOST_TEST(statusOf(upgrade("Origin: https://chat.example\r\n")) == 403);  // not listed
}

BOOST_AUTO_TEST_CASE(a_request_with_a_body_is_400) {
  BOOST_TEST(statusOf("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n") == 400);
}

BOOST_AUTO_TEST_CASE(an_http_request_on_the_chat_port_is_sent_to_the_web_page_when_there_is_one) {
  server::HttpRequest request;
  request.method = "GET";
  request.path = "/";
  request.has_host = true;
  request.host = "chat.example:8989";
  const std::string redirect = server::chatPortAnswer(&request, 8080);
  BOOST_TEST(redirect.rfind("HTTP/1.1 308 Permanent Redirect\r\n", 0) == 0);
  BOOST_TEST(redirect.find("\r\nLocation: http://chat.example:8080/\r\n") != std::string::npos);
  BOOST_TEST(redirect.find("\r\nConnection: close\r\n") != std::string::npos);
  request.host = "[2001:DB8::1]:8989";
  BOOST_TEST(server::chatPortAnswer(&request, 8080).find("Location: http://[2001:db8::1]:8080/") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_a_web_page_or_a_usable_host_the_chat_port_answers_400_saying_how) {
  server::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.has_host = true;
  request.host = "10.0.0.5:8989";
  const std::string plain = server::chatPortAnswer(&request, 0);
  BOOST_TEST(plain.rfind("HTTP/1.1 400 Bad Request\r\n", 0) == 0);
  BOOST_TEST(plain.find("\r\n\r\nThis is a chat for nc and telnet, not a web page. Join it with: "
                        "nc 10.0.0.5 8989\n") != std::string::npos);
  // A Host that could carry markup or a header is not repeated, even with a web page.
  request.host = "evil\"<b>";
  const std::string odd = server::chatPortAnswer(&request, 8080);
  BOOST_TEST(odd.rfind("HTTP/1.1 400", 0) == 0);
  BOOST_TEST(odd.find("evil") == std::string::npos);
  BOOST_TEST(server::chatPortAnswer(nullptr, 8080).find("nc HOST PORT\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
