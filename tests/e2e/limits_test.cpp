// End-to-end checks of limits (docs/PROTOCOL.md §4–§10): line length, floods, slow readers, full
// chat, timeouts.
#include <algorithm>

#include "e2e/fixture.hpp"

namespace e2e {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;
// docs/PROTOCOL.md §10.2 bounds the outgoing queue at 1 MiB of live traffic; a reader is only "too
// slow" after at least that much was addressed to it.
constexpr std::size_t kOutgoingQueueBytes = kMiB;
// Socket buffers of a connection whose receive window is a few kilobytes stay far below this.
constexpr std::size_t kKernelSlackBytes = kMiB / 2;
// Growth of the server's memory that a 5 MB unfinished line may cause: buffers of a few pages,
// far below the line itself.
constexpr std::uint64_t kMemoryGrowthBound = 4 * kMiB;

std::string lineOf(std::size_t length) {
  std::string text;
  for (std::size_t i = 0; i < length; ++i) text += static_cast<char>('a' + i % 26);
  return text;
}

std::size_t occurrences(std::string_view text, std::string_view what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string_view::npos;
       at = text.find(what, at + what.size())) {
    ++count;
  }
  return count;
}

// Sends `total` bytes of one unfinished line from `client` in slices, calling `between` after
// each slice so that the test can check that the others are still served meanwhile.
template <typename Between>
void floodWithoutNewline(ChatClient& client, std::size_t total, std::size_t slice,
                         const Between& between) {
  const std::string chunk(slice, 'z');
  for (std::size_t sent = 0; sent < total; sent += slice) {
    BOOST_REQUIRE_MESSAGE(client.send(chunk, 3 * kReadTimeoutMs),
                          "the server stopped reading after " << sent << " bytes");
    between(sent + slice);
  }
}

// Checks `client`'s next bytes: one refusal with its prompt, and `others`, the refusal coming
// whenever the server noticed the line was too long (at the 4097th byte or at the newline).
void checkRefusedOnceAmong(ChatClient& client, const std::string& me, const std::string& others) {
  const std::string refusal = std::string(kTooLong) + prompt(me);
  std::string got = client.readLike(refusal + others);
  const std::size_t at = got.find(refusal);
  BOOST_CHECK_MESSAGE(at != std::string::npos, "no refusal in " << shown(got));
  if (at != std::string::npos) got.erase(at, refusal.size());
  BOOST_CHECK_EQUAL(shown(got), shown(others));
}

// `name`, who is not a member, says `text`: the members see it, the sender gets its prompt.
void sayAsNonMember(ChatServer& server, ChatClient& client, const std::string& name,
                    const std::string& text) {
  BOOST_REQUIRE(client.send(text + "\n"));
  CHECK_RECEIVES(client, prompt(name));
  server.expectAtMembers([&](const std::string& me) { return messageTo(me, name, text); });
}

std::uint64_t residentOrZero(ChatServer& server) {
  return server.process().residentBytes().value_or(0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_limits)

BOOST_AUTO_TEST_CASE(line_of_4096_bytes_is_delivered) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.say("Alice", lineOf(kMaxLineBytes));
}

BOOST_AUTO_TEST_CASE(line_of_4096_bytes_with_crlf_is_delivered) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient& bob = server.join("Bob");
  BOOST_REQUIRE(alice.send(lineOf(kMaxLineBytes) + "\r\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", lineOf(kMaxLineBytes)));
}

BOOST_AUTO_TEST_CASE(line_of_4097_bytes_is_refused_and_sender_can_go_on) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  BOOST_REQUIRE(alice.send(lineOf(kMaxLineBytes + 1) + "\n"));
  CHECK_RECEIVES(alice, std::string(kTooLong) + prompt("Alice"));
  // Bob's next bytes are this message: the long line never reached him.
  server.say("Alice", "short again");
}

BOOST_AUTO_TEST_CASE(rest_of_an_overlong_line_is_discarded_as_it_arrives) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  // Sent in pieces so that the tail arrives after the server has already refused the line.
  BOOST_REQUIRE(alice.send(lineOf(kMaxLineBytes + 1)));
  BOOST_REQUIRE(alice.send(std::string(50000, 'x')));
  BOOST_REQUIRE(alice.send("tail that must not be sent\r\n"));
  CHECK_RECEIVES(alice, std::string(kTooLong) + prompt("Alice"));
  server.say("Alice", "next line");
}

BOOST_AUTO_TEST_CASE(five_megabyte_line_does_not_disturb_the_others) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.join("Carol");
  // Alice's own bytes are checked at the end, as the refusal may come at any point.
  std::unique_ptr<ChatClient> alice = server.release("Alice");
  std::string others;
  int tick = 0;
  floodWithoutNewline(*alice, 5 * kMiB, kMiB, [&](std::size_t) {
    const std::string text = "tick " + std::to_string(++tick);
    server.say("Bob", text);
    others += messageTo("Alice", "Bob", text);
  });
  BOOST_REQUIRE(alice->send("\n"));
  checkRefusedOnceAmong(*alice, "Alice", others);
  sayAsNonMember(server, *alice, "Alice", "I am still here");
}

