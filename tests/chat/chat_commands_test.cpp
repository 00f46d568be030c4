// Unit tests of the commands and rooms of docs/PROTOCOL.md §7, driven by events without sockets.
#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <string>

#include "chat/chat.hpp"
#include "chat/protocol.hpp"
#include "support/chat_fixture.hpp"

namespace p = chat::protocol;
using chat::ClientId;
using chat_test::ChatFixture;

namespace {

const std::string kTs(chat_test::kStamp);

// A fixture whose helpers read what several clients received, for checks across rooms.
struct RoomsFixture : ChatFixture {
  using ChatFixture::ChatFixture;

  // Types one line and returns everything the sender received for it.
  std::string ask(ClientId id, const std::string& line) {
    type(id, line + "\n");
    return drain(id);
  }

  // Reads and forgets what each client has been sent so far, so the next check starts clean.
  void quiet(std::initializer_list<ClientId> ids) {
    for (const ClientId id : ids) drain(id);
  }

  // Moves a client to `room` and reads its replay, leaving the notices for the others to read.
  void move(ClientId id, const std::string& room) {
    type(id, "/join " + room + "\n");
    drain(id);
  }

  std::string joined(std::string_view me, std::string_view who) const {
    return "\n" + std::string(who) + " has joined our chat...\n" + prompt(me);
  }
  std::string left(std::string_view me, std::string_view who) const {
    return "\n" + std::string(who) + " has left our chat...\n" + prompt(me);
  }
  std::string moved(std::string_view me, std::string_view who, std::string_view room) const {
    return "\n" + std::string(who) + " moved to " + std::string(room) + ".\n" + prompt(me);
  }
  // What the mover receives first.
  static std::string nowIn(std::string_view room) {
    return "You are now in " + std::string(room) + ".\n";
  }
  std::string renamed(std::string_view me, std::string_view from, std::string_view to) const {
    return "\n" + std::string(from) + " changed their name to " + std::string(to) + ".\n" +
           prompt(me);
  }
  std::string message(std::string_view me, std::string_view from, std::string_view text) const {
    return "\n" + historyLine(from, text) + prompt(me);
  }
  std::string historyLine(std::string_view from, std::string_view text) const {
    return "[" + stamp + "][" + std::string(from) + "]:" + std::string(text) + "\n";
  }
};

std::string repeated(std::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(chat_commands)

BOOST_AUTO_TEST_CASE(help_lists_the_commands_to_the_sender_only) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/help") == std::string(p::kHelp) + f.prompt("Alice"));
  BOOST_TEST(f.drain(bob).empty());
  for (const char* command : {"/help", "/list", "/name", "/join", "/rooms", "/quit", "//text"}) {
    BOOST_TEST(std::string(p::kHelp).find(command) != std::string::npos, command);
  }
}

BOOST_AUTO_TEST_CASE(command_words_ignore_ascii_case_and_trailing_words) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  BOOST_TEST(f.ask(alice, "/HELP") == std::string(p::kHelp) + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/Help me") == std::string(p::kHelp) + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/help\r") == std::string(p::kHelp) + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/help\tme") == std::string(p::kHelp) + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(list_names_the_members_in_the_order_they_joined) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.open();  // still at the name prompt: not online yet
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(bob, "/list") == "Online (3): Alice, Bob, Carol\n" + f.prompt("Bob"));
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.drain(carol).empty());
  f.chat->disconnected(alice, "closed", f.now());
  f.join("Alice");
  f.quiet({bob});
  BOOST_TEST(f.ask(bob, "/list") == "Online (3): Bob, Carol, Alice\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(rename_is_announced_to_the_others_and_frees_the_old_name) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/name Alicia") == f.prompt("Alicia"));
  BOOST_TEST(f.drain(bob) == f.renamed("Bob", "Alice", "Alicia"));
  BOOST_TEST(f.chat->nameOf(alice) == "Alicia");
  f.type(alice, "hi\n");
  BOOST_TEST(f.drain(bob) == f.message("Bob", "Alicia", "hi"));
  const auto second = f.join("alice");  // the old name is free again
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(bob, "/list") == "Online (3): Alicia, Bob, alice\n" + f.prompt("Bob"));
  BOOST_TEST(f.ask(second, "/name ALICIA") == std::string(p::kNameTaken) + f.prompt("alice"));
}

