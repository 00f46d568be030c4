// Unit tests of the chat's password (docs/PROTOCOL.md): asked before the name, one try, nothing of
// the chat before it, and the guess limit per address.
#include <boost/test/unit_test.hpp>
#include <string>

#include "chat/chat.hpp"
#include "chat/guess_limit.hpp"
#include "chat/password.hpp"
#include "chat/protocol.hpp"
#include "support/chat_fixture.hpp"

namespace p = chat::protocol;
using chat_test::ChatFixture;

namespace {

chat::Settings withPassword(std::string password = "open sesame") {
  chat::Settings settings;
  settings.password = std::move(password);
  return settings;
}

bool logHas(const ChatFixture& f, std::string_view text) {
  for (const std::string& line : f.log.lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

// Connects from `peer`; returns what the chat answered before anything was typed.
std::string connectFrom(ChatFixture& f, chat::ClientId id, const std::string& peer) {
  const chat::Admission admission = f.chat->connect(id, peer, f.now());
  if (!admission) return std::string(admission.refusal);
  return f.drain(id);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(chat_password)

BOOST_AUTO_TEST_CASE(the_password_prompt_comes_after_the_banner_instead_of_the_name_prompt) {
  ChatFixture f(withPassword());
  BOOST_TEST(connectFrom(f, 1, "127.0.0.1:1") ==
             std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
  BOOST_TEST(p::kPasswordPrompt.back() == ' ');
}

BOOST_AUTO_TEST_CASE(the_right_password_is_followed_at_once_by_the_name_prompt_alone) {
  ChatFixture f(withPassword());
  connectFrom(f, 1, "127.0.0.1:1");
  f.type(1, "open sesame\r\n");
  BOOST_TEST(f.drain(1) == std::string(p::kNamePrompt));
  f.type(1, "Alice\n");
  f.drain(1);
  BOOST_TEST(f.chat->nameOf(1) == "Alice");
}

BOOST_AUTO_TEST_CASE(a_wrong_password_gets_one_line_and_the_connection_closes) {
  ChatFixture f(withPassword());
  connectFrom(f, 1, "127.0.0.1:1");
  f.type(1, "open sesame \n");
  const auto departures = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(departures.size(), 1u);
  BOOST_TEST(departures[0].farewell == std::string(p::kWrongPassword));
  BOOST_TEST(!departures[0].abort);
  BOOST_TEST(!f.chat->isConnected(1));
  BOOST_TEST(logHas(f, "wrong password from 127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(lines_typed_ahead_after_a_wrong_password_are_never_names) {
  ChatFixture f(withPassword());
  const auto alice = f.open();
  f.type(alice, "open sesame\nAlice\n");
  f.drain(alice);
  connectFrom(f, 2, "127.0.0.2:2");
  f.type(2, "guess\nMallory\nhello everyone\n");
  BOOST_TEST(!f.chat->isConnected(2));
  BOOST_TEST(f.drain(alice).empty());  // no join, no message, no leave
}

BOOST_AUTO_TEST_CASE(nothing_of_the_chat_reaches_a_connection_before_its_password) {
  ChatFixture f(withPassword());
  const auto alice = f.open();
  f.type(alice, "open sesame\nAlice\nhello\n");
  f.drain(alice);
  const auto eve = f.open();
  BOOST_TEST(f.chat->nameOf(eve).empty());
  f.type(alice, "second\n");
  f.drain(alice);
  BOOST_TEST(f.drain(eve).empty());  // no message
  f.type(eve, "/list\n");            // a command is only a wrong password here
  BOOST_TEST(!f.chat->isConnected(eve));
  BOOST_TEST(f.drain(alice) == "");
}

BOOST_AUTO_TEST_CASE(a_line_too_long_for_any_password_is_a_wrong_password) {
  ChatFixture f(withPassword());
  connectFrom(f, 1, "127.0.0.1:1");
  f.type(1, std::string(5000, 'x'));
  BOOST_TEST(!f.chat->isConnected(1));
  BOOST_TEST(logHas(f, "wrong password from 127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(the_name_timeout_covers_the_password_prompt_with_its_own_line) {
  chat::Settings settings = withPassword();
  settings.name_timeout_ms = 5000;
  ChatFixture f(settings);
  connectFrom(f, 1, "127.0.0.1:1");
  BOOST_TEST(f.chat->nextDeadline() == f.ms + 5000);
  f.ms += 5000;
  f.chat->tick(f.now());
  const auto departures = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(departures.size(), 1u);
  BOOST_TEST(departures[0].farewell == std::string(p::kPasswordTimedOut));
}

BOOST_AUTO_TEST_CASE(five_wrong_passwords_in_ten_minutes_shut_the_address_out_for_ten_minutes) {
  ChatFixture f(withPassword());
  chat::ClientId id = 1;
  std::int64_t fifth = 0;
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(connectFrom(f, id, "10.0.0.1:" + std::to_string(1000 + i)) ==
               std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
    fifth = f.ms;
    f.type(id++, "nope\n");
    f.ms += 60 * 1000;
  }
  // The refusal alone: no banner, as for a full chat.
  BOOST_TEST(connectFrom(f, id++, "10.0.0.1:2000") == std::string(p::kTooManyWrongPasswords));
  BOOST_TEST(logHas(f, "refused: too many wrong passwords from 10.0.0.1"));
  // Another address is not held back by the first one's failures.
  BOOST_TEST(connectFrom(f, id++, "10.0.0.2:2000") ==
             std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
  // Ten minutes after the fifth, the address may try again, not a moment before.
  f.ms = fifth + chat::GuessLimit::kLockoutMs - 1;
  BOOST_TEST(connectFrom(f, id++, "10.0.0.1:2001") == std::string(p::kTooManyWrongPasswords));
  f.ms = fifth + chat::GuessLimit::kLockoutMs;
  BOOST_TEST(connectFrom(f, id++, "10.0.0.1:2001") ==
             std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
}

BOOST_AUTO_TEST_CASE(wrong_passwords_spread_over_more_than_ten_minutes_do_not_add_up) {
  ChatFixture f(withPassword());
  chat::ClientId id = 1;
  for (int i = 0; i < 8; ++i) {
    connectFrom(f, id, "10.0.0.1:1");
    f.type(id++, "nope\n");
    f.ms += 3 * 60 * 1000;  // at most four within any ten minutes
  }
  BOOST_TEST(connectFrom(f, id, "10.0.0.1:1") ==
             std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
}

BOOST_AUTO_TEST_CASE(an_ipv6_address_counts_by_its_64_bit_prefix) {
  ChatFixture f(withPassword());
  chat::ClientId id = 1;
  for (int i = 0; i < 5; ++i) {
    connectFrom(f, id, "[2001:db8:1:2::" + std::to_string(i + 1) + "]:4000");
    f.type(id++, "nope\n");
  }
  BOOST_TEST(connectFrom(f, id++, "[2001:db8:1:2:ffff::9]:4000") ==
             std::string(p::kTooManyWrongPasswords));
  BOOST_TEST(connectFrom(f, id++, "[2001:db8:1:3::1]:4000") ==
             std::string(p::kWelcome) + std::string(p::kPasswordPrompt));
}

BOOST_AUTO_TEST_CASE(without_a_password_nothing_changes_and_guesses_are_not_counted) {
  ChatFixture f;
  BOOST_TEST(connectFrom(f, 1, "127.0.0.1:1") ==
             std::string(p::kWelcome) + std::string(p::kNamePrompt));
}

BOOST_AUTO_TEST_CASE(an_http_request_line_at_the_prompt_closes_the_connection_without_a_word) {
  for (const chat::Settings& settings : {chat::Settings{}, withPassword()}) {
    ChatFixture f(settings);
    const auto alice = f.open();
    if (!settings.password.empty()) f.type(alice, settings.password + "\n");
    f.type(alice, "Alice\n");
    f.drain(alice);
    connectFrom(f, 2, "127.0.0.2:2");
    f.type(2, "POST /x HTTP/1.1\r\nHost: chat\r\n\r\nclick here\n");
    BOOST_TEST(!f.chat->isConnected(2));
    const auto departures = f.chat->takeDepartures();
    BOOST_REQUIRE_EQUAL(departures.size(), 1u);
    BOOST_TEST(departures[0].farewell.empty());
    BOOST_TEST(f.drain(alice).empty());
    BOOST_TEST(!logHas(f, "wrong password"));
  }
}

BOOST_AUTO_TEST_CASE(a_name_that_looks_like_http_later_on_is_just_a_name) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, "[bad]\n");
  f.drain(id);
  f.type(id, "GET / HTTP/1.1\n");  // not the first line: a name like any other
  f.drain(id);
  BOOST_TEST(f.chat->nameOf(id) == "GET / HTTP/1.1");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(password)

BOOST_AUTO_TEST_CASE(matches_only_the_same_bytes) {
  BOOST_TEST(chat::passwordMatches("secret", "secret"));
  BOOST_TEST(!chat::passwordMatches("secret", "secreT"));
  BOOST_TEST(!chat::passwordMatches("secret", "secret "));
  BOOST_TEST(!chat::passwordMatches("secret", "secre"));
  BOOST_TEST(!chat::passwordMatches("secret", ""));
  BOOST_TEST(!chat::passwordMatches("a", std::string("a\0", 2)));
  const std::string longest(chat::kMaxPasswordBytes, 'p');
  BOOST_TEST(chat::passwordMatches(longest, longest));
  BOOST_TEST(!chat::passwordMatches(longest, longest + "p"));
  BOOST_TEST(!chat::passwordMatches(longest + "p", longest + "p"));  // never a valid password
}

// An IRC client that sent no PASS is checked with an empty view, whose data may be null: the
// sanitizer build would report a null pointer handed on.
BOOST_AUTO_TEST_CASE(an_empty_view_with_no_data_is_a_wrong_guess) {
  BOOST_TEST(!chat::passwordMatches("secret", std::string_view()));
  BOOST_TEST(!chat::passwordMatches(std::string_view(), "secret"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(guess_limit)

BOOST_AUTO_TEST_CASE(keys_are_ipv4_addresses_and_ipv6_64_bit_prefixes) {
  using chat::GuessLimit;
  BOOST_TEST(GuessLimit::keyOf("192.0.2.7") == "192.0.2.7");
  BOOST_TEST(GuessLimit::keyOf("2001:db8:0:1::5") == GuessLimit::keyOf("2001:DB8:0:1:ab::1"));
  BOOST_TEST(GuessLimit::keyOf("2001:0db8:0000:0001:1:2:3:4") ==
             GuessLimit::keyOf("2001:db8:0:1::"));
  BOOST_TEST(GuessLimit::keyOf("2001:db8:0:1::5") != GuessLimit::keyOf("2001:db8:0:2::5"));
  BOOST_TEST(GuessLimit::keyOf("::1") == GuessLimit::keyOf("::2"));
  BOOST_TEST(GuessLimit::keyOf("2001:db8::") == GuessLimit::keyOf("2001:db8:0:0:1::"));
  BOOST_TEST(GuessLimit::keyOf("2001:db8::") != GuessLimit::keyOf("192.0.2.7"));
}

BOOST_AUTO_TEST_CASE(the_table_never_holds_more_than_its_bound_whatever_the_addresses) {
  chat::GuessLimit limit;
  std::int64_t now = 0;
  for (int i = 0; i < 100000; ++i) {
    limit.wrong("10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." +
                    std::to_string(i % 256),
                now++);
    BOOST_REQUIRE_LE(limit.size(), chat::GuessLimit::kMaxAddresses);
  }
  BOOST_TEST(limit.size() >= chat::GuessLimit::kMaxAddresses * 7 / 8);  // it forgets in batches
}

BOOST_AUTO_TEST_CASE(a_full_table_keeps_an_address_that_is_shut_out_over_one_that_is_not) {
  chat::GuessLimit limit;
  std::int64_t now = 0;
  for (std::size_t i = 0; i < chat::GuessLimit::kMaxWrong; ++i) limit.wrong("attacker", now++);
  BOOST_REQUIRE(limit.lockedOut("attacker", now));
  for (int i = 0; i < 20000; ++i) limit.wrong("other-" + std::to_string(i), now++);
  BOOST_TEST(limit.lockedOut("attacker", now));
}

BOOST_AUTO_TEST_SUITE_END()
