// End-to-end checks of private messages and ignoring (docs/PROTOCOL.md §7, /msg, /ignore) over TCP.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "e2e/fixture.hpp"
#include "e2e/temp_log.hpp"

namespace e2e {
namespace {

const std::string kNoSuchName = "No one here is called that. Type /list to see who is online.\n";
const std::string kMsgUsage = "Usage: /msg NAME TEXT\n";

std::unique_ptr<ChatClient> enter(ChatServer& server, const std::string& name) {
  auto client = server.connect();
  BOOST_REQUIRE(client->send(name + "\n"));
  REQUIRE_RECEIVES(*client, prompt(name));
  return client;
}

void type(ChatClient& client, const std::string& line) { BOOST_REQUIRE(client.send(line + "\n")); }

std::string privateTo(std::string_view me, std::string_view from, std::string_view text) {
  return "\n[" + std::string(kTs) + "][" + std::string(from) + "][private]:" + std::string(text) +
         "\n" + prompt(me);
}

std::string privateEcho(std::string_view me, std::string_view to, std::string_view text) {
  return "[" + std::string(kTs) + "][to " + std::string(to) + "][private]:" + std::string(text) +
         "\n" + prompt(me);
}

// Proves that nothing reached `client` before: its next bytes are the reply to its own /list.
void expectNothingBefore(ChatClient& client, std::string_view me, std::string_view online) {
  type(client, "/list");
  CHECK_RECEIVES(client, std::string(online) + prompt(me));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_private)

BOOST_AUTO_TEST_CASE(private_message_reaches_its_recipient_and_nobody_else) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  auto carol = enter(server, "Carol");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob") + joinNoticeTo("Alice", "Carol"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  type(*alice, "/msg Bob just between us");
  CHECK_RECEIVES(*alice, privateEcho("Alice", "Bob", "just between us"));
  CHECK_RECEIVES(*bob, privateTo("Bob", "Alice", "just between us"));
  expectNothingBefore(*carol, "Carol", "Online (3): Alice, Bob, Carol\n");
}

BOOST_AUTO_TEST_CASE(the_longest_name_with_spaces_is_the_recipient) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  auto smith = enter(server, "Bob Smith");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob") + joinNoticeTo("Alice", "Bob Smith"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Bob Smith"));
  type(*alice, "/msg BOB SMITH are you there?");
  CHECK_RECEIVES(*alice, privateEcho("Alice", "Bob Smith", "are you there?"));
  CHECK_RECEIVES(*smith, privateTo("Bob Smith", "Alice", "are you there?"));
  type(*alice, "/msg bob Smithers is here");
  CHECK_RECEIVES(*alice, privateEcho("Alice", "Bob", "Smithers is here"));
  CHECK_RECEIVES(*bob, privateTo("Bob", "Alice", "Smithers is here"));
  expectNothingBefore(*smith, "Bob Smith", "Online (3): Alice, Bob, Bob Smith\n");
}

BOOST_AUTO_TEST_CASE(errors_get_their_one_line) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  const std::pair<const char*, std::string> cases[] = {
      {"/msg", kMsgUsage},
      {"/msg Bob", kMsgUsage},
      {"/msg Bob   ", kMsgUsage},
      {"/msg Zed hello", kNoSuchName},
      {"/msg Alice hello", "You cannot send a private message to yourself.\n"},
  };
  for (const auto& [line, reply] : cases) {
    BOOST_TEST_CONTEXT("line " << shown(line)) {
      type(*alice, line);
      CHECK_RECEIVES(*alice, reply + prompt("Alice"));
    }
  }
  expectNothingBefore(*bob, "Bob", "Online (2): Alice, Bob\n");
}

BOOST_AUTO_TEST_CASE(private_messages_cross_rooms) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*bob, "/join dev");
  // The move's own lines are e2e_commands' business; here, only what follows them.
  bob->readUntil("][Bob]:");
  alice->readUntil("][Alice]:");
  type(*alice, "/msg Bob over here");
  CHECK_RECEIVES(*alice, privateEcho("Alice", "Bob", "over here"));
  CHECK_RECEIVES(*bob, privateTo("Bob", "Alice", "over here"));
  type(*bob, "/msg alice got it");
  CHECK_RECEIVES(*bob, privateEcho("Bob", "Alice", "got it"));
  CHECK_RECEIVES(*alice, privateTo("Alice", "Bob", "got it"));
}

BOOST_AUTO_TEST_CASE(private_text_is_in_neither_log_and_the_event_is_noted) {
  TempLog log;
  ChatServer server({"--log", log.path});
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*alice, "/msg Bob the password is swordfish");
  CHECK_RECEIVES(*alice, privateEcho("Alice", "Bob", "the password is swordfish"));
  CHECK_RECEIVES(*bob, privateTo("Bob", "Alice", "the password is swordfish"));
  type(*alice, "a public line");
  CHECK_RECEIVES(*alice, prompt("Alice"));
  CHECK_RECEIVES(*bob, messageTo("Bob", "Alice", "a public line"));
  BOOST_CHECK(server.stop().exitedWith(0));
  const std::string chat_log = log.contents();
  BOOST_CHECK(chat_log.find("a public line") != std::string::npos);
  BOOST_CHECK(chat_log.find("swordfish") == std::string::npos);
  BOOST_CHECK(chat_log.find("private") == std::string::npos);
  const std::string events = server.process().output();
  BOOST_CHECK(events.find("swordfish") == std::string::npos);
  BOOST_CHECK_MESSAGE(events.find("\"Alice\" sent a private message to") != std::string::npos,
                      events);
}

BOOST_AUTO_TEST_CASE(ignoring_follows_a_rename_then_unignore_shows_them_again) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  auto carol = enter(server, "Carol");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob") + joinNoticeTo("Alice", "Carol"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  type(*alice, "/ignore bob");
  CHECK_RECEIVES(*alice, "You are now ignoring Bob.\n" + prompt("Alice"));
  type(*bob, "/name Robert");
  CHECK_RECEIVES(*bob, prompt("Robert"));
  CHECK_RECEIVES(*alice, "\nBob changed their name to Robert.\n" + prompt("Alice"));
  CHECK_RECEIVES(*carol, "\nBob changed their name to Robert.\n" + prompt("Carol"));
  type(*bob, "can you hear me");
  CHECK_RECEIVES(*bob, prompt("Robert"));
  CHECK_RECEIVES(*carol, messageTo("Carol", "Robert", "can you hear me"));
  type(*bob, "/msg Alice hello?");
  CHECK_RECEIVES(*bob, privateEcho("Robert", "Alice", "hello?"));
  type(*alice, "/ignore");
  CHECK_RECEIVES(*alice, "Ignoring (1): Robert\n" + prompt("Alice"));
  type(*alice, "/unignore Robert");
  CHECK_RECEIVES(*alice, "You are no longer ignoring Robert.\n" + prompt("Alice"));
  type(*bob, "and now?");
  CHECK_RECEIVES(*bob, prompt("Robert"));
  CHECK_RECEIVES(*alice, messageTo("Alice", "Robert", "and now?"));
  CHECK_RECEIVES(*carol, messageTo("Carol", "Robert", "and now?"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
