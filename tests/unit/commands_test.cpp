// Unit tests of the commands and rooms of SPEC §2 (Commands), driven by events without sockets.
#include <boost/test/unit_test.hpp>
#include <initializer_list>
#include <string>

#include "chat/chat.hpp"
#include "chat/protocol.hpp"
#include "unit/chat_fixture.hpp"

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
      {"/name del\x7f", p::kNameBadChars},
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

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(chat_rooms)

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
      {"/join d\x7f", p::kRoomBadChars},
      {"/join in\tside", p::kRoomBadChars},
  };
  for (const auto& [typed, reply] : cases) {
    BOOST_TEST(f.ask(alice, typed) == std::string(reply) + f.prompt("Alice"), typed);
  }
  BOOST_TEST(f.drain(bob).empty());
  BOOST_TEST(f.chat->roomCount() == 1u);
  BOOST_TEST(f.ask(alice, "/list") == "Online (2): Alice, Bob\n" + f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/join  " + repeated("\xc3\xa9", 24) + " ") == f.prompt("Alice"));
  BOOST_TEST(f.ask(alice, "/rooms") ==
             "Rooms (2): general (1), " + repeated("\xc3\xa9", 24) + " (1)\n" + f.prompt("Alice"));
}

BOOST_AUTO_TEST_SUITE_END()
