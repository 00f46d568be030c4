// Unit tests of flood control and the per-address limit in the chat (docs/netcat-chat.1;
// docs/PROTOCOL.md §10.1), on a fake clock.
#include <boost/test/unit_test.hpp>
#include <limits>
#include <string>

#include "chat/chat.hpp"
#include "chat/protocol.hpp"
#include "support/chat_fixture.hpp"

namespace p = chat::protocol;
using chat::ClientId;
using chat_test::ChatFixture;

namespace {

const std::string kTs(chat_test::kStamp);

std::string numberedLines(int from, int to, const std::string& prefix = "line ") {
  std::string out;
  for (int i = from; i <= to; ++i) out += prefix + std::to_string(i) + "\n";
  return out;
}

// What a member sees of `from`'s messages numbered `first`..`last`.
std::string seenLines(const ChatFixture& f, const std::string& me, const std::string& from,
                      int first, int last) {
  std::string out;
  for (int i = first; i <= last; ++i) {
    out += "\n[" + kTs + "][" + from + "]:line " + std::to_string(i) + "\n" + f.prompt(me);
  }
  return out;
}

chat::Settings withFlood(double rate, std::size_t burst) {
  chat::Settings settings;
  settings.rate = rate;
  settings.burst = burst;
  return settings;
}

chat::Settings withPerAddress(std::size_t limit, std::size_t max_clients = 10) {
  chat::Settings settings;
  settings.max_per_address = limit;
  settings.max_clients = max_clients;
  return settings;
}

// Advances the clock to `ms` and lets the chat handle what came due.
void tickAt(ChatFixture& f, std::int64_t ms) {
  f.ms = ms;
  f.chat->tick(f.now());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flood_control)

BOOST_AUTO_TEST_CASE(paste_of_thirty_lines_arrives_whole_in_order_and_at_the_rate) {
  ChatFixture f;                           // the defaults: 20 lines at once, then 2 per second
  const ClientId alice = f.join("Alice");  // the name is one of the 20
  const ClientId bob = f.join("Bob");
  f.drain(alice);
  const std::int64_t start = f.ms;
  f.type(alice, numberedLines(1, 30));
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 1, 19));
  BOOST_TEST(f.drain(alice) == [&] {
    std::string prompts;
    for (int i = 0; i < 19; ++i) prompts += f.prompt("Alice");
    return prompts;
  }());
  BOOST_TEST(!f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->wantsInput(bob));
  for (int line = 20; line <= 30; ++line) {
    const std::int64_t due = start + 500 * (line - 19);
    BOOST_TEST_REQUIRE(f.chat->nextDeadline() == due);
    tickAt(f, due - 1);
    BOOST_TEST(f.drain(bob).empty());
    tickAt(f, due);
    BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", line, line));
    BOOST_TEST(f.drain(alice) == f.prompt("Alice"));
  }
  BOOST_TEST(f.chat->inputHeld(alice) == 0u);
  // The allowance is spent, so the socket stays unread until the next line is due.
  BOOST_TEST(!f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->nextDeadline() == start + 500 * 12);
  tickAt(f, start + 500 * 12);
  BOOST_TEST(f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->nextDeadline() == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_CASE(lines_within_the_burst_are_not_held) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  f.type(alice, numberedLines(1, 18));
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 1, 18));
  BOOST_TEST(f.chat->wantsInput(alice));  // one line of the 20 left
  f.type(alice, numberedLines(19, 19));
  BOOST_TEST(!f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->inputHeld(alice) == 0u);
}

BOOST_AUTO_TEST_CASE(idle_time_brings_the_burst_back) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  f.type(alice, numberedLines(1, 19));
  tickAt(f, f.ms + 60 * 1000);
  BOOST_TEST(f.chat->wantsInput(alice));
  f.drain(bob);
  f.type(alice, numberedLines(20, 45));
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 20, 39));
}

