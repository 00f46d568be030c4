// End-to-end checks of who may connect (docs/ACCESS.md) and of the real client behind a
// trusted proxy (docs/ACCESS.md): the loopback addresses 127.0.0.2, 127.0.0.3 ... stand in for
// other computers, and a client bound to one of them plays the proxy.
#include <cstdio>
#include <fstream>
#include <memory>

#include "e2e/fixture.hpp"
#include "support/web_client.hpp"

namespace e2e {
namespace {

const std::string kTooMany = "Too many connections from your address.\n";

// Whether `text` at `at` matches `pattern` to its end: `[0-9]+` is one or more digits, `\\x` is
// the character x, anything else stands for itself. (std::regex would do, but GCC's own headers
// for it do not compile warning-free in the sanitizer build.)
bool matchesToEnd(std::string_view text, std::size_t at, std::string_view pattern) {
  constexpr std::string_view kDigits = "[0-9]+";
  if (pattern.empty()) return at == text.size();
  if (pattern.substr(0, kDigits.size()) == kDigits) {
    std::size_t end = at;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9') ++end;
    for (; end > at; --end) {
      if (matchesToEnd(text, end, pattern.substr(kDigits.size()))) return true;
    }
    return false;
  }
  std::size_t length = 1;
  char wanted = pattern[0];
  if (wanted == '\\' && pattern.size() > 1) {
    wanted = pattern[1];
    length = 2;
  }
  return at < text.size() && text[at] == wanted &&
         matchesToEnd(text, at + 1, pattern.substr(length));
}

// Whether some line of `log` ends with text matching `pattern`.
bool hasLineEndingLike(std::string_view log, std::string_view pattern) {
  for (std::size_t begin = 0; begin < log.size();) {
    std::size_t end = log.find('\n', begin);
    if (end == std::string_view::npos) end = log.size();
    const std::string_view line = log.substr(begin, end - begin);
    for (std::size_t at = 0; at < line.size(); ++at) {
      if (matchesToEnd(line, at, pattern)) return true;
    }
    begin = end + 1;
  }
  return false;
}

// Waits until the server's log has a line ending with text matching `pattern` (see above).
bool logHasLine(ChatServer& server, const std::string& pattern,
                std::int64_t timeout_ms = kReadTimeoutMs) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  while (!hasLineEndingLike(server.process().output(), pattern)) {
    if (net::monotonicMs() >= deadline) return false;
    pauseMs(10);
  }
  return true;
}

#define CHECK_LOG_LINE(server, pattern)                                                    \
  BOOST_CHECK_MESSAGE(::e2e::logHasLine((server), (pattern)), "no log line matching "      \
                                                                  << (pattern) << " in:\n" \
                                                                  << (server).process().output())

std::unique_ptr<ChatClient> connectFrom(ChatServer& server, std::string_view source,
                                        std::string_view host = "127.0.0.1") {
  auto client = std::make_unique<ChatClient>();
  BOOST_REQUIRE_MESSAGE(client->connectFrom(source, host, server.port()),
                        "connect from " << source << " failed: " << client->lastError().message);
  return client;
}

// A connection the server refuses by address: closed without a single byte.
void expectClosedWithoutAByte(ChatClient& client) {
  BOOST_TEST(shown(client.readUntilClosed()) == "");
  BOOST_TEST(client.peerClosed());
}

void expectWelcome(ChatClient& client) { REQUIRE_RECEIVES(client, kBanner); }

std::string proxyLine(std::string_view source, int source_port, std::uint16_t port) {
  return "PROXY TCP4 " + std::string(source) + " 127.0.0.1 " + std::to_string(source_port) + " " +
         std::to_string(port) + "\r\n";
}

// A chat server with a web port; both on free ports.
struct WebChat {
  explicit WebChat(std::vector<std::string> options)
      : web_port(pickFreePort()), server(withWeb(std::move(options), web_port)) {}

  static std::vector<std::string> withWeb(std::vector<std::string> options, std::uint16_t port) {
    BOOST_REQUIRE_MESSAGE(port != 0, "no free port for the web");
    options.push_back("--web");
    options.push_back(std::to_string(port));
    return options;
  }

  // An upgrade from `source` with `extra` header lines; the answer's head.
  HttpResponse upgrade(WebClient& web, std::string_view source, std::string_view extra = {}) {
    BOOST_REQUIRE(web.connect(web_port, source));
    return web.request(upgradeRequest("127.0.0.1:" + std::to_string(web_port), extra));
  }