BOOST_AUTO_TEST_CASE(memory_for_an_unfinished_line_stays_bounded) {
  ChatServer server;
  if (residentOrZero(server) == 0) {
    BOOST_TEST_MESSAGE("skipped: the server's memory cannot be read here");
    return;
  }
  server.join("Alice");
  server.join("Bob");
  std::unique_ptr<ChatClient> alice = server.release("Alice");
  const std::uint64_t before = residentOrZero(server);
  std::uint64_t peak = before;
  std::string others;
  floodWithoutNewline(*alice, 5 * kMiB, 256 * 1024, [&](std::size_t) {
    server.say("Bob", "sync");  // the server has read what was sent so far
    others += messageTo("Alice", "Bob", "sync");
    peak = std::max(peak, residentOrZero(server));
  });
  BOOST_CHECK_MESSAGE(peak - before < kMemoryGrowthBound,
                      "resident memory grew by " << (peak - before) << " bytes");
  BOOST_REQUIRE(alice->send("\n"));
  checkRefusedOnceAmong(*alice, "Alice", others);
}

BOOST_AUTO_TEST_CASE(overlong_line_at_the_name_prompt_is_refused_or_closed) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  auto flooder = server.connect();
  BOOST_REQUIRE(flooder->send(std::string(100000, 'n')));
  flooder->send("\n");  // may fail: the server is allowed to close this connection
  const std::string reply = flooder->readUntil(kNamePrompt);
  BOOST_CHECK_MESSAGE(
      flooder->peerClosed() ||
          (occurrences(reply, "\n") == 1 && reply.size() > kNamePrompt.size() &&
           reply.compare(reply.size() - kNamePrompt.size(), kNamePrompt.size(), kNamePrompt) == 0),
      "neither closed nor one reason and the prompt: " << shown(reply));
  // Nobody joined: Bob's next bytes are Alice's message.
  server.say("Alice", "nothing happened");
}

BOOST_AUTO_TEST_CASE(eleventh_client_is_told_chat_is_full_and_others_are_undisturbed) {
  ChatServer server;
  for (int i = 0; i < 10; ++i) server.join("c" + std::to_string(i));
  ChatClient eleventh;
  BOOST_REQUIRE(eleventh.connect("127.0.0.1", server.port()));
  BOOST_CHECK_EQUAL(shown(eleventh.readUntilClosed()), shown(kChatFull));
  BOOST_CHECK(eleventh.peerClosed());
  server.say("c0", "still ten of us");
  server.leave("c9");
  server.join("c10", historyLine("c0", "still ten of us"));
}

BOOST_AUTO_TEST_CASE(max_clients_counts_clients_at_the_name_prompt) {
  ChatServer server({"--max-clients", "2"});
  auto first = server.connect();
  auto second = server.connect();
  ChatClient third;
  BOOST_REQUIRE(third.connect("127.0.0.1", server.port()));
  BOOST_CHECK_EQUAL(shown(third.readUntilClosed()), shown(kChatFull));
  // A client leaving at the prompt is not announced, so retry until its slot is free.
  first->close();
  const std::int64_t deadline = net::monotonicMs() + kReadTimeoutMs;
  std::string got;
  do {
    ChatClient retry;
    BOOST_REQUIRE(retry.connect("127.0.0.1", server.port()));
    got = retry.readExactly(kBanner.size());
  } while (got != kBanner && got == kChatFull && net::monotonicMs() < deadline);
  BOOST_CHECK_EQUAL(shown(got), shown(kBanner));
}

BOOST_AUTO_TEST_CASE(silent_client_is_timed_out_at_the_name_prompt) {
  ChatServer server({"--name-timeout", "1"});
  auto silent = server.connect();
  const std::int64_t start = net::monotonicMs();
  BOOST_CHECK_EQUAL(shown(silent->readUntilClosed()), shown(kNameTimedOut));
  const std::int64_t waited = net::monotonicMs() - start;
  BOOST_CHECK(silent->peerClosed());
  // The timer starts at accept, a moment before `start`; it must not fire long before 1 s.
  BOOST_CHECK_MESSAGE(waited >= 800 && waited <= 5000, "closed after " << waited << " ms");
}

BOOST_AUTO_TEST_CASE(name_timeout_spares_named_clients) {
  ChatServer server({"--name-timeout", "1"});
  server.join("Alice");
  server.join("Bob");
  auto silent = server.connect();
  // Waiting for the silent one's timeout lets more than a second pass for Alice and Bob too.
  BOOST_CHECK_EQUAL(shown(silent->readUntilClosed()), shown(kNameTimedOut));
  server.say("Alice", "we are still here");
  server.say("Bob", "yes");
}