BOOST_AUTO_TEST_CASE(names_commands_and_refusals_count_like_messages) {
  ChatFixture f;
  const ClientId id = f.open();
  std::string typed;
  for (int i = 0; i < 19; ++i) typed += "[bad]\n";
  typed += std::string(chat::kMaxLineBytes + 1, 'n') + "\n";  // too long: the 20th line
  typed += "Alice\n/help\n";
  f.type(id, typed);
  std::string refusals;
  for (int i = 0; i < 19; ++i)
    refusals += std::string(p::kNameBadChars) + std::string(p::kNamePrompt);
  refusals += std::string(p::kNameTooLong) + std::string(p::kNamePrompt);
  BOOST_TEST(f.drain(id) == refusals);
  BOOST_TEST(f.chat->nameOf(id).empty());
  tickAt(f, f.ms + 500);
  BOOST_TEST(f.chat->nameOf(id) == "Alice");
  BOOST_TEST(f.drain(id) == f.prompt("Alice"));
  tickAt(f, f.ms + 499);
  BOOST_TEST(f.drain(id).empty());
  tickAt(f, f.ms + 1);
  BOOST_TEST(f.drain(id) == std::string(p::kHelp) + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(blank_lines_count_too) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  f.type(alice, std::string(19, '\n') + "late\n");
  BOOST_TEST(f.drain(bob).empty());
  tickAt(f, f.ms + 500);
  BOOST_TEST(f.drain(bob) == "\n[" + kTs + "][Alice]:late\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(lines_held_across_a_history_replay_then_paced) {
  ChatFixture f;
  for (int i = 0; i < 5000; ++i)
    f.chat->restoreHistory("general", "[" + kTs + "][Old]:" + std::string(100, 'h'));
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.open();
  f.type(bob, "Bob\n" + numberedLines(1, 25));
  BOOST_TEST(!f.chat->wantsInput(bob));  // the replay is under way
  BOOST_TEST(f.drain(alice).empty());
  f.drain(bob);  // the replay ends: 19 more lines of the 20 go at once
  BOOST_TEST(f.drain(alice) == "\nBob has joined our chat...\n" + f.prompt("Alice") +
                                   seenLines(f, "Alice", "Bob", 1, 19));
  BOOST_TEST(!f.chat->wantsInput(bob));
  for (int line = 20; line <= 25; ++line) {
    tickAt(f, f.chat->nextDeadline());
    BOOST_TEST(f.drain(alice) == seenLines(f, "Alice", "Bob", line, line));
  }
  BOOST_TEST(f.chat->inputHeld(bob) == 0u);
}

BOOST_AUTO_TEST_CASE(held_input_is_no_more_than_the_read_that_brought_it) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const std::string read(64 * 1024, '\n');  // one full read of the server, all blank lines
  f.type(alice, read);
  BOOST_TEST(!f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->inputHeld(alice) == read.size() - 19);
  // Taken up at the rate, the held lines shrink; the socket is not read until they are gone.
  tickAt(f, f.ms + 10 * 1000);
  BOOST_TEST(f.chat->inputHeld(alice) == read.size() - 19 - 20);
  BOOST_TEST(!f.chat->wantsInput(alice));
}

BOOST_AUTO_TEST_CASE(flooder_cannot_get_a_reader_that_never_reads_dropped) {
  ChatFixture f;
  const ClientId flooder = f.join("Flooder");
  const ClientId idle = f.join("Idle");  // reads nothing from here on
  std::string read;
  while (read.size() + 4001 <= 64 * 1024) read += std::string(4000, 'f') + "\n";
  int reads = 0;
  for (std::int64_t end = f.ms + 60 * 1000; f.ms < end; f.ms += 10) {
    if (f.chat->wantsInput(flooder)) {
      f.type(flooder, read);
      ++reads;
    }
    f.chat->tick(f.now());
    f.drain(flooder);
  }
  BOOST_TEST(f.chat->isConnected(idle));
  BOOST_TEST(f.chat->isConnected(flooder));
  // A minute at 2 lines per second after the first 20: 139 lines of 4 KB, well within the reader's
  // 1 MiB, where without flood control 300 lines come in a moment (the test below).
  const std::size_t lines = 19 + 2 * 60;
  const std::size_t queued = f.chat->pending(idle).size();
  BOOST_TEST(queued > lines * 4000);
  BOOST_TEST(queued < (lines + 2) * 4100);
  BOOST_TEST(reads <= static_cast<int>(lines / 16 + 2));
}

BOOST_AUTO_TEST_CASE(rate_zero_turns_flood_control_off) {
  ChatFixture f(withFlood(0, 20));
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  f.type(alice, numberedLines(1, 1000));
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 1, 1000));
  BOOST_TEST(f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->nextDeadline() == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_CASE(without_flood_control_a_flooder_gets_a_silent_reader_dropped) {
  ChatFixture f(withFlood(0, 20));
  const ClientId flooder = f.join("Flooder");
  const ClientId idle = f.join("Idle");
  const std::string line = std::string(4000, 'f') + "\n";
  for (int i = 0; i < 300 && f.chat->isConnected(idle); ++i) f.type(flooder, line);
  BOOST_TEST(!f.chat->isConnected(idle));
  BOOST_TEST(f.log.lines.back().find("too slow") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(custom_rate_and_burst) {
  ChatFixture f(withFlood(0.5, 3));
  const ClientId alice = f.join("Alice");  // one of the 3
  const ClientId bob = f.join("Bob");
  const std::int64_t start = f.ms;
  f.type(alice, numberedLines(1, 4));
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 1, 2));
  BOOST_TEST(f.chat->nextDeadline() == start + 2000);
  tickAt(f, start + 1999);
  BOOST_TEST(f.drain(bob).empty());
  tickAt(f, start + 2000);
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 3, 3));
  tickAt(f, start + 4000);
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 4, 4));
}

