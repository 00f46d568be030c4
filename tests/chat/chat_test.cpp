// Unit tests of the chat rules of docs/PROTOCOL.md §4–§10, driven by events without sockets.
#include "chat/chat.hpp"

#include <boost/test/unit_test.hpp>
#include <string>

#include "chat/protocol.hpp"
#include "support/chat_fixture.hpp"

namespace p = chat::protocol;
using chat_test::ChatFixture;

namespace {
const std::string kPrompt(p::kNamePrompt);
bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(chat_naming)

BOOST_AUTO_TEST_CASE(newcomer_gets_banner_logo_and_name_prompt) {
  ChatFixture f;
  BOOST_REQUIRE(f.chat->connect(7, "127.0.0.1:1", f.now()));
  BOOST_TEST(std::string(f.chat->pending(7)) == std::string(p::kWelcome) + kPrompt);
  BOOST_TEST(kPrompt.back() == ' ');
}

BOOST_AUTO_TEST_CASE(rejected_names_get_one_line_and_the_prompt_again) {
  ChatFixture f;
  f.join("Alice");
  const auto id = f.open();
  const std::pair<std::string, std::string_view> cases[] = {
      {"\n", p::kNameEmpty},
      {"   \t \n", p::kNameEmpty},
      {std::string(33, 'n') + "\n", p::kNameTooLong},
      {"[x]\n", p::kNameBadChars},
      {"a]b\n", p::kNameBadChars},
      {"bad\x1bname\n", p::kNameBadChars},
      {std::string("nul\0name\n", 9), p::kNameBadChars},
      {"unit\x1fsep\n", p::kNameBadChars},
      {"ALICE\n", p::kNameTaken},
      {"  alice \n", p::kNameTaken},
  };
  for (const auto& [typed, reply] : cases) {
    f.type(id, typed);
    BOOST_TEST(f.drain(id) == std::string(reply) + kPrompt);
  }
  BOOST_TEST(f.chat->isConnected(id));
}

BOOST_AUTO_TEST_CASE(thirty_two_multibyte_code_points_are_a_valid_name) {
  ChatFixture f;
  std::string name;
  for (int i = 0; i < 32; ++i) name += "\xc3\xa9";
  f.join(name);
  const auto id = f.open();
  f.type(id, name + "\xc3\xa9\n");
  BOOST_TEST(f.drain(id) == std::string(p::kNameTooLong) + kPrompt);
}

BOOST_AUTO_TEST_CASE(name_is_trimmed_and_keeps_inner_spaces) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, " \t Jean Luc \t\r\n");
  BOOST_TEST(f.drain(id) == f.prompt("Jean Luc"));
}

BOOST_AUTO_TEST_CASE(silent_connection_times_out_at_the_prompt) {
  ChatFixture f(chat::Settings{10, 10000, 5000});
  const auto id = f.open();
  f.ms += 4999;
  f.chat->tick(f.now());
  BOOST_TEST(f.chat->isConnected(id));
  BOOST_TEST(f.chat->nextDeadline() == f.ms + 1);
  f.ms += 1;
  f.chat->tick(f.now());
  BOOST_TEST(!f.chat->isConnected(id));
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  // The cursor sits after the prompt, so the line starts on a line of its own.
  BOOST_TEST(gone[0].farewell == "\nTimed out waiting for a name.\n");
  BOOST_TEST(!gone[0].abort);
}

BOOST_AUTO_TEST_CASE(named_client_never_times_out) {
  ChatFixture f(chat::Settings{10, 10000, 5000});
  const auto id = f.join("Alice");
  f.ms += 60000;
  f.chat->tick(f.now());
  BOOST_TEST(f.chat->isConnected(id));
}