BOOST_AUTO_TEST_CASE(rename_follows_every_name_rule) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  const std::pair<std::string, std::string_view> cases[] = {
      {"/name", p::kNameEmpty},
      {"/name ", p::kNameEmpty},
      {"/name  \t ", p::kNameEmpty},
      {"/name " + std::string(33, 'n'), p::kNameTooLong},
      {"/name " + repeated("\xc3\xa9", 33), p::kNameTooLong},
      {"/name [x]", p::kNameBadChars},
      {"/name a]b", p::kNameBadChars},
      {"/name bad\x1bname", p::kNameBadChars},
      {"/name bad\x01name", p::kNameBadChars},
      {"/name c1\xc2\x85", p::kNameBadChars},
      {"/name in\tside", p::kNameBadChars},
      {"/name BOB", p::kNameTaken},
      {"/name  bob ", p::kNameTaken},
  };
  for (const auto& [typed, reply] : cases) {
    BOOST_TEST(f.ask(alice, typed) == std::string(reply) + f.prompt("Alice"), typed);
    BOOST_TEST(f.chat->nameOf(alice) == "Alice");
  }
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.ask(alice, "/name " + repeated("\xc3\xa9", 32)) ==
             f.prompt(repeated("\xc3\xa9", 32)));
}

BOOST_AUTO_TEST_CASE(rename_trims_the_name_and_keeps_inner_spaces) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/name \t Jean Luc  ") == f.prompt("Jean Luc"));
  BOOST_TEST(f.drain(bob) == f.renamed("Bob", "Alice", "Jean Luc"));
}

BOOST_AUTO_TEST_CASE(rename_to_another_case_of_ones_own_name_is_allowed) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/name ALICE") == f.prompt("ALICE"));
  BOOST_TEST(f.drain(bob) == f.renamed("Bob", "Alice", "ALICE"));
  BOOST_TEST(f.ask(bob, "/name alice") == std::string(p::kNameTaken) + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(rename_to_the_same_name_says_so_and_tells_nobody) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/name Alice") == "You are already called Alice.\n" + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/name  Alice \t") ==
             "You are already called Alice.\n" + f.prompt("Alice"));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(quit_says_goodbye_and_the_others_see_an_ordinary_leave) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  f.type(bob, "/quit\nnever sent\n");
  BOOST_TEST(!f.chat->isConnected(bob));
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].id == bob);
  BOOST_TEST(!gone[0].abort);
  BOOST_TEST(gone[0].farewell == "Goodbye.\n");
  BOOST_TEST(f.drain(alice) == f.left("Alice", "Bob"));
  f.join("bob");  // the name is free again
}

BOOST_AUTO_TEST_CASE(quit_hands_over_unsent_output_as_the_farewell) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "/list\n/quit\n");
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].farewell == f.joined("Alice", "Bob") + "Online (2): Alice, Bob\n" +
                                     f.prompt("Alice") + "Goodbye.\n");
  BOOST_TEST(f.drain(bob) == f.left("Bob", "Alice"));
}