BOOST_AUTO_TEST_CASE(fractional_rate_paces_held_lines) {
  ChatFixture f(withFlood(1.5, 1));
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  const std::int64_t start = f.ms;
  f.type(alice, numberedLines(1, 15));
  int delivered = 0;
  for (f.ms = start; f.ms < start + 10000; ++f.ms) {
    f.chat->tick(f.now());
    const std::string got = f.drain(bob);
    for (std::size_t at = got.find("]:line "); at != std::string::npos;
         at = got.find("]:line ", at + 1)) {
      ++delivered;
    }
  }
  // A line every 666.67 ms from the name on: 14 within ten seconds, the 15th at 10000.005 ms.
  BOOST_TEST(delivered == 14);
  tickAt(f, start + 10000);
  BOOST_TEST(f.drain(bob).empty());
  tickAt(f, start + 10001);
  BOOST_TEST(f.drain(bob) == seenLines(f, "Bob", "Alice", 15, 15));
}

BOOST_AUTO_TEST_CASE(each_client_has_an_allowance_of_its_own) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  const ClientId carol = f.join("Carol");
  f.type(alice, numberedLines(1, 40));
  f.drain(carol);
  BOOST_TEST(!f.chat->wantsInput(alice));
  BOOST_TEST(f.chat->wantsInput(bob));
  f.type(bob, "still here\n");
  BOOST_TEST(f.drain(carol) == "\n[" + kTs + "][Bob]:still here\n" + f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(a_held_client_that_quits_is_forgotten_with_its_lines) {
  ChatFixture f;
  const ClientId alice = f.join("Alice");
  const ClientId bob = f.join("Bob");
  f.type(alice, numberedLines(1, 19) + "/quit\nnever sent\n");
  f.drain(bob);
  tickAt(f, f.ms + 500);
  BOOST_TEST(!f.chat->isConnected(alice));
  BOOST_TEST(f.drain(bob) == "\nAlice has left our chat...\n" + f.prompt("Bob"));
  tickAt(f, f.ms + 5000);
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.chat->nextDeadline() == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(per_address_limit)

BOOST_AUTO_TEST_CASE(connection_beyond_the_limit_is_refused_and_takes_no_seat) {
  ChatFixture f(withPerAddress(2));
  BOOST_TEST(bool(f.chat->connect(1, "10.0.0.7:1001", f.now())));
  BOOST_TEST(bool(f.chat->connect(2, "10.0.0.7:1002", f.now())));
  const chat::Admission third = f.chat->connect(3, "10.0.0.7:1003", f.now());
  BOOST_TEST(!third);
  BOOST_TEST(third.refusal == p::kTooManyFromAddress);
  BOOST_TEST(std::string(p::kTooManyFromAddress) == "Too many connections from your address.\n");
  BOOST_TEST(f.chat->clientCount() == 2u);
  BOOST_TEST(!f.chat->isConnected(3));
  BOOST_TEST(f.log.lines.back() ==
             "#3 10.0.0.7:1003 rejected: too many connections from 10.0.0.7 (2 at once)");
  BOOST_TEST(bool(f.chat->connect(4, "10.0.0.8:1001", f.now())));
}

BOOST_AUTO_TEST_CASE(ipv4_mapped_ipv6_counts_as_its_ipv4_address) {
  ChatFixture f(withPerAddress(1));
  BOOST_TEST(bool(f.chat->connect(1, "192.0.2.1:5000", f.now())));
  BOOST_TEST(!f.chat->connect(2, "[::ffff:192.0.2.1]:5001", f.now()));
  BOOST_TEST(bool(f.chat->connect(3, "[2001:db8::1]:5000", f.now())));
  BOOST_TEST(!f.chat->connect(4, "[2001:DB8::1]:5001", f.now()));
}

BOOST_AUTO_TEST_CASE(a_seat_freed_by_a_leave_can_be_taken_again) {
  ChatFixture f(withPerAddress(1));
  BOOST_TEST(bool(f.chat->connect(1, "10.0.0.7:1", f.now())));
  f.type(1, "Alice\n");
  f.drain(1);
  f.type(1, "/quit\n");
  f.chat->takeDepartures();
  BOOST_TEST(bool(f.chat->connect(2, "10.0.0.7:2", f.now())));
  f.chat->disconnected(2, "closed", f.now());
  BOOST_TEST(bool(f.chat->connect(3, "10.0.0.7:3", f.now())));
}

BOOST_AUTO_TEST_CASE(zero_means_no_limit_per_address) {
  ChatFixture f(withPerAddress(0));
  for (ClientId id = 1; id <= 10; ++id) {
    BOOST_TEST(bool(f.chat->connect(id, "127.0.0.1:" + std::to_string(id), f.now())));
  }
  const chat::Admission full = f.chat->connect(11, "127.0.0.2:1", f.now());
  BOOST_TEST(full.refusal == p::kChatFull);
}

BOOST_AUTO_TEST_CASE(a_full_chat_still_says_so_to_an_address_within_its_limit) {
  ChatFixture f(withPerAddress(2, 3));
  BOOST_TEST(bool(f.chat->connect(1, "10.0.0.1:1", f.now())));
  BOOST_TEST(bool(f.chat->connect(2, "10.0.0.2:1", f.now())));
  BOOST_TEST(bool(f.chat->connect(3, "10.0.0.3:1", f.now())));
  BOOST_TEST(f.chat->connect(4, "10.0.0.1:2", f.now()).refusal == p::kChatFull);
}

BOOST_AUTO_TEST_SUITE_END()