  std::uint16_t web_port;
  ChatServer server;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_access)

BOOST_AUTO_TEST_CASE(denied_address_gets_no_byte_no_seat_and_one_log_line) {
  ChatServer server({"--deny", "127.0.0.2", "--max-clients", "1"});
  auto denied = connectFrom(server, "127.0.0.2");
  expectClosedWithoutAByte(*denied);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ refused: address not allowed "
                 "\\(--deny 127\\.0\\.0\\.2\\)");
  // The one seat is still free for everyone else.
  auto other = connectFrom(server, "127.0.0.3");
  expectWelcome(*other);
}

BOOST_AUTO_TEST_CASE(with_allow_rules_only_matching_addresses_get_in) {
  ChatServer server({"--allow", "127.0.0.3/32", "--allow", "10.0.0.0/8"});
  auto outsider = connectFrom(server, "127.0.0.2");
  expectClosedWithoutAByte(*outsider);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ refused: address not allowed "
                 "\\(no --allow rule matches\\)");
  auto allowed = connectFrom(server, "127.0.0.3");
  expectWelcome(*allowed);
  BOOST_REQUIRE(allowed->send("Alice\n"));
  CHECK_RECEIVES(*allowed, prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(deny_wins_over_allow) {
  ChatServer server({"--allow", "127.0.0.0/8", "--deny", "127.0.0.2"});
  auto denied = connectFrom(server, "127.0.0.2");
  expectClosedWithoutAByte(*denied);
  auto allowed = connectFrom(server, "127.0.0.3");
  expectWelcome(*allowed);
}

BOOST_AUTO_TEST_CASE(rules_are_read_from_files_at_start_up) {
  const std::string path = "access_test_deny.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "# blocked hosts\n\n127.0.0.2  # a test host\n";
  }
  {
    ChatServer server({"--denyfile", path});
    auto denied = connectFrom(server, "127.0.0.2");
    expectClosedWithoutAByte(*denied);
    CHECK_LOG_LINE(server,
                   "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ refused: address not allowed "
                   "\\(--denyfile access_test_deny\\.txt line 3: 127\\.0\\.0\\.2\\)");
    auto other = connectFrom(server, "127.0.0.3");
    expectWelcome(*other);
  }
  std::remove(path.c_str());
}

BOOST_AUTO_TEST_CASE(unreadable_or_bad_rule_file_stops_the_start_with_one_line) {
  const std::uint16_t port = pickFreePort();
  BOOST_REQUIRE(port != 0);
  const RunResult missing =
      runServer({std::to_string(port), "--allowfile", "no_such_access_file.txt"});
  BOOST_REQUIRE_MESSAGE(missing.status, missing.failure);
  BOOST_TEST(missing.status->exitedWith(1), missing.status->describe());
  BOOST_TEST(missing.err ==
             "netcat-chat: --allowfile no_such_access_file.txt: cannot open it for reading\n");
  BOOST_TEST(missing.out.find("Listening") == std::string::npos);
  const std::string path = "access_test_bad.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << "127.0.0.1\n127.0.0.300\n";
  }
  const RunResult bad = runServer({std::to_string(port), "--denyfile", path});
  std::remove(path.c_str());
  BOOST_REQUIRE_MESSAGE(bad.status, bad.failure);
  BOOST_TEST(bad.status->exitedWith(1), bad.status->describe());
  BOOST_TEST(bad.err ==
             "netcat-chat: --denyfile access_test_bad.txt line 2: '127.0.0.300' is "
             "not an IPv4 or IPv6 address\n");
}

BOOST_AUTO_TEST_CASE(bad_rule_on_the_command_line_is_a_usage_error) {
  const RunResult result = runServer({"--deny", "127.0.0.0/33"});
  BOOST_REQUIRE_MESSAGE(result.status, result.failure);
  BOOST_TEST(result.status->exitedWith(2), result.status->describe());
  BOOST_TEST(result.out == std::string(kUsage) + "\n");
  BOOST_TEST(result.err.find("--deny '127.0.0.0/33': the prefix length") != std::string::npos,
             result.err);
}

BOOST_AUTO_TEST_CASE(ipv4_mapped_client_meets_ipv4_rules) {
  // Dual-stack, an IPv4 client arrives as ::ffff:127.0.0.x; a rule written either way holds.
  ChatServer server({"--deny", "127.0.0.2", "--deny", "::ffff:127.0.0.4"});
  auto mapped = connectFrom(server, "::ffff:127.0.0.2", "::ffff:127.0.0.1");
  expectClosedWithoutAByte(*mapped);
  auto plain = connectFrom(server, "127.0.0.4");
  expectClosedWithoutAByte(*plain);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 127\\.0\\.0\\.4:[0-9]+ refused: address not allowed "
                 "\\(--deny ::ffff:127\\.0\\.0\\.4\\)");
  auto other = connectFrom(server, "::ffff:127.0.0.3", "::ffff:127.0.0.1");
  expectWelcome(*other);
}

