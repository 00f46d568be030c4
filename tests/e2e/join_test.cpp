// End-to-end checks of connecting, choosing a name, join notices and history (docs/PROTOCOL.md
// §5–§6).
#include "e2e/fixture.hpp"

namespace e2e {
namespace {

// Sends `name` at the name prompt and checks the one-line reason and the repeated prompt.
void checkNameRejected(ChatClient& client, const std::string& name, std::string_view reason) {
  BOOST_TEST_CONTEXT("name " << shown(name)) {
    BOOST_REQUIRE(client.send(name + "\n"));
    CHECK_RECEIVES(client, std::string(reason) + std::string(kNamePrompt));
  }
}

// Sends `name` at the name prompt and checks that it is accepted as `shown_as`: the reply is the
// history and the new prompt.
void checkNameAccepted(ChatClient& client, const std::string& name, const std::string& shown_as,
                       const std::string& history = "") {
  BOOST_TEST_CONTEXT("name " << shown(name)) {
    BOOST_REQUIRE(client.send(name + "\n"));
    CHECK_RECEIVES(client, history + prompt(shown_as));
  }
}

std::string repeated(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_join)

BOOST_AUTO_TEST_CASE(connection_receives_banner_logo_and_name_prompt) {
  ChatServer server;
  ChatClient client;
  BOOST_REQUIRE(client.connect("127.0.0.1", server.port()));
  BOOST_CHECK_EQUAL(shown(client.readExactly(kBanner.size())), shown(kBanner));
  // Nothing may follow the prompt until a name is sent: the first client's reply is its prompt.
  checkNameAccepted(client, "Alice", "Alice");
}

BOOST_AUTO_TEST_CASE(empty_or_blank_name_is_rejected_and_prompt_repeated) {
  ChatServer server;
  auto client = server.connect();
  checkNameRejected(*client, "", kNameEmpty);
  checkNameRejected(*client, "    ", kNameEmpty);
  checkNameRejected(*client, " \t \t", kNameEmpty);
  checkNameAccepted(*client, "Alice", "Alice");
}

BOOST_AUTO_TEST_CASE(name_of_33_characters_is_too_long_and_32_is_accepted) {
  ChatServer server;
  auto client = server.connect();
  checkNameRejected(*client, std::string(33, 'a'), kNameTooLong);
  checkNameAccepted(*client, std::string(32, 'a'), std::string(32, 'a'));
}

BOOST_AUTO_TEST_CASE(name_length_counts_code_points_not_bytes) {
  ChatServer server;
  auto two_byte = server.connect();
  checkNameRejected(*two_byte, repeated("\xD0\xB6", 33), kNameTooLong);  // ж
  checkNameAccepted(*two_byte, repeated("\xD0\xB6", 32), repeated("\xD0\xB6", 32));
  auto four_byte = server.connect();
  checkNameRejected(*four_byte, repeated("\xF0\x9F\x98\x80", 33), kNameTooLong);  // 😀
  checkNameAccepted(*four_byte, repeated("\xF0\x9F\x98\x80", 32), repeated("\xF0\x9F\x98\x80", 32));
}

BOOST_AUTO_TEST_CASE(name_with_brackets_is_rejected) {
  ChatServer server;
  auto client = server.connect();
  checkNameRejected(*client, "[Alice", kNameBadChars);
  checkNameRejected(*client, "Al]ice", kNameBadChars);
  checkNameRejected(*client, "[admin]", kNameBadChars);
  checkNameAccepted(*client, "Alice", "Alice");
}

BOOST_AUTO_TEST_CASE(name_with_control_characters_is_rejected) {
  ChatServer server;
  auto client = server.connect();
  checkNameRejected(*client, "Al\x1b[31mice", kNameBadChars);
  checkNameRejected(*client, std::string("Al\0ice", 6), kNameBadChars);
  checkNameRejected(*client, "Al\x01ice", kNameBadChars);
  checkNameRejected(*client, "Al\x0bice", kNameBadChars);
  checkNameRejected(*client, "Al\xC2\x85ice", kNameBadChars);  // NEL, a C1 control
  checkNameAccepted(*client, "Alice", "Alice");
}

BOOST_AUTO_TEST_CASE(name_taken_ignoring_ascii_case_is_rejected) {
  ChatServer server;
  server.join("Alice");
  auto client = server.connect();
  checkNameRejected(*client, "Alice", kNameTaken);
  checkNameRejected(*client, "alice", kNameTaken);
  checkNameRejected(*client, "ALICE", kNameTaken);
  checkNameRejected(*client, "  aLiCe\t", kNameTaken);
  checkNameAccepted(*client, "Alice2", "Alice2");
  CHECK_RECEIVES(server.member("Alice"), joinNoticeTo("Alice", "Alice2"));
}

BOOST_AUTO_TEST_CASE(name_comparison_folds_only_ascii_case) {
  ChatServer server;
  server.join("\xC3\x89mile");  // Émile
  auto client = server.connect();
  checkNameAccepted(*client, "\xC3\xA9mile", "\xC3\xA9mile");  // émile is another name
}

BOOST_AUTO_TEST_CASE(name_is_trimmed_of_surrounding_spaces_and_tabs) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob", "", " \t Bob \t ");
  server.say("Bob", "hi");
}

BOOST_AUTO_TEST_CASE(name_may_contain_inner_spaces_and_printable_utf8) {
  ChatServer server;
  server.join("Mary Ann");
  server.join("Z\xC3\xB6\x65 \xE2\x98\x85 #1!");  // Zöe ★ #1!
  server.say("Mary Ann", "hello");
}

BOOST_AUTO_TEST_CASE(name_is_free_again_after_its_owner_left) {
  ChatServer server;
  server.join("Bob");
  server.join("Alice");
  server.leave("Alice");
  server.join("alice");
}

BOOST_AUTO_TEST_CASE(name_is_not_reserved_by_a_client_still_at_the_prompt) {
  ChatServer server;
  auto waiting = server.connect();
  server.join("Carol");
  checkNameRejected(*waiting, "carol", kNameTaken);
}

BOOST_AUTO_TEST_CASE(newcomer_gets_its_prompt_and_others_get_the_join_notice) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient bob;
  BOOST_REQUIRE(bob.connect("127.0.0.1", server.port()));
  BOOST_REQUIRE_EQUAL(shown(bob.readExactly(kBanner.size())), shown(kBanner));
  BOOST_REQUIRE(bob.send("Bob\n"));
  CHECK_RECEIVES(bob, prompt("Bob"));
  CHECK_RECEIVES(alice, "\nBob has joined our chat...\n[<ts>][Alice]:");
  // Bob's next bytes are Alice's message: he never saw his own join line.
  BOOST_REQUIRE(alice.send("welcome\n"));
  CHECK_RECEIVES(bob, "\n[<ts>][Alice]:welcome\n[<ts>][Bob]:");
  CHECK_RECEIVES(alice, prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(clients_at_the_name_prompt_see_no_chat_traffic) {
  ChatServer server;
  auto carol = server.connect();
  server.join("Alice");
  server.join("Bob");
  server.say("Alice", "before Carol");
  server.leave("Bob");
  checkNameAccepted(*carol, "Carol", "Carol", historyLine("Alice", "before Carol"));
}

BOOST_AUTO_TEST_CASE(newcomer_gets_chat_history_without_join_or_leave_notices) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.say("Alice", "one");
  server.say("Bob", "two");
  server.leave("Bob");
  server.say("Alice", "three");
  server.join("Carol", historyLine("Alice", "one") + historyLine("Bob", "two") +
                           historyLine("Alice", "three"));
}

BOOST_AUTO_TEST_CASE(history_replays_the_timestamps_messages_were_sent_with) {
  ChatServer server;
  server.join("Alice");
  ChatClient& bob = server.join("Bob");
  BOOST_REQUIRE(server.member("Alice").send("stamped\n"));
  const std::string live = bob.readUntil("[Bob]:");
  server.member("Alice").readUntil("]:");
  auto carol = server.connect();
  const std::string replay = carol->join("Carol");
  BOOST_REQUIRE(!timestampsIn(live).empty());
  BOOST_REQUIRE(!timestampsIn(replay).empty());
  BOOST_CHECK_EQUAL(timestampsIn(live)[0], timestampsIn(replay)[0]);
}

BOOST_AUTO_TEST_CASE(history_option_limits_the_replay_to_the_last_messages) {
  ChatServer server({"--history", "2"});
  server.join("Alice");
  server.say("Alice", "m1");
  server.say("Alice", "m2");
  server.say("Alice", "m3");
  server.join("Bob", historyLine("Alice", "m2") + historyLine("Alice", "m3"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
