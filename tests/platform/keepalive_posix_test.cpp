// What Linux and macOS hold for an armed socket, read back exactly: the portable test allows
// "cannot tell" for systems that set the values in one call.
#include <boost/test/unit_test.hpp>

#include "net.hpp"

BOOST_AUTO_TEST_SUITE(keepalive_posix)

BOOST_AUTO_TEST_CASE(every_value_of_the_plan_is_read_back) {
  net::NetError error;
  net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), error.message);
  net::Socket client = net::connectTcp("127.0.0.1", net::localPort(listener), error);
  BOOST_REQUIRE_MESSAGE(client.valid(), error.message);
  for (const int seconds : {1, 2, 7, 60, 3600}) {
    BOOST_TEST_CONTEXT("S = " << seconds) {
      BOOST_REQUIRE(!net::setKeepalive(client, seconds));
      const net::KeepalivePlan plan = net::keepalivePlan(seconds);
      const net::KeepaliveState state = net::readKeepalive(client);
      BOOST_TEST(state.on);
      BOOST_TEST(state.idle_s == plan.idle_s);
      BOOST_TEST(state.interval_s == plan.interval_s);
      BOOST_TEST(state.probes == plan.probes);
      BOOST_TEST(state.give_up_ms == plan.give_up_s * 1000);
    }
  }
  BOOST_REQUIRE(!net::setKeepalive(client, 0));
  const net::KeepaliveState off = net::readKeepalive(client);
  BOOST_TEST(!off.on);
  BOOST_TEST(off.give_up_ms == 0);  // back to the system's own limit
}

BOOST_AUTO_TEST_SUITE_END()