BOOST_AUTO_TEST_CASE(rules_hold_on_the_web_port) {
  WebChat chat({"--deny", "127.0.0.2"});
  WebClient denied;
  const HttpResponse refused = chat.upgrade(denied, "127.0.0.2");
  BOOST_TEST(refused.status == 0);
  BOOST_TEST(shown(refused.head) == "");
  BOOST_TEST(refused.closed);
  CHECK_LOG_LINE(chat.server,
                 "#[0-9]+ web 127\\.0\\.0\\.2:[0-9]+ refused: address not allowed "
                 "\\(--deny 127\\.0\\.0\\.2\\)");
  WebClient welcome;
  BOOST_TEST(chat.upgrade(welcome, "127.0.0.3").status == 101);
}

BOOST_AUTO_TEST_CASE(trusted_proxy_names_the_client_for_the_log_and_max_per_address) {
  ChatServer server({"--trusted-proxy", "127.0.0.2", "--max-per-address", "1"});
  auto first = connectFrom(server, "127.0.0.2");
  // Nothing is sent before the header.
  BOOST_TEST(shown(first->readFor(100)) == "");
  // The header and the client's first bytes in one packet: the name reaches the chat.
  BOOST_REQUIRE(first->send(proxyLine("203.0.113.9", 51000, server.port()) + "Alice\n"));
  REQUIRE_RECEIVES(*first, std::string(kBanner) + prompt("Alice"));
  CHECK_LOG_LINE(server, "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ proxy for 203\\.0\\.113\\.9:51000");
  CHECK_LOG_LINE(server, "#[0-9]+ 203\\.0\\.113\\.9:51000 \"Alice\" joined general");
  // Another client through the same proxy is another address.
  auto second = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(second->send(proxyLine("203.0.113.10", 51000, server.port())));
  expectWelcome(*second);
  // The same client again is one too many, though the proxy's own address is the same for all.
  auto third = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(third->send(proxyLine("203.0.113.9", 51001, server.port())));
  BOOST_TEST(shown(third->readUntilClosed()) == shown(kTooMany));
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 203\\.0\\.113\\.9:51001 rejected: too many connections from "
                 "203\\.0\\.113\\.9 \\(1 at once\\)");
}

BOOST_AUTO_TEST_CASE(trusted_proxy_header_may_arrive_in_pieces) {
  ChatServer server({"--trusted-proxy", "127.0.0.0/30"});
  auto proxy = connectFrom(server, "127.0.0.2");
  const std::string header =
      "PROXY TCP6 2001:db8::9 ::1 4000 " + std::to_string(server.port()) + "\r\n";
  for (const char c : header) {
    BOOST_REQUIRE(proxy->send(std::string(1, c)));
    if (c == ' ') BOOST_TEST(shown(proxy->readFor(5)) == "");
  }
  expectWelcome(*proxy);
  BOOST_REQUIRE(proxy->send("Bob\n"));
  CHECK_RECEIVES(*proxy, prompt("Bob"));
  CHECK_LOG_LINE(server, "#[0-9]+ \\[2001:db8::9\\]:4000 \"Bob\" joined general");
}

BOOST_AUTO_TEST_CASE(rules_are_checked_again_on_the_address_a_proxy_names) {
  ChatServer server(
      {"--trusted-proxy", "127.0.0.2", "--allow", "198.51.100.0/24", "--deny", "198.51.100.66"});
  // The proxy is trusted, so its own address is not what the rules judge.
  auto allowed = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(allowed->send(proxyLine("198.51.100.7", 1234, server.port())));
  expectWelcome(*allowed);
  auto denied = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(denied->send(proxyLine("198.51.100.66", 1234, server.port())));
  expectClosedWithoutAByte(*denied);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 198\\.51\\.100\\.66:1234 refused: address not allowed "
                 "\\(--deny 198\\.51\\.100\\.66\\)");
  // Untrusted, the proxy's own address is judged, and refused.
  auto direct = connectFrom(server, "127.0.0.3");
  expectClosedWithoutAByte(*direct);
}

BOOST_AUTO_TEST_CASE(proxy_unknown_keeps_the_proxy_address) {
  ChatServer server({"--trusted-proxy", "127.0.0.2"});
  auto proxy = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(proxy->send("PROXY UNKNOWN\r\nCarol\n"));
  REQUIRE_RECEIVES(*proxy, std::string(kBanner) + prompt("Carol"));
  CHECK_LOG_LINE(server, "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ \"Carol\" joined general");
}