BOOST_AUTO_TEST_CASE(double_slash_sends_the_text_with_one_slash) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "//me waves") == f.prompt("Alice"));
  BOOST_TEST(f.drain(bob) == f.message("Bob", "Alice", "/me waves"));
  BOOST_TEST(f.ask(alice, "//") == f.prompt("Alice"));
  BOOST_TEST(f.drain(bob) == f.message("Bob", "Alice", "/"));
  BOOST_TEST(f.ask(alice, "///quit") == f.prompt("Alice"));
  BOOST_TEST(f.drain(bob) == f.message("Bob", "Alice", "//quit"));
  const auto carol = f.open();
  f.type(carol, "Carol\n");
  BOOST_TEST(f.drain(carol) == f.historyLine("Alice", "/me waves") + f.historyLine("Alice", "/") +
                                   f.historyLine("Alice", "//quit") + f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(unknown_commands_and_a_bare_slash_get_one_line) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  for (const char* typed : {"/", "/ ", "/foo", "/helpme", "/ help", "/list2", "/quit!"}) {
    BOOST_TEST(f.ask(alice, typed) == std::string(p::kUnknownCommand) + f.prompt("Alice"), typed);
  }
  BOOST_TEST(f.chat->isConnected(alice));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(command_replies_are_not_history) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  for (const char* typed : {"/help", "/list", "/rooms", "/foo", "/name Al"}) f.ask(alice, typed);
  const auto bob = f.open();
  f.type(bob, "Bob\n");
  BOOST_TEST(f.drain(bob) == f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(commands_typed_behind_the_name_wait_for_the_replay) {
  RoomsFixture f(chat::Settings{10, 20000, 60000});
  const auto alice = f.join("Alice");
  for (int i = 0; i < 5000; ++i) f.type(alice, std::string(100, 'h') + "\n");
  const auto bob = f.open();
  f.type(bob, "Bob\n/list\n");
  const std::string seen = f.drain(bob);
  const std::string tail = f.prompt("Bob") + "Online (2): Alice, Bob\n" + f.prompt("Bob");
  BOOST_TEST(seen.substr(seen.size() - tail.size()) == tail);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chat_rooms)

BOOST_AUTO_TEST_CASE(join_creates_a_room_and_the_old_room_sees_a_move) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(carol, "/join dev") == f.nowIn("dev") + f.prompt("Carol"));
  BOOST_TEST(f.drain(alice) == f.moved("Alice", "Carol", "dev"));
  BOOST_TEST(f.drain(bob) == f.moved("Bob", "Carol", "dev"));
  BOOST_TEST(f.chat->roomCount() == 2u);
  BOOST_TEST(f.ask(carol, "/list") == "Online (1): Carol\n" + f.prompt("Carol"));
  BOOST_TEST(f.ask(alice, "/list") == "Online (2): Alice, Bob\n" + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(join_replays_the_rooms_history_and_its_members_see_the_join) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.move(bob, "dev");
  f.type(bob, "dev one\n");
  f.type(bob, "dev two\n");
  f.type(alice, "general one\n");
  const auto carol = f.join("Carol");
  f.quiet({alice, bob, carol});
  BOOST_TEST(f.ask(carol, "/join dev") == f.nowIn("dev") + f.historyLine("Bob", "dev one") +
                                              f.historyLine("Bob", "dev two") + f.prompt("Carol"));
  BOOST_TEST(f.drain(bob) == f.joined("Bob", "Carol"));
  BOOST_TEST(f.drain(alice) == f.moved("Alice", "Carol", "dev"));
  BOOST_TEST(f.ask(carol, "/join general") ==
             f.nowIn("general") + f.historyLine("Alice", "general one") + f.prompt("Carol"));
  BOOST_TEST(f.drain(bob) == f.moved("Bob", "Carol", "general"));
  BOOST_TEST(f.drain(alice) == f.joined("Alice", "Carol"));
}

BOOST_AUTO_TEST_CASE(room_names_compare_ignoring_ascii_case_and_keep_the_first_spelling) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.move(alice, "Dev");
  f.quiet({bob});
  BOOST_TEST(f.ask(bob, "/join dEV") == f.nowIn("Dev") + f.prompt("Bob"));
  BOOST_TEST(f.drain(alice) == f.joined("Alice", "Bob"));
  BOOST_TEST(f.ask(bob, "/rooms") ==
             "Rooms (2): general (0), Dev (2, you are here)\n" + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(room_name_rules_refuse_with_one_line_and_the_client_stays) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  const std::pair<std::string, std::string_view> cases[] = {
      {"/join", p::kRoomEmpty},
      {"/join ", p::kRoomEmpty},
      {"/join \t  ", p::kRoomEmpty},
      {"/join " + std::string(25, 'r'), p::kRoomTooLong},
      {"/join " + repeated("\xc3\xa9", 25), p::kRoomTooLong},
      {"/join [dev]", p::kRoomBadChars},
      {"/join d]ev", p::kRoomBadChars},
      {"/join dev\x1b[2J", p::kRoomBadChars},
      {"/join d\xc2\x85", p::kRoomBadChars},
      {"/join in\tside", p::kRoomBadChars},
  };
  for (const auto& [typed, reply] : cases) {
    BOOST_TEST(f.ask(alice, typed) == std::string(reply) + f.prompt("Alice"), typed);
  }
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.chat->roomCount() == 1u);
  BOOST_TEST(f.ask(alice, "/list") == "Online (2): Alice, Bob\n" + f.prompt("Alice"));
  const std::string longest = repeated("\xc3\xa9", 24);
  BOOST_TEST(f.ask(alice, "/join  " + longest + " ") == f.nowIn(longest) + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/rooms") ==
             "Rooms (2): general (1), " + longest + " (1, you are here)\n" + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(joining_the_current_room_says_so_and_tells_nobody) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.quiet({alice});
  BOOST_TEST(f.ask(alice, "/join general") == "You are already in general.\n" + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/join GENERAL") == "You are already in general.\n" + f.prompt("Alice"));
  f.move(alice, "Dev");
  f.quiet({bob});
  BOOST_TEST(f.ask(alice, "/join dev") == "You are already in Dev.\n" + f.prompt("Alice"));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(rooms_lists_every_room_with_its_member_count_and_marks_the_senders) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.move(carol, "dev");
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(alice, "/rooms") ==
             "Rooms (2): general (2, you are here), dev (1)\n" + f.prompt("Alice"));
  BOOST_TEST(f.ask(carol, "/rooms") ==
             "Rooms (2): general (2), dev (1, you are here)\n" + f.prompt("Carol"));
  BOOST_TEST(f.drain(bob).empty());
}

BOOST_AUTO_TEST_CASE(a_room_is_forgotten_once_empty_unless_it_has_history) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  f.move(alice, "tmp");
  f.move(alice, "dev");
  f.type(alice, "keep me\n");
  f.move(alice, "general");
  BOOST_TEST(f.ask(alice, "/rooms") ==
             "Rooms (2): general (1, you are here), dev (0)\n" + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/join dev") ==
             f.nowIn("dev") + f.historyLine("Alice", "keep me") + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(room_limit_refuses_a_new_room_clearly_and_keeps_the_client_where_it_was) {
  RoomsFixture f(chat_test::unthrottled());
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  // Rooms with history outlive their members, so one client can fill the table.
  for (std::size_t i = 1; i < chat::kMaxRooms; ++i) {
    f.move(alice, "r" + std::to_string(i));
    f.type(alice, "here\n");
  }
  BOOST_TEST(f.chat->roomCount() == chat::kMaxRooms);
  f.quiet({alice, bob});
  BOOST_TEST(f.ask(bob, "/join one-too-many") == std::string(p::kTooManyRooms) + f.prompt("Bob"));
  BOOST_TEST(std::string(p::kTooManyRooms).find(std::to_string(chat::kMaxRooms)) !=
             std::string::npos);
  BOOST_TEST(f.ask(bob, "/list") == "Online (1): Bob\n" + f.prompt("Bob"));
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.ask(bob, "/join r1") ==
             f.nowIn("r1") + f.historyLine("Alice", "here") + f.prompt("Bob"));
  const std::string rooms = f.ask(bob, "/rooms");
  BOOST_TEST(rooms.rfind("Rooms (" + std::to_string(chat::kMaxRooms) +
                             "): general (0), r1 (1, you are here), ",
                         0) == 0);
}

BOOST_AUTO_TEST_CASE(each_room_keeps_its_own_history) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.move(bob, "dev");
  f.type(alice, "in general\n");
  f.type(bob, "in dev\n");
  const auto carol = f.open();
  f.type(carol, "Carol\n");
  BOOST_TEST(f.drain(carol) == f.historyLine("Alice", "in general") + f.prompt("Carol"));
  BOOST_TEST(f.ask(carol, "/join dev") ==
             f.nowIn("dev") + f.historyLine("Bob", "in dev") + f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(messages_and_notices_never_reach_another_room) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.move(carol, "dev");
  f.quiet({alice, bob});
  f.type(alice, "general only\n");
  f.type(alice, "/name Alicia\n");
  BOOST_TEST(f.drain(carol).empty());
  BOOST_TEST(f.drain(bob) ==
             f.message("Bob", "Alice", "general only") + f.renamed("Bob", "Alice", "Alicia"));
  f.type(carol, "dev only\n");
  f.type(carol, "/name Caroline\n");
  const auto dave = f.join("Dave");
  f.type(carol, "/quit\n");
  BOOST_TEST(f.drain(bob) == f.joined("Bob", "Dave"));
  BOOST_TEST(f.drain(alice) == f.prompt("Alice") + f.prompt("Alicia") + f.joined("Alicia", "Dave"));
  BOOST_TEST(f.drain(dave).empty());
}

BOOST_AUTO_TEST_CASE(quit_in_a_room_is_seen_only_in_that_room) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  const auto carol = f.join("Carol");
  f.move(bob, "dev");
  f.move(carol, "dev");
  f.quiet({alice, bob});
  f.type(carol, "/quit\n");
  BOOST_TEST(f.drain(bob) == f.left("Bob", "Carol"));
  BOOST_TEST(f.drain(alice).empty());
  BOOST_TEST(f.chat->takeDepartures().size() == 1u);
}

