// End-to-end checks of bad and unusual input (docs/PROTOCOL.md §9): framing, telnet, control bytes,
// UTF-8.
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
constexpr char kTimingMark = '\x06';
// RFC 854: CR NUL is a carriage return alone; telnet sends it for Enter in character mode.
const std::string kCrNul("\r\0", 2);

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

// Sends `keys` as a client that sends every key as it is typed (Windows telnet): one send() per
// key, so each usually reaches the server in a read of its own.
void typeKeyByKey(ChatClient& client, std::string_view keys) {
  for (char key : keys) BOOST_REQUIRE(client.send(std::string(1, key)));
}

// Sends `keys` one by one, each certainly in a later read than the bytes before it: every key is
// followed by IAC DO TIMING-MARK, and the next one waits for the server's WILL TIMING-MARK, which
// it sends once it has read everything before. The telnet filter removes the marks before the
// keys are applied, as it removes any negotiation.
void typeInSeparateReads(ChatClient& client, std::string_view keys) {
  for (char key : keys) {
    BOOST_REQUIRE(client.send(std::string(1, key) + telnet(kDo, kTimingMark)));
    REQUIRE_RECEIVES(client, telnet(kWill, kTimingMark));
  }
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
  // docs/PROTOCOL.md §9.4: control characters are removed; whole sequences may go too.
  BOOST_CHECK_MESSAGE(text == "a[2Jb[1;1Hc]0;titled" || text == "abcd", "got " << shown(text));
}

BOOST_AUTO_TEST_CASE(control_characters_are_removed_and_tabs_become_spaces) {
  ChatServer server;
  joinAliceAndBob(server);
  // BS and DEL are the erase keys: each takes the character before it ("c", "g") with it.
  checkRelayed(server,
               std::string("a\x01"
                           "b\x07"
                           "c\b"
                           "d\te\x0b"
                           "f\x0cg\x7fh\0i\x1fj\n",
                           20),
               "abd efhij");
}

BOOST_AUTO_TEST_CASE(line_of_only_control_characters_is_not_broadcast) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  BOOST_REQUIRE(alice.send("\x01\x1b\x7f\b\x02\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  server.say("Alice", "visible");
}

BOOST_AUTO_TEST_CASE(faked_line_cannot_be_injected) {
  ChatServer server;
  joinAliceAndBob(server);
  // A bare CR would let Alice overwrite what Bob sees as her prefix; it is removed. Her
  // backspaces erase characters of her own line, never what came before it.
  checkRelayed(server, "x\r[Bob]:I owe Alice money\b\b\n", "x[Bob]:I owe Alice mon");
  checkRelayed(server, std::string(10, '\b') + "y\x7f\x7f\x7fz\n", "z");
}

BOOST_AUTO_TEST_CASE(windows_telnet_typing_a_backspace_sends_the_corrected_line) {
  ChatServer server;
  joinAliceAndBob(server);
  // What Windows telnet sends for H e y Backspace l l o Enter: a packet per key.
  typeKeyByKey(server.member("Alice"), "Hey\bllo\r\n");
  CHECK_RECEIVES(server.member("Alice"), prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", "Hello"));
}

BOOST_AUTO_TEST_CASE(windows_telnet_corrects_a_name_at_the_prompt) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  auto bob = server.connect();
  typeKeyByKey(*bob, "Bpb\b\bob\r\n");
  CHECK_RECEIVES(*bob, prompt("Bob"));
  CHECK_RECEIVES(alice, joinNoticeTo("Alice", "Bob"));
  // A name erased to nothing is an empty name, as a blank line is.
  auto carol = server.connect();
  typeKeyByKey(*carol, "Al\b\b\b\r\n");
  CHECK_RECEIVES(*carol, std::string(kNameEmpty) + std::string(kNamePrompt));
  typeKeyByKey(*carol, "Carl\x7fol\r\n");
  CHECK_RECEIVES(*carol, prompt("Carol"));
  CHECK_RECEIVES(alice, joinNoticeTo("Alice", "Carol"));
}

BOOST_AUTO_TEST_CASE(a_backspace_in_a_later_read_erases_a_whole_multibyte_character) {
  ChatServer server;
  joinAliceAndBob(server);
  ChatClient& alice = server.member("Alice");
  // A key by itself in a read, after characters of two, three and four bytes.
  typeInSeparateReads(alice, "caf\xC3\xA9\b");
  typeInSeparateReads(alice, "e \xE2\x82\xAC\x7f");
  typeInSeparateReads(alice, "$ \xF0\x9F\x98\x80\b:)");
  checkRelayed(server, "\r\n", "cafe $ :)");
}

BOOST_AUTO_TEST_CASE(ctrl_u_erases_the_line_and_ctrl_w_the_word_before_the_cursor) {
  ChatServer server;
  joinAliceAndBob(server);
  ChatClient& alice = server.member("Alice");
  typeKeyByKey(alice, "wrong\x15right\r\n");
  CHECK_RECEIVES(alice, prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", "right"));
  // Ctrl-W takes the spaces before the cursor, then the word before them.
  typeKeyByKey(alice, "see you tomorow  \x17today\r\n");
  CHECK_RECEIVES(alice, prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", "see you today"));
  // With each key in a read of its own.
  typeInSeparateReads(alice, "one two\x17\x17");
  checkRelayed(server, "three\r\n", "three");
}

BOOST_AUTO_TEST_CASE(ctrl_u_and_ctrl_w_at_the_name_prompt) {
  ChatServer server;
  joinAliceAndBob(server);
  auto carol = server.connect();
  typeInSeparateReads(*carol, "Mallory\x15");
  typeKeyByKey(*carol, "Carol Ann  \x17\r\n");
  CHECK_RECEIVES(*carol, prompt("Carol"));
  server.expectAtMembers([](const std::string& me) { return joinNoticeTo(me, "Carol"); });
}

BOOST_AUTO_TEST_CASE(cr_nul_ends_a_line_as_cr_lf_does) {
  ChatServer server;
  ChatClient& bob = server.join("Bob");
  auto alice = server.connect();
  BOOST_REQUIRE(alice->send("Alice" + kCrNul));
  CHECK_RECEIVES(*alice, prompt("Alice"));
  CHECK_RECEIVES(bob, joinNoticeTo("Bob", "Alice"));
  // Lines ended every way, in one packet, then CR and NUL in packets of their own.
  BOOST_REQUIRE(alice->send("one" + kCrNul + "two\r\nthree\nfour" + kCrNul));
  CHECK_RECEIVES(*alice, prompt("Alice") + prompt("Alice") + prompt("Alice") + prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "one") + messageTo("Bob", "Alice", "two") +
                          messageTo("Bob", "Alice", "three") + messageTo("Bob", "Alice", "four"));
  typeInSeparateReads(*alice, "five\r");
  BOOST_REQUIRE(alice->send(std::string(1, '\0')));
  CHECK_RECEIVES(*alice, prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "five"));
}

BOOST_AUTO_TEST_CASE(a_line_too_long_ends_at_cr_nul_and_the_next_is_read) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient& bob = server.join("Bob");
  BOOST_REQUIRE(alice.send(std::string(5000, 'x') + kCrNul + "after" + kCrNul));
  CHECK_RECEIVES(
      alice, "Message too long (max 4096 bytes); not sent.\n" + prompt("Alice") + prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "after"));
  // Erased as it is typed, a line never reaches the limit.
  std::string typed;
  for (int i = 0; i < 10; ++i) typed += std::string(4000, 'y') + "\x15";
  checkRelayed(server, typed + "short\r\n", "short");
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
