// End-to-end checks of bad and unusual input (SPEC §3): framing, telnet, control bytes, UTF-8.
#include "e2e/fixture.hpp"

namespace e2e {
namespace {

// Telnet bytes (RFC 854), spelled out so the tests read like the protocol.
constexpr char kIac = '\xFF';
constexpr char kWill = '\xFB';
constexpr char kWont = '\xFC';
constexpr char kDo = '\xFD';
constexpr char kDont = '\xFE';
constexpr char kSb = '\xFA';
constexpr char kSe = '\xF0';
constexpr char kNop = '\xF1';
constexpr char kGoAhead = '\xF9';
constexpr char kEcho = '\x01';
constexpr char kSuppressGoAhead = '\x03';
constexpr char kTerminalType = '\x18';
constexpr char kLinemode = '\x22';

std::string telnet(char verb) { return {kIac, verb}; }
std::string telnet(char verb, char option) { return {kIac, verb, option}; }
// IAC SB TERMINAL-TYPE IS <payload> IAC SE
std::string terminalTypeIs(std::string_view payload) {
  return telnet(kSb, kTerminalType) + '\0' + std::string(payload) + telnet(kSe);
}

// Alice sends `bytes` (one or more whole lines); Bob must receive `expected` as her message, and
// Alice the server's `answers` to her telnet negotiation, if any, then her prompt.
void checkRelayed(ChatServer& server, std::string_view bytes, const std::string& expected,
                  const std::string& answers = "") {
  BOOST_TEST_CONTEXT("sent " << shown(bytes)) {
    BOOST_REQUIRE(server.member("Alice").send(bytes));
    CHECK_RECEIVES(server.member("Alice"), answers + prompt("Alice"));
    CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", expected));
  }
}

// What Bob receives as Alice's message when she sends `bytes`, with the framing checked.
std::string relayedText(ChatServer& server, std::string_view bytes) {
  BOOST_REQUIRE(server.member("Alice").send(bytes));
  CHECK_RECEIVES(server.member("Alice"), prompt("Alice"));
  const std::string head = "\n" + prompt("Alice");
  const std::string tail = "\n" + prompt("Bob");
  const std::string received = maskTimestamps(server.member("Bob").readUntil("[Bob]:"));
  const bool framed = received.size() >= head.size() + tail.size() &&
                      received.compare(0, head.size(), head) == 0 &&
                      received.compare(received.size() - tail.size(), tail.size(), tail) == 0;
  BOOST_REQUIRE_MESSAGE(framed, "not one message: " << shown(received));
  return received.substr(head.size(), received.size() - head.size() - tail.size());
}

void joinAliceAndBob(ChatServer& server) {
  server.join("Alice");
  server.join("Bob");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_input)

BOOST_AUTO_TEST_CASE(crlf_line_endings_are_accepted_for_names_and_messages) {
  ChatServer server;
  server.join("Bob", "", "Bob\r");
  server.join("Alice", "", "Alice\r");
  checkRelayed(server, "hello\r\n", "hello");
}

BOOST_AUTO_TEST_CASE(carriage_return_inside_a_line_is_removed) {
  ChatServer server;
  joinAliceAndBob(server);
  checkRelayed(server, "over\rwrite\r\n", "overwrite");
}

BOOST_AUTO_TEST_CASE(several_lines_in_one_packet_are_separate_messages) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient& bob = server.join("Bob");
  BOOST_REQUIRE(alice.send("one\ntwo\r\nthree\n"));
  CHECK_RECEIVES(alice, prompt("Alice") + prompt("Alice") + prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "one") + messageTo("Bob", "Alice", "two") +
                          messageTo("Bob", "Alice", "three"));
}

BOOST_AUTO_TEST_CASE(name_and_first_message_in_one_packet) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  auto bob = server.connect();
  BOOST_REQUIRE(bob->send("Bob\nhi all\n"));
  CHECK_RECEIVES(*bob, prompt("Bob") + prompt("Bob"));
  CHECK_RECEIVES(alice, joinNoticeTo("Alice", "Bob") + messageTo("Alice", "Bob", "hi all"));
}

