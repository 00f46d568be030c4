// Unit tests of the IRC face on the chat without sockets (docs/PROTOCOL.md §13): registration,
// capabilities, history bounds, names that are not nicks, and the face's farewells.
#include "faces/irc/irc_face.hpp"

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <vector>

#include "chat/chat.hpp"
#include "support/chat_fixture.hpp"

using chat_test::ChatFixture;

namespace {

struct IrcFixture : ChatFixture {
  explicit IrcFixture(chat::Settings settings = chat_test::unthrottled(),
                      std::size_t irc_history = faces::irc::kDefaultIrcHistory)
      : ChatFixture(settings),
        face(*chat, faces::irc::IrcSettings{"irc.test", irc_history, "9.9", "today"}) {}

  chat::ClientId connectIrc() {
    const chat::ClientId id = next_id++;
    BOOST_REQUIRE(chat->connect(id, "irc 127.0.0.1:" + std::to_string(50000 + id), now(), &face));
    BOOST_REQUIRE_EQUAL(drain(id), "");  // IRC clients speak first
    return id;
  }

  // Lines the client received, without their CR LF.
  std::vector<std::string> lines(chat::ClientId id) {
    std::vector<std::string> out;
    const std::string bytes = drain(id);
    for (std::size_t at = 0, end; (end = bytes.find("\r\n", at)) != std::string::npos;
         at = end + 2) {
      out.push_back(bytes.substr(at, end - at));
    }
    return out;
  }

  chat::ClientId registered(const std::string& nick, const std::string& caps = "") {
    const chat::ClientId id = connectIrc();
    if (!caps.empty()) type(id, "CAP LS 302\r\nCAP REQ :" + caps + "\r\nCAP END\r\n");
    type(id, "NICK " + nick + "\r\nUSER " + nick + " 0 * :x\r\n");
    const std::vector<std::string> got = lines(id);
    BOOST_REQUIRE(!got.empty());
    BOOST_REQUIRE_EQUAL(got.back(), ":irc.test 376 " + nick + " :End of /MOTD command.");
    return id;
  }

