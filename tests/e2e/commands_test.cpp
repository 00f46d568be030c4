// End-to-end checks of the commands and rooms (docs/PROTOCOL.md §7) over TCP, byte for byte.
#include <filesystem>
#include <random>

#include "chat/protocol.hpp"
#include "e2e/fixture.hpp"
#include "e2e/temp_log.hpp"

namespace e2e {
namespace {

// Not in docs/PROTOCOL.md word for word; the server's own text is the reference.
const std::string kHelp(chat::protocol::kHelp);
const std::string kUnknownCommand = "Unknown command. Type /help for the list.\n";

// Connects and names a client in the default room, checking its replay and prompt. Unlike
// ChatServer::join, it leaves every notice to others for the test to check, since who sees
// what depends on the rooms.
std::unique_ptr<ChatClient> enter(ChatServer& server, const std::string& name,
                                  const std::string& history = "") {
  auto client = server.connect();
  BOOST_REQUIRE(client->send(name + "\n"));
  REQUIRE_RECEIVES(*client, history + prompt(name));
  return client;
}

void type(ChatClient& client, const std::string& line) { BOOST_REQUIRE(client.send(line + "\n")); }

// What the mover receives first, and what the room it left receives.
std::string nowIn(std::string_view room) { return "You are now in " + std::string(room) + ".\n"; }
std::string moveNoticeTo(std::string_view me, std::string_view who, std::string_view room) {
  return "\n" + std::string(who) + " moved to " + std::string(room) + ".\n" + prompt(me);
}

std::string renameNoticeTo(std::string_view me, std::string_view from, std::string_view to) {
  return "\n" + std::string(from) + " changed their name to " + std::string(to) + ".\n" +
         prompt(me);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_commands)

BOOST_AUTO_TEST_CASE(help_goes_to_the_sender_only) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*alice, "/help");
  CHECK_RECEIVES(*alice, kHelp + prompt("Alice"));
  // Bob's next bytes are the reply to his own command: nothing of Alice's /help came before.
  type(*bob, "/list");
  CHECK_RECEIVES(*bob, "Online (2): Alice, Bob\n" + prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(list_names_the_room_in_join_order) {
  ChatServer server;
  server.join("Carol");
  server.join("Alice");
  ChatClient& bob = server.join("Bob");
  type(bob, "/list");
  CHECK_RECEIVES(bob, "Online (3): Carol, Alice, Bob\n" + prompt("Bob"));
  server.say("Alice", "the list was for Bob alone");
}

BOOST_AUTO_TEST_CASE(rename_is_announced_and_the_old_name_is_free) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*alice, "/name Alicia");
  CHECK_RECEIVES(*alice, prompt("Alicia"));
  CHECK_RECEIVES(*bob, renameNoticeTo("Bob", "Alice", "Alicia"));
  type(*alice, "hello as Alicia");
  CHECK_RECEIVES(*alice, prompt("Alicia"));
  CHECK_RECEIVES(*bob, messageTo("Bob", "Alicia", "hello as Alicia"));
  auto another = enter(server, "alice", historyLine("Alicia", "hello as Alicia"));
  CHECK_RECEIVES(*alice, joinNoticeTo("Alicia", "alice"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "alice"));
}

BOOST_AUTO_TEST_CASE(rename_is_refused_by_the_name_rules) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  const std::pair<std::string, std::string_view> cases[] = {
      {"/name", kNameEmpty},
      {"/name    ", kNameEmpty},
      {"/name " + std::string(33, 'x'), kNameTooLong},
      {"/name [op]", kNameBadChars},
      {"/name bad\x1bname", kNameBadChars},
      {"/name BOB", kNameTaken},
  };
  for (const auto& [line, reply] : cases) {
    BOOST_TEST_CONTEXT("line " << shown(line)) {
      type(*alice, line);
      CHECK_RECEIVES(*alice, std::string(reply) + prompt("Alice"));
    }
  }
  type(*alice, "/name ALICE");
  CHECK_RECEIVES(*alice, prompt("ALICE"));
  CHECK_RECEIVES(*bob, renameNoticeTo("Bob", "Alice", "ALICE"));
}