BOOST_AUTO_TEST_CASE(line_sent_one_byte_at_a_time_is_one_message) {
  ChatServer server;
  server.join("Alice");
  auto bob = server.connect();
  for (char byte : std::string("Bob\r\n")) BOOST_REQUIRE(bob->send(std::string(1, byte)));
  CHECK_RECEIVES(*bob, prompt("Bob"));
  CHECK_RECEIVES(server.member("Alice"), joinNoticeTo("Alice", "Bob"));
  const std::string text = "slowly, one byte per packet \xE2\x82\xAC";
  for (char byte : text + "\r\n") BOOST_REQUIRE(bob->send(std::string(1, byte)));
  CHECK_RECEIVES(*bob, prompt("Bob"));
  CHECK_RECEIVES(server.member("Alice"), messageTo("Alice", "Bob", text));
}

BOOST_AUTO_TEST_CASE(telnet_negotiation_before_the_name_is_removed) {
  ChatServer server;
  server.join("Bob");
  // What a telnet client may send first; the server refuses both options.
  auto alice = server.connect();
  BOOST_REQUIRE(
      alice->send(telnet(kDo, kSuppressGoAhead) + telnet(kWill, kTerminalType) + "Alice\r\n"));
  CHECK_RECEIVES(*alice,
                 telnet(kWont, kSuppressGoAhead) + telnet(kDont, kTerminalType) + prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), joinNoticeTo("Bob", "Alice"));
}

BOOST_AUTO_TEST_CASE(telnet_commands_inside_a_message_are_removed) {
  ChatServer server;
  joinAliceAndBob(server);
  checkRelayed(server,
               "he" + telnet(kWill, kEcho) + "l" + telnet(kDo, kSuppressGoAhead) + "lo" +
                   telnet(kDont, kLinemode) + " w" + telnet(kWont, kEcho) + "orld\n",
               "hello world", telnet(kDont, kEcho) + telnet(kWont, kSuppressGoAhead));
  checkRelayed(server, "no" + telnet(kNop) + "p" + telnet(kGoAhead) + "e\n", "nope");
}

BOOST_AUTO_TEST_CASE(telnet_subnegotiation_is_removed_with_its_payload) {
  ChatServer server;
  joinAliceAndBob(server);
  checkRelayed(server, "be" + terminalTypeIs("VT100") + "fore\n", "before");
  // An escaped IAC inside the payload does not end the subnegotiation.
  checkRelayed(server, "x" + terminalTypeIs("a" + telnet(kIac) + "b") + "y\n", "xy");
}

BOOST_AUTO_TEST_CASE(telnet_command_split_across_packets_is_removed) {
  ChatServer server;
  joinAliceAndBob(server);
  ChatClient& alice = server.member("Alice");
  const std::string line = "ab" + telnet(kDo, kEcho) + "cd" + terminalTypeIs("zz") + "ef\n";
  // Cut right after each IAC and after each verb, where a per-packet filter would lose track.
  std::size_t from = 0;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == kIac || line[i] == kDo || line[i] == kSb) {
      BOOST_REQUIRE(alice.send(line.substr(from, i + 1 - from)));
      from = i + 1;
    }
  }
  checkRelayed(server, line.substr(from), "abcdef", telnet(kWont, kEcho));
}

BOOST_AUTO_TEST_CASE(escaped_iac_is_not_passed_on_as_a_raw_byte) {
  ChatServer server;
  joinAliceAndBob(server);
  // IAC IAC is the data byte 0xFF: removed as telnet, or replaced as invalid UTF-8; either way
  // no raw 0xFF may reach another client.
  const std::string text = relayedText(server, "a" + telnet(kIac) + "b\n");
  BOOST_CHECK_MESSAGE(text == "ab" || text == "a" + std::string(kReplacement) + "b",
                      "got " << shown(text));
}

