// Unit tests of what the --connect client says when its server stops answering (README.md, "Joining
// without nc").
#include <boost/test/unit_test.hpp>

#include "client/client.hpp"

BOOST_AUTO_TEST_SUITE(client_lost)

BOOST_AUTO_TEST_CASE(names_the_server_and_twice_the_keepalive) {
  BOOST_TEST(client::lostLine("chat.example:2525", 60, "Connection timed out") ==
             "Connection to chat.example:2525 lost: no answer for 120 s.");
  BOOST_TEST(client::lostLine(client::describeTarget("::1", 8989), 2, "") ==
             "Connection to [::1]:8989 lost: no answer for 4 s.");
}

BOOST_AUTO_TEST_CASE(without_keepalive_says_the_systems_reason) {
  BOOST_TEST(client::lostLine("10.0.0.5:2525", 0, "Connection timed out") ==
             "Connection to 10.0.0.5:2525 lost: Connection timed out.");
}

BOOST_AUTO_TEST_SUITE_END()