BOOST_AUTO_TEST_CASE(join_moves_between_rooms_with_two_clients) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + prompt("Bob"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Bob", "dev"));
  type(*bob, "only dev hears this");
  CHECK_RECEIVES(*bob, prompt("Bob"));
  type(*alice, "/rooms");
  CHECK_RECEIVES(*alice, "Rooms (2): general (1, you are here), dev (1)\n" + prompt("Alice"));
  type(*alice, "/join DEV");
  CHECK_RECEIVES(*alice,
                 nowIn("dev") + historyLine("Bob", "only dev hears this") + prompt("Alice"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Alice"));
  type(*alice, "/join dev");
  CHECK_RECEIVES(*alice, "You are already in dev.\n" + prompt("Alice"));
  type(*alice, "/list");
  CHECK_RECEIVES(*alice, "Online (2): Bob, Alice\n" + prompt("Alice"));
  type(*bob, "/rooms");
  CHECK_RECEIVES(*bob, "Rooms (2): general (0), dev (2, you are here)\n" + prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(rooms_keep_three_clients_apart) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  auto carol = enter(server, "Carol");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Carol"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));

  type(*carol, "/join dev");
  CHECK_RECEIVES(*carol, nowIn("dev") + prompt("Carol"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Carol", "dev"));
  CHECK_RECEIVES(*bob, moveNoticeTo("Bob", "Carol", "dev"));

  type(*alice, "general only");
  CHECK_RECEIVES(*alice, prompt("Alice"));
  CHECK_RECEIVES(*bob, messageTo("Bob", "Alice", "general only"));
  type(*carol, "dev only");
  CHECK_RECEIVES(*carol, prompt("Carol"));
  type(*carol, "/name Caroline");
  CHECK_RECEIVES(*carol, prompt("Caroline"));

  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + historyLine("Carol", "dev only") + prompt("Bob"));
  CHECK_RECEIVES(*carol, joinNoticeTo("Caroline", "Bob"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Bob", "dev"));

  type(*bob, "hi Caroline");
  CHECK_RECEIVES(*bob, prompt("Bob"));
  CHECK_RECEIVES(*carol, messageTo("Caroline", "Bob", "hi Caroline"));
  // Alice's next bytes answer her own command: nothing from dev reached general.
  type(*alice, "/list");
  CHECK_RECEIVES(*alice, "Online (1): Alice\n" + prompt("Alice"));
  type(*carol, "/rooms");
  CHECK_RECEIVES(*carol, "Rooms (2): general (1), dev (2, you are here)\n" + prompt("Caroline"));

  auto dave = enter(server, "Dave", historyLine("Alice", "general only"));
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Dave"));
  type(*dave, "/join Dev");
  CHECK_RECEIVES(*dave, nowIn("dev") + historyLine("Carol", "dev only") +
                            historyLine("Bob", "hi Caroline") + prompt("Dave"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Dave", "dev"));
  CHECK_RECEIVES(*carol, joinNoticeTo("Caroline", "Dave"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Dave"));
}

BOOST_AUTO_TEST_CASE(room_names_are_refused_by_the_rules) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  const std::pair<std::string, std::string> cases[] = {
      {"/join", "Room name cannot be empty.\n"},
      {"/join  ", "Room name cannot be empty.\n"},
      {"/join " + std::string(25, 'r'), "Room name is too long (max 24 characters).\n"},
      {"/join [dev]", "Room name cannot contain brackets or control characters.\n"},
      {"/join d\x1f", "Room name cannot contain brackets or control characters.\n"},
      {"/join General", "You are already in general.\n"},
  };
  for (const auto& [line, reply] : cases) {
    BOOST_TEST_CONTEXT("line " << shown(line)) {
      type(alice, line);
      CHECK_RECEIVES(alice, reply + prompt("Alice"));
    }
  }
  type(alice, "/rooms");
  CHECK_RECEIVES(alice, "Rooms (1): general (1, you are here)\n" + prompt("Alice"));
  type(alice, "/join " + std::string(24, 'r'));
  CHECK_RECEIVES(alice, nowIn(std::string(24, 'r')) + prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(double_slash_sends_a_message_starting_with_a_slash) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  ChatClient& alice = server.member("Alice");
  type(alice, "//shrug");
  CHECK_RECEIVES(alice, prompt("Alice"));
  CHECK_RECEIVES(server.member("Bob"), messageTo("Bob", "Alice", "/shrug"));
  server.join("Carol", historyLine("Alice", "/shrug"));
}

BOOST_AUTO_TEST_CASE(unknown_commands_and_a_bare_slash_are_refused) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  for (const char* line : {"/", "/nick Al", "/who", "/ list"}) {
    BOOST_TEST_CONTEXT("line " << line) {
      type(alice, line);
      CHECK_RECEIVES(alice, kUnknownCommand + prompt("Alice"));
    }
  }
  server.say("Alice", "the refusals were for Alice alone");
}

BOOST_AUTO_TEST_CASE(commands_work_with_crlf_and_several_in_one_packet) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  BOOST_REQUIRE(alice.send("/list\r\n/rooms\r\n/join dev\r\n/list\r\n"));
  CHECK_RECEIVES(alice, "Online (1): Alice\n" + prompt("Alice") +
                            "Rooms (1): general (1, you are here)\n" + prompt("Alice") +
                            nowIn("dev") + prompt("Alice") + "Online (1): Alice\n" +
                            prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(quit_says_goodbye_closes_the_connection_and_the_others_see_a_leave) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  std::unique_ptr<ChatClient> bob = server.release("Bob");
  type(*bob, "/quit");
  BOOST_CHECK_EQUAL(shown(bob->readUntilClosed()), shown("Goodbye.\n"));
  BOOST_CHECK(bob->peerClosed());
  CHECK_RECEIVES(server.member("Alice"), leaveNoticeTo("Alice", "Bob"));
  server.join("bob");  // the name is free again
}

BOOST_AUTO_TEST_CASE(quit_in_a_room_is_seen_only_there) {
  ChatServer server;
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  auto carol = enter(server, "Carol");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Carol"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + prompt("Bob"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Bob", "dev"));
  CHECK_RECEIVES(*carol, moveNoticeTo("Carol", "Bob", "dev"));
  type(*carol, "/join dev");
  CHECK_RECEIVES(*carol, nowIn("dev") + prompt("Carol"));
  CHECK_RECEIVES(*bob, joinNoticeTo("Bob", "Carol"));
  CHECK_RECEIVES(*alice, moveNoticeTo("Alice", "Carol", "dev"));
  type(*carol, "/quit");
  BOOST_CHECK_EQUAL(shown(carol->readUntilClosed()), shown("Goodbye.\n"));
  CHECK_RECEIVES(*bob, leaveNoticeTo("Bob", "Carol"));
  type(*alice, "/list");
  CHECK_RECEIVES(*alice, "Online (1): Alice\n" + prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(max_clients_counts_every_room) {
  ChatServer server({"--max-clients", "2"});
  auto alice = enter(server, "Alice");
  auto bob = enter(server, "Bob");
  CHECK_RECEIVES(*alice, joinNoticeTo("Alice", "Bob"));
  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + prompt("Bob"));
  ChatClient third;
  BOOST_REQUIRE(third.connect("127.0.0.1", server.port()));
  BOOST_CHECK_EQUAL(shown(third.readUntilClosed()), shown(kChatFull));
  BOOST_CHECK(third.peerClosed());
}

BOOST_AUTO_TEST_CASE(a_client_who_types_no_command_sees_the_classic_chat) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  server.say("Bob", "hi");
  std::unique_ptr<ChatClient> bob = server.release("Bob");
  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + prompt("Bob"));
  CHECK_RECEIVES(alice, moveNoticeTo("Alice", "Bob", "dev"));
  type(*bob, "/join general");
  CHECK_RECEIVES(*bob, nowIn("general") + historyLine("Bob", "hi") + prompt("Bob"));
  CHECK_RECEIVES(alice, joinNoticeTo("Alice", "Bob"));
  server.say("Alice", "welcome back");
  CHECK_RECEIVES(*bob, messageTo("Bob", "Alice", "welcome back"));
}

BOOST_AUTO_TEST_CASE(restart_with_log_restores_each_rooms_history) {
  TempLog log;
  {
    ChatServer server({"--log", log.path});
    auto alice = enter(server, "Alice");
    type(*alice, "general one");
    CHECK_RECEIVES(*alice, prompt("Alice"));
    type(*alice, "/join dev");
    CHECK_RECEIVES(*alice, nowIn("dev") + prompt("Alice"));
    type(*alice, "dev one");
    CHECK_RECEIVES(*alice, prompt("Alice"));
    type(*alice, "/join ops");
    CHECK_RECEIVES(*alice, nowIn("ops") + prompt("Alice"));
    type(*alice, "ops one");
    CHECK_RECEIVES(*alice, prompt("Alice"));
    type(*alice, "/join general");
    CHECK_RECEIVES(*alice,
                   nowIn("general") + historyLine("Alice", "general one") + prompt("Alice"));
    type(*alice, "general two");
    CHECK_RECEIVES(*alice, prompt("Alice"));
    BOOST_CHECK(server.stop().exitedWith(0));
  }
  ChatServer server({"--log", log.path});
  auto bob = enter(server, "Bob",
                   historyLine("Alice", "general one") + historyLine("Alice", "general two"));
  type(*bob, "/rooms");
  CHECK_RECEIVES(*bob, "Rooms (3): general (1, you are here), dev (0), ops (0)\n" + prompt("Bob"));
  type(*bob, "/join dev");
  CHECK_RECEIVES(*bob, nowIn("dev") + historyLine("Alice", "dev one") + prompt("Bob"));
  type(*bob, "/join ops");
  CHECK_RECEIVES(*bob, nowIn("ops") + historyLine("Alice", "ops one") + prompt("Bob"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