BOOST_AUTO_TEST_CASE(over_long_name_line_is_refused_and_discarded) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, std::string(5000, 'x'));
  BOOST_TEST(f.drain(id) == std::string(p::kNameTooLong) + kPrompt);
  f.type(id, std::string(100, 'x') + "\nBob\n");
  BOOST_TEST(f.drain(id) == f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(name_typed_key_by_key_is_corrected_with_the_editing_keys) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto id = f.open();
  // Windows telnet: every key in a packet of its own, Backspace as BS, Enter as CR LF.
  for (char key : std::string("Bpb\b\bob\r\n")) f.type(id, std::string(1, key));
  BOOST_TEST(f.drain(id) == f.prompt("Bob"));
  BOOST_TEST(f.drain(alice) == "\nBob has joined our chat...\n" + f.prompt("Alice"));
  const auto carol = f.open();
  f.type(carol,
         "Alice\x15"
         "Car\x7f"
         "ro\x17"
         "Carol\r");
  f.type(carol, std::string(1, '\0'));  // CR NUL, as telnet sends Enter in character mode
  BOOST_TEST(f.drain(carol) == f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(a_name_erased_to_nothing_is_empty) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, "Bob\b\b\b\b\r\n");
  BOOST_TEST(f.drain(id) == std::string(p::kNameEmpty) + kPrompt);
  f.type(id,
         "Bob  \x17\x17"
         "Ann\n");
  BOOST_TEST(f.drain(id) == f.prompt("Ann"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chat_joining)

BOOST_AUTO_TEST_CASE(others_see_the_join_and_the_newcomer_does_not) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto waiting = f.open();
  const auto bob = f.open();
  f.type(bob, "Bob\n");
  BOOST_TEST(f.drain(bob) == f.prompt("Bob"));
  BOOST_TEST(f.drain(alice) == "\nBob has joined our chat...\n" + f.prompt("Alice"));
  BOOST_TEST(f.drain(waiting).empty());
}

BOOST_AUTO_TEST_CASE(newcomer_receives_history_of_messages_only) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "hi\n");
  f.type(bob, "hello\n");
  f.chat->disconnected(bob, "closed", f.now());
  const auto carol = f.open();
  f.type(carol, "Carol\n");
  BOOST_TEST(f.drain(carol) ==
             "[2020-01-20 15:48:41][Alice]:hi\n"
             "[2020-01-20 15:48:41][Bob]:hello\n" +
                 f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(history_keeps_only_the_last_n_messages) {
  ChatFixture f(chat::Settings{10, 2, 60000});
  const auto alice = f.join("Alice");
  for (const char* m : {"one\n", "two\n", "three\n"}) f.type(alice, m);
  const auto bob = f.open();
  f.type(bob, "Bob\n");
  const std::string seen = f.drain(bob);
  BOOST_TEST(!contains(seen, "]:one"));
  BOOST_TEST(contains(seen, "]:two\n"));
  BOOST_TEST(contains(seen, "]:three\n"));
}

BOOST_AUTO_TEST_CASE(large_history_streams_as_the_client_reads) {
  ChatFixture f(chat_test::unthrottled({10, 20000, 60000}));
  const auto alice = f.join("Alice");
  const std::string text(100, 'h');
  for (int i = 0; i < 20000; ++i) f.type(alice, text + "\n");
  const auto bob = f.open();
  f.type(bob, "Bob\n");
  BOOST_TEST(f.chat->pending(bob).size() <= chat::kReplayWindow + 200);
  BOOST_TEST(!f.chat->wantsInput(bob));
  const std::string seen = f.drain(bob);
  const std::string line = "[2020-01-20 15:48:41][Alice]:" + text + "\n";
  BOOST_TEST(seen.size() == 20000 * line.size() + f.prompt("Bob").size());
  BOOST_TEST(seen.substr(seen.size() - line.size() - f.prompt("Bob").size()) ==
             line + f.prompt("Bob"));
  BOOST_TEST(f.chat->wantsInput(bob));
}

BOOST_AUTO_TEST_CASE(lines_typed_behind_the_name_wait_for_the_replay) {
  ChatFixture f(chat_test::unthrottled({10, 20000, 60000}));
  const auto alice = f.join("Alice");
  for (int i = 0; i < 5000; ++i) f.type(alice, std::string(100, 'h') + "\n");
  f.drain(alice);
  const auto bob = f.open();
  f.type(bob, "Bob\nfirst words\n");
  BOOST_TEST(!contains(f.drain(alice), "first words"));  // nothing yet: the replay is under way
  f.drain(bob);
  BOOST_TEST(f.drain(alice) == "\nBob has joined our chat...\n" + f.prompt("Alice") +
                                   "\n[2020-01-20 15:48:41][Bob]:first words\n" +
                                   f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(eleventh_connection_is_refused_counting_unnamed_ones) {
  ChatFixture f;
  for (int i = 0; i < 5; ++i) f.join("user" + std::to_string(i));
  for (int i = 0; i < 5; ++i) f.open();
  BOOST_TEST(!f.chat->connect(99, "127.0.0.1:9", f.now()));
  BOOST_TEST(f.chat->clientCount() == 10u);
  BOOST_TEST(contains(f.log.lines.back(), "full"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chat_talking)

BOOST_AUTO_TEST_CASE(message_reaches_others_stamped_and_sender_gets_a_prompt) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(alice, "hello there\n");
  BOOST_TEST(f.drain(alice) == f.prompt("Alice"));
  BOOST_TEST(f.drain(bob) == "\n[2020-01-20 15:48:41][Alice]:hello there\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(blank_lines_are_not_broadcast) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(alice, "\n   \n\t\n\x1b\n");
  BOOST_TEST(f.drain(alice) ==
             f.prompt("Alice") + f.prompt("Alice") + f.prompt("Alice") + f.prompt("Alice"));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(control_bytes_are_stripped_from_messages) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "\x1b[2Jfake\rline\tx\xfe\n");
  BOOST_TEST(f.drain(bob) ==
             "\n[2020-01-20 15:48:41][Alice]:[2Jfakeline x\xef\xbf\xbd\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(editing_keys_are_applied_before_the_message_is_sent) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(alice, "Hey\bllo w\xc3\xa9\x7forld\r\n");
  BOOST_TEST(f.drain(bob) == "\n[2020-01-20 15:48:41][Alice]:Hello world\n" + f.prompt("Bob"));
  f.type(alice,
         "oops\x15"
         "fine, thanks\x17\x17");
  f.type(alice, "thanks\r");
  f.type(alice, std::string(1, '\0'));
  BOOST_TEST(f.drain(bob) == "\n[2020-01-20 15:48:41][Alice]:thanks\n" + f.prompt("Bob"));
  // A line erased to nothing is a blank line: nothing is sent.
  f.type(alice, "gone\x15\r\n");
  BOOST_TEST(f.drain(alice) == f.prompt("Alice") + f.prompt("Alice") + f.prompt("Alice"));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(editing_keys_are_applied_before_a_command_is_read) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(alice,
         "/name Alic\x17"
         "Alex\r\n");
  BOOST_TEST(f.chat->nameOf(alice) == "Alex");
  f.type(alice, "/lost\b\b\bist\r\n");
  BOOST_TEST(f.drain(alice).find("Online (2): Alex, Bob\n") != std::string::npos);
  f.drain(bob);
}

BOOST_AUTO_TEST_CASE(input_held_for_a_line_with_edits_stays_within_the_limit) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  f.drain(alice);
  for (int i = 0; i < 100; ++i) {
    f.type(alice, std::string(4000, 'e') + "\x15");
    BOOST_TEST_REQUIRE(f.chat->inputHeld(alice) <= chat::kMaxLineBytes + 1);
  }
  f.type(alice, std::string(4096, 'f') + "\x7f\n");
  BOOST_TEST(f.drain(alice) == f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(too_long_line_is_refused_and_sender_stays) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(alice, std::string(4097, 'x') + "\n");
  BOOST_TEST(f.drain(alice) == std::string(p::kMessageTooLong) + f.prompt("Alice"));
  f.type(alice, std::string(4096, 'y') + "\r\n");
  BOOST_TEST(f.drain(bob) ==
             "\n[2020-01-20 15:48:41][Alice]:" + std::string(4096, 'y') + "\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(everyone_sees_events_in_the_same_order) {
  ChatFixture f;
  const auto a = f.join("a");
  const auto b = f.join("b");
  const auto c = f.join("c");
  f.drain(a);
  f.drain(b);
  f.type(a, "1\n");
  f.type(b, "2\n");
  f.type(c, "3\n");
  const std::string seen_by_a = f.drain(a), seen_by_b = f.drain(b), seen_by_c = f.drain(c);
  BOOST_TEST(seen_by_a.find("]:2") < seen_by_a.find("]:3"));
  BOOST_TEST(seen_by_b.find("]:1") < seen_by_b.find("]:3"));
  BOOST_TEST(seen_by_c.find("]:1") < seen_by_c.find("]:2"));
}

BOOST_AUTO_TEST_CASE(leaving_is_announced_to_the_others) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.chat->disconnected(bob, "connection reset", f.now());
  BOOST_TEST(f.drain(alice) == "\nBob has left our chat...\n" + f.prompt("Alice"));
  BOOST_TEST(f.chat->takeDepartures().empty());
  f.join("bob");  // the name is free again
}

BOOST_AUTO_TEST_CASE(client_that_stops_reading_is_dropped_as_too_slow) {
  ChatFixture f(chat_test::unthrottled());
  const auto alice = f.join("Alice");
  const auto sleeper = f.join("Sleeper");
  const auto bob = f.join("Bob");
  const std::string line(4000, 'm');
  std::string seen_by_bob;
  for (int i = 0; i < 400 && f.chat->isConnected(sleeper); ++i) {
    f.type(alice, line + "\n");
    f.drain(alice);
    seen_by_bob = f.drain(bob);
  }
  BOOST_TEST(!f.chat->isConnected(sleeper));
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].abort);
  const std::string leave = "\nSleeper has left our chat...\n" + f.prompt("Bob");
  BOOST_TEST(seen_by_bob.substr(seen_by_bob.size() - leave.size()) == leave);
}

BOOST_AUTO_TEST_CASE(shutdown_tells_every_client) {
  ChatFixture f;
  f.join("Alice");
  f.open();
  f.chat->shutdown(f.now());
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 2u);
  for (const auto& d : gone) BOOST_TEST(d.farewell == std::string(p::kShuttingDown));
  BOOST_TEST(f.chat->clientCount() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