BOOST_AUTO_TEST_CASE(trusted_proxy_without_a_header_is_closed_without_a_byte) {
  ChatServer server({"--trusted-proxy", "127.0.0.2", "--name-timeout", "1"});
  auto talker = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(talker->send("Alice\n"));
  expectClosedWithoutAByte(*talker);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ refused: not a PROXY header from a "
                 "trusted proxy");
  auto malformed = connectFrom(server, "127.0.0.2");
  BOOST_REQUIRE(malformed->send("PROXY TCP4 203.0.113.9  127.0.0.1 1 2\r\n"));
  expectClosedWithoutAByte(*malformed);
  CHECK_LOG_LINE(server, "refused: malformed PROXY header from a trusted proxy");
  auto silent = connectFrom(server, "127.0.0.2");
  const std::int64_t start = net::monotonicMs();
  expectClosedWithoutAByte(*silent);
  BOOST_TEST(net::monotonicMs() - start >= 900);
  CHECK_LOG_LINE(server,
                 "#[0-9]+ 127\\.0\\.0\\.2:[0-9]+ refused: no PROXY header from a trusted "
                 "proxy within 1 s");
}

BOOST_AUTO_TEST_CASE(untrusted_peer_sending_a_proxy_line_is_just_typing) {
  ChatServer server({"--trusted-proxy", "127.0.0.2"});
  auto typist = connectFrom(server, "127.0.0.3");
  expectWelcome(*typist);
  BOOST_REQUIRE(typist->send(proxyLine("203.0.113.9", 51000, server.port())));
  CHECK_RECEIVES(*typist, std::string(kNameTooLong) + std::string(kNamePrompt));
  BOOST_REQUIRE(typist->send("PROXY UNKNOWN\r\n"));
  CHECK_RECEIVES(*typist, prompt("PROXY UNKNOWN"));
  CHECK_LOG_LINE(server, "#[0-9]+ 127\\.0\\.0\\.3:[0-9]+ \"PROXY UNKNOWN\" joined general");
  BOOST_TEST(server.process().output().find("proxy for") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(x_forwarded_for_names_the_web_client_of_a_trusted_proxy_only) {
  WebChat chat({"--trusted-proxy", "127.0.0.2", "--deny", "203.0.113.9", "--max-per-address", "1"});
  // Through the proxy: the right-most address that is not the proxy's is the client's.
  WebClient proxied;
  BOOST_TEST(chat.upgrade(proxied, "127.0.0.2",
                          "X-Forwarded-For: 203.0.113.9, 198.51.100.7\r\n"
                          "X-Forwarded-For: 127.0.0.2\r\n")
                 .status == 101);
  CHECK_LOG_LINE(chat.server, "#[0-9]+ web 198\\.51\\.100\\.7 connected");
  // The same client again: one too many, by the address the proxy named.
  WebClient again;
  BOOST_TEST(chat.upgrade(again, "127.0.0.2", "X-Forwarded-For: 198.51.100.7\r\n").status == 101);
  std::string bad;
  BOOST_TEST(again.readTextUntil(kTooMany, bad) == kTooMany);
  // A denied client through the proxy: closed without a byte.
  WebClient denied;
  const HttpResponse refused =
      chat.upgrade(denied, "127.0.0.2", "X-Forwarded-For: 203.0.113.9\r\n");
  BOOST_TEST(refused.status == 0);
  BOOST_TEST(refused.closed);
  CHECK_LOG_LINE(chat.server,
                 "#[0-9]+ web 203\\.0\\.113\\.9 refused: address not allowed "
                 "\\(--deny 203\\.0\\.113\\.9\\)");
  // A malformed header from the proxy: 400.
  WebClient malformed;
  BOOST_TEST(chat.upgrade(malformed, "127.0.0.2", "X-Forwarded-For: unknown\r\n").status == 400);
  CHECK_LOG_LINE(chat.server,
                 "#[0-9]+ web 127\\.0\\.0\\.2:[0-9]+ refused: malformed "
                 "X-Forwarded-For from a trusted proxy");
  // From anyone else the header changes nothing.
  WebClient direct;
  BOOST_TEST(chat.upgrade(direct, "127.0.0.3", "X-Forwarded-For: 203.0.113.9\r\n").status == 101);
  CHECK_LOG_LINE(chat.server, "#[0-9]+ web 127\\.0\\.0\\.3:[0-9]+ connected");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
