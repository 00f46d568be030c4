// Unit tests of the chat's telnet answers and interrupt (docs/PROTOCOL.md §9.2), through a client's
// output.
#include <boost/test/unit_test.hpp>
#include <string>

#include "chat/chat.hpp"
#include "support/chat_fixture.hpp"
#include "support/telnet_bytes.hpp"

using chat_test::ChatFixture;

namespace {

using namespace telnet_bytes;
const std::string kInterrupt{kIac, kIp};

}  // namespace

BOOST_AUTO_TEST_SUITE(chat_telnet)

BOOST_AUTO_TEST_CASE(answers_go_out_with_the_clients_other_output) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, cmd(kDo, kEcho) + cmd(kWill, kNaws) + cmd(kWont, kEcho));
  BOOST_TEST(f.drain(id) == cmd(kWont, kEcho) + cmd(kDont, kNaws));
  f.type(id, "Ali" + cmd(kDo, kTimingMark) + "ce\r\n");
  BOOST_TEST(f.drain(id) == cmd(kWill, kTimingMark) + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(a_client_that_sends_no_iac_never_receives_one) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.type(bob, cmd(kDo, kEcho) + "hello\n");
  const std::string seen = f.drain(alice);
  BOOST_TEST(seen.find(kIac) == std::string::npos);
  BOOST_TEST(seen.find("hello") != std::string::npos);
  BOOST_TEST(f.drain(bob) == cmd(kWont, kEcho) + f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(interrupt_is_a_quit_and_the_timing_mark_is_confirmed_first) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  // What inetutils telnet sends on Ctrl-C, here split across two reads.
  f.type(bob, "half a li" + kInterrupt.substr(0, 1));
  f.type(bob, kInterrupt.substr(1) + cmd(kDo, kTimingMark));
  BOOST_TEST(!f.chat->isConnected(bob));
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(!gone[0].abort);
  BOOST_TEST(gone[0].farewell == cmd(kWill, kTimingMark) + "Goodbye.\n");
  BOOST_TEST(f.drain(alice) == "\nBob has left our chat...\n" + f.prompt("Alice"));
}

BOOST_AUTO_TEST_CASE(interrupt_at_the_name_prompt_says_goodbye) {
  ChatFixture f;
  const auto id = f.open();
  f.type(id, kInterrupt);
  BOOST_TEST(!f.chat->isConnected(id));
  const auto gone = f.chat->takeDepartures();
  BOOST_REQUIRE_EQUAL(gone.size(), 1u);
  BOOST_TEST(gone[0].farewell == "Goodbye.\n");
}

BOOST_AUTO_TEST_CASE(lines_before_the_interrupt_are_still_handled) {
  ChatFixture f;
  const auto alice = f.join("Alice");
  const auto bob = f.join("Bob");
  f.drain(alice);
  f.type(bob, "last words\n" + kInterrupt + "never read\n");
  BOOST_TEST(f.drain(alice) == "\n[" + f.stamp + "][Bob]:last words\n" + f.prompt("Alice") +
                                   "\nBob has left our chat...\n" + f.prompt("Alice"));
}

BOOST_AUTO_TEST_SUITE_END()