BOOST_AUTO_TEST_CASE(escape_byte_is_removed_so_no_terminal_sequence_survives) {
  ChatServer server;
  joinAliceAndBob(server);
  const std::string text = relayedText(server,
                                       "a\x1b[2Jb\x1b[1;1Hc\x1b]0;title\x07"
                                       "d\n");
  BOOST_CHECK_MESSAGE(text.find('\x1b') == std::string::npos, "ESC survived: " << shown(text));
  // SPEC: control characters are removed; whole sequences may go too.
  BOOST_CHECK_MESSAGE(text == "a[2Jb[1;1Hc]0;titled" || text == "abcd", "got " << shown(text));
}

BOOST_AUTO_TEST_CASE(control_characters_are_removed_and_tabs_become_spaces) {
  ChatServer server;
  joinAliceAndBob(server);
  checkRelayed(server,
               std::string("a\x01"
                           "b\x07"
                           "c\b"
                           "d\te\x0b"
                           "f\x0cg\x7fh\0i\x1fj\n",
                           20),
               "abcd efghij");
}

BOOST_AUTO_TEST_CASE(line_of_only_control_characters_is_not_broadcast) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  BOOST_REQUIRE(alice.send("\x01\x1b\x7f\b\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  server.say("Alice", "visible");
}

BOOST_AUTO_TEST_CASE(faked_line_cannot_be_injected) {
  ChatServer server;
  joinAliceAndBob(server);
  // A bare CR and backspaces would let Alice overwrite what Bob sees as her prefix.
  checkRelayed(server, "x\r[Bob]:I owe Alice money\b\b\n", "x[Bob]:I owe Alice money");
}

BOOST_AUTO_TEST_CASE(valid_utf8_passes_unchanged) {
  ChatServer server;
  joinAliceAndBob(server);
  const std::string text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80 \xE6\x97\xA5\xE6\x9C\xAC";
  checkRelayed(server, text + "\n", text);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_bytes_become_replacement_characters) {
  ChatServer server;
  joinAliceAndBob(server);
  const std::string fffd(kReplacement);
  checkRelayed(server,
               "a\xC3"
               "b\n",
               "a" + fffd + "b");  // lead byte without continuation
  checkRelayed(server,
               "c\x80"
               "d\n",
               "c" + fffd + "d");  // lone continuation byte
  checkRelayed(server,
               "e\xFE"
               "f\n",
               "e" + fffd + "f");  // never valid in UTF-8
}

BOOST_AUTO_TEST_CASE(overlong_surrogate_and_truncated_sequences_become_valid_utf8) {
  ChatServer server;
  joinAliceAndBob(server);
  for (const std::string bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xE2\x82", "\xF0\x9F\x98"}) {
    BOOST_TEST_CONTEXT("bytes " << shown(bad)) {
      const std::string text = relayedText(server, "<" + bad + ">\n");
      BOOST_CHECK_MESSAGE(isValidUtf8(text), "not valid UTF-8: " << shown(text));
      BOOST_CHECK_MESSAGE(text.size() > 2 && text.front() == '<' && text.back() == '>' &&
                              text.find(kReplacement) != std::string::npos,
                          "got " << shown(text));
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_a_name_becomes_a_replacement_character) {
  ChatServer server;
  server.join("Alice");
  server.join("Bo" + std::string(kReplacement) + "b", "",
              "Bo\xC3"
              "b");
}

BOOST_AUTO_TEST_CASE(telnet_command_inside_a_name_is_removed) {
  ChatServer server;
  server.join("Bob");
  auto alice = server.connect();
  BOOST_REQUIRE(alice->send("Al" + telnet(kWill, kEcho) + "ice\n"));
  CHECK_RECEIVES(*alice, telnet(kDont, kEcho) + prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), joinNoticeTo("Bob", "Alice"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