BOOST_AUTO_TEST_CASE(slow_reader_is_disconnected_and_others_see_an_ordinary_leave) {
  constexpr std::size_t kBatch = 16;
  constexpr std::size_t kGiveUpAfter = 256 * kMiB;
  // Bob talks as fast as the server reads: without flood control, which would pace him (and
  // spare Alice: see e2e_flood), this is how a reader that stops reading is dropped.
  ChatServer server({"--rate", "0"});
  ChatClient& bob = server.join("Bob");
  ChatClient& carol = server.join("Carol");
  ChatClient alice;
  BOOST_REQUIRE(alice.connectWithSmallReceiveBuffer("127.0.0.1", server.port()));
  BOOST_REQUIRE_EQUAL(shown(alice.readExactly(kBanner.size())), shown(kBanner));
  BOOST_REQUIRE(alice.send("Alice\n"));
  REQUIRE_RECEIVES(alice, prompt("Alice"));
  server.expectAtMembers([](const std::string& me) { return joinNoticeTo(me, "Alice"); });
  const std::uint64_t alice_read_before = alice.totalReceived();
  // From here on Alice reads nothing while Bob talks and Carol keeps up.

  const std::string text = lineOf(4000);
  const std::string leave_at_carol = leaveNoticeTo("Carol", "Alice");
  std::size_t delivered_before_leave = 0;
  std::size_t sent = 0;
  bool bob_saw_leave = false;
  bool carol_saw_leave = false;
  while (!(bob_saw_leave && carol_saw_leave) && sent * text.size() < kGiveUpAfter) {
    if (sendLinesSeeingLeave(bob, "Bob", text, kBatch, "Alice")) bob_saw_leave = true;
    sent += kBatch;
    for (std::size_t messages = 0; messages < kBatch;) {
      const std::string chunk = maskTimestamps(carol.readUntil("[Carol]:"));
      if (chunk == messageTo("Carol", "Bob", text)) {
        ++messages;
        if (!carol_saw_leave) ++delivered_before_leave;
      } else {
        BOOST_REQUIRE_EQUAL(shown(chunk), shown(leave_at_carol));
        carol_saw_leave = true;
      }
    }
  }
  BOOST_REQUIRE_MESSAGE(carol_saw_leave && bob_saw_leave,
                        "Alice was never dropped; Bob sent " << sent << " lines");
  alice.readUntilClosed(3 * kReadTimeoutMs);
  BOOST_CHECK_MESSAGE(alice.peerClosed(), "the slow reader's connection was not closed");
  // What was addressed to Alice but never reached her is what her queue held when she was
  // dropped, less the message racing with the leave, plus whatever the kernel still held for her
  // if the close discarded it (little, as her receive window is tiny).
  const std::size_t message = wireLength(messageTo("Alice", "Bob", text));
  const std::uint64_t addressed = delivered_before_leave * message;
  const std::uint64_t discarded = addressed - (alice.totalReceived() - alice_read_before);
  BOOST_CHECK_MESSAGE(discarded + 2 * message >= kOutgoingQueueBytes &&
                          discarded <= kOutgoingQueueBytes + kKernelSlackBytes,
                      "Alice was dropped with " << discarded << " bytes undelivered; " << addressed
                                                << " bytes were addressed to her");
  server.say("Bob", "back to normal");
  server.say("Carol", "indeed");
}

BOOST_AUTO_TEST_CASE(history_larger_than_the_outgoing_queue_is_replayed_in_full) {
  constexpr int kMessages = 3000;
  constexpr int kBatch = 100;
  // Alice fills the history in batches of 100 lines, past the flood allowance.
  ChatServer server({"--history", std::to_string(kMessages), "--rate", "0"});
  ChatClient& alice = server.join("Alice");
  std::string history;
  for (int sent = 0; sent < kMessages; sent += kBatch) {
    std::string batch;
    for (int i = sent; i < sent + kBatch; ++i) {
      const std::string text = std::to_string(i) + ":" + lineOf(1000);
      batch += text + "\n";
      history += historyLine("Alice", text);
    }
    BOOST_REQUIRE(alice.send(batch));
    std::string prompts;
    for (int i = 0; i < kBatch; ++i) prompts += prompt("Alice");
    REQUIRE_RECEIVES(alice, prompts);
  }
  BOOST_REQUIRE_GT(wireLength(history), 2 * kOutgoingQueueBytes);
  // Bob takes the 3 MB through a tiny window: the replay has to wait for him, not drop him.
  ChatClient bob;
  BOOST_REQUIRE(bob.connectWithSmallReceiveBuffer("127.0.0.1", server.port()));
  BOOST_REQUIRE_EQUAL(shown(bob.readExactly(kBanner.size())), shown(kBanner));
  BOOST_REQUIRE(bob.send("Bob\n"));
  CHECK_RECEIVES(alice, joinNoticeTo("Alice", "Bob"));
  // Live traffic during the replay comes after it.
  BOOST_REQUIRE(alice.send("live\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  const std::string expected = history + prompt("Bob") + messageTo("Bob", "Alice", "live");
  const std::string received = bob.readLike(expected, 3 * kReadTimeoutMs);
  BOOST_CHECK_MESSAGE(
      received == expected,
      "Bob got " << received.size() << " of " << expected.size() << " bytes; they differ from byte "
                 << std::distance(received.begin(), std::mismatch(received.begin(), received.end(),
                                                                  expected.begin(), expected.end())
                                                        .first));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