BOOST_AUTO_TEST_CASE(max_clients_counts_clients_in_all_rooms) {
  RoomsFixture f(chat::Settings{3, 10000, 60000});
  f.join("Alice");
  const auto bob = f.join("Bob");
  f.move(bob, "dev");
  f.open();
  BOOST_TEST(!f.chat->connect(99, "127.0.0.1:9", f.now()));
  f.chat->disconnected(bob, "closed", f.now());
  BOOST_TEST(f.chat->connect(100, "127.0.0.1:10", f.now()));
}

BOOST_AUTO_TEST_CASE(clients_who_type_no_command_see_the_classic_chat) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  f.type(alice, "first\n");
  const auto bob = f.open();
  f.type(bob, "Bob\n");
  BOOST_TEST(f.drain(bob) == f.historyLine("Alice", "first") + f.prompt("Bob"));
  BOOST_TEST(f.drain(alice) == f.prompt("Alice") + f.joined("Alice", "Bob"));
  f.type(bob, "hello\n");
  BOOST_TEST(f.drain(bob) == f.prompt("Bob"));
  BOOST_TEST(f.drain(alice) == f.message("Alice", "Bob", "hello"));
  f.chat->disconnected(bob, "closed", f.now());
  BOOST_TEST(f.drain(alice) == f.left("Alice", "Bob"));
  // The log of a chat without commands is the classic one: no room ever named.
  const std::vector<std::string> expected = {
      "[" + kTs + "] Alice has joined our chat...", "[" + kTs + "][Alice]:first",
      "[" + kTs + "] Bob has joined our chat...",   "[" + kTs + "][Bob]:hello",
      "[" + kTs + "] Bob has left our chat...",
  };
  BOOST_TEST(f.journal.lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(journal_names_a_room_before_records_of_another_room) {
  RoomsFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(alice, "hi\n");
  f.move(bob, "dev");
  f.type(bob, "yo\n");
  f.type(bob, "again\n");
  f.type(alice, "/name Al\n");
  f.move(alice, "tmp");
  f.move(alice, "general");
  f.chat->disconnected(bob, "closed", f.now());
  const std::string at = "[" + kTs + "] ";
  const std::vector<std::string> expected = {
      at + "Alice has joined our chat...",
      at + "Bob has joined our chat...",
      "[" + kTs + "][Alice]:hi",
      at + "Bob moved to dev.",
      "-- room dev",
      at + "Bob has joined our chat...",
      "[" + kTs + "][Bob]:yo",
      "[" + kTs + "][Bob]:again",
      "-- room general",
      at + "Alice changed their name to Al.",
      at + "Al moved to tmp.",
      "-- room tmp",
      at + "Al has joined our chat...",
      at + "Al moved to general.",
      "-- room general",
      at + "Al has joined our chat...",
      "-- room dev",
      at + "Bob has left our chat...",
  };
  BOOST_TEST(f.journal.lines == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