  faces::irc::IrcFace face;
};

bool contains(const std::vector<std::string>& lines, const std::string& wanted) {
  for (const std::string& line : lines) {
    if (line == wanted) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(irc_face)

BOOST_AUTO_TEST_CASE(without_cap_registration_completes_at_nick_and_user) {
  IrcFixture f;
  const chat::ClientId id = f.connectIrc();
  f.type(id, "NICK ann\r\n");
  BOOST_TEST(f.lines(id).empty());
  f.type(id, "USER ann 0 * :Ann\r\n");
  const std::vector<std::string> got = f.lines(id);
  BOOST_REQUIRE(!got.empty());
  BOOST_TEST(got.front() ==
             ":irc.test 001 ann :Welcome to the netcat-chat IRC Network, ann!ann@irc.test");
  BOOST_TEST(contains(got, ":irc.test 004 ann irc.test 9.9 o o"));
  BOOST_TEST(contains(got, ":irc.test 003 ann :This server was created today"));
}

BOOST_AUTO_TEST_CASE(an_unknown_capability_is_refused_whole_and_enables_nothing) {
  IrcFixture f;
  const chat::ClientId id = f.connectIrc();
  f.type(id,
         "CAP REQ :server-time sasl\r\nCAP LIST\r\nCAP REQ :-batch server-time\r\n"
         "CAP LIST\r\nCAP FROB\r\n");
  const std::vector<std::string> got = f.lines(id);
  BOOST_REQUIRE_EQUAL(got.size(), 5u);
  BOOST_TEST(got[0] == ":irc.test CAP * NAK :server-time sasl");
  BOOST_TEST(got[1] == ":irc.test CAP * LIST :");
  BOOST_TEST(got[2] == ":irc.test CAP * ACK :-batch server-time");
  BOOST_TEST(got[3] == ":irc.test CAP * LIST :server-time");
  BOOST_TEST(got[4] == ":irc.test 410 * FROB :Invalid CAP command");
}

BOOST_AUTO_TEST_CASE(history_on_join_is_bounded_by_irc_history) {
  IrcFixture f(chat_test::unthrottled(), 3);
  const chat::ClientId ann = f.join("ann");
  for (int i = 1; i <= 5; ++i) f.type(ann, "line " + std::to_string(i) + "\n");
  const chat::ClientId bob = f.registered("bob", "server-time");
  f.type(bob, "JOIN #general\r\n");
  std::vector<std::string> replayed;
  for (const std::string& line : f.lines(bob)) {
    if (line.find(" PRIVMSG ") != std::string::npos)
      replayed.push_back(line.substr(line.find(' ') + 1));
  }
  BOOST_REQUIRE_EQUAL(replayed.size(), 3u);
  BOOST_TEST(replayed[0] == ":ann!nc@irc.test PRIVMSG #general :line 3");
  BOOST_TEST(replayed[2] == ":ann!nc@irc.test PRIVMSG #general :line 5");
}

BOOST_AUTO_TEST_CASE(join_zero_parts_every_channel_and_others_see_each_part) {
  IrcFixture f;
  const chat::ClientId ann = f.join("ann");
  const chat::ClientId bob = f.registered("bob");
  f.type(bob, "JOIN #general,#kitchen\r\n");
  f.lines(bob);
  f.drain(ann);
  f.type(bob, "JOIN 0\r\n");
  const std::vector<std::string> got = f.lines(bob);
  BOOST_REQUIRE_EQUAL(got.size(), 2u);
  BOOST_TEST(got[0] == ":bob!bob@irc.test PART #general");
  BOOST_TEST(got[1] == ":bob!bob@irc.test PART #kitchen");
  BOOST_TEST(f.drain(ann) == "\nbob has left our chat...\n[2020-01-20 15:48:41][ann]:");
}

BOOST_AUTO_TEST_CASE(a_name_that_is_no_nick_shows_bracketed_in_names_and_takes_private_messages) {
  IrcFixture f;
  const chat::ClientId jose = f.join("Jos\xc3\xa9 Lee");
  const chat::ClientId bob = f.registered("bob");
  f.type(bob, "NAMES #general\r\nPRIVMSG [Jos{e9}_lee] :hola\r\n");
  const std::vector<std::string> got = f.lines(bob);
  BOOST_TEST(contains(got, ":irc.test 353 bob = #general :[Jos{e9}_Lee]"));
  BOOST_TEST(f.drain(jose) ==
             "\n[2020-01-20 15:48:41][bob][private]:hola\n[2020-01-20 15:48:41][Jos\xc3\xa9 Lee]:");
}

BOOST_AUTO_TEST_CASE(formatting_alone_is_no_text_and_ctcp_requests_go_nowhere) {
  IrcFixture f;
  const chat::ClientId ann = f.join("ann");
  const chat::ClientId bob = f.registered("bob");
  f.type(bob, "JOIN #general\r\n");
  f.lines(bob);
  f.drain(ann);
  f.type(bob,
         "PRIVMSG #general :\x02\x0f\r\nPRIVMSG #general :\x01VERSION\x01\r\n"
         "NOTICE #general :\x02\r\n");
  const std::vector<std::string> got = f.lines(bob);
  BOOST_REQUIRE_EQUAL(got.size(), 1u);
  BOOST_TEST(got[0] == ":irc.test 412 bob :No text to send");
  BOOST_TEST(f.drain(ann) == "");
}

BOOST_AUTO_TEST_CASE(registration_timeout_and_shutdown_end_with_error_lines) {
  chat::Settings settings = chat_test::unthrottled();
  settings.name_timeout_ms = 1000;
  IrcFixture f(settings);
  const chat::ClientId slow = f.connectIrc();
  const chat::ClientId bob = f.registered("bob");
  f.ms += 1000;
  f.chat->tick(f.now());
  std::vector<chat::Departure> gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].id == slow);
  BOOST_TEST(gone[0].farewell == "ERROR :Closing Link: Timed out waiting for registration.\r\n");
  f.chat->shutdown(f.now());
  gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].id == bob);
  BOOST_TEST(gone[0].farewell == "ERROR :Closing Link: Server is shutting down.\r\n");
}

BOOST_AUTO_TEST_CASE(a_word_that_would_start_a_trailing_part_is_not_echoed_as_one) {
  IrcFixture f;
  const chat::ClientId bob = f.registered("bob");
  f.type(bob, "PART ::x\r\nPART :#a b\r\n");
  const std::vector<std::string> got = f.lines(bob);
  BOOST_REQUIRE_EQUAL(got.size(), 2u);
  BOOST_TEST(got[0] == ":irc.test 403 bob x :No such channel");
  BOOST_TEST(got[1] == ":irc.test 403 bob #ab :No such channel");
}

BOOST_AUTO_TEST_CASE(a_join_no_channel_can_spell_makes_no_room) {
  IrcFixture f;
  const chat::ClientId bob = f.registered("bob");
  const std::size_t rooms = f.chat->roomCount();
  f.type(bob, "JOIN :#a b\r\nJOIN #x:y\r\n");
  const std::vector<std::string> got = f.lines(bob);
  BOOST_REQUIRE_EQUAL(got.size(), 2u);
  BOOST_TEST(got[0] == ":irc.test 403 bob #ab :No such channel");
  BOOST_TEST(got[1] == ":irc.test 403 bob #x:y :No such channel");
  BOOST_TEST(f.chat->roomCount() == rooms);
}

BOOST_AUTO_TEST_SUITE_END()
