// Connector: a connect that the caller's own wait finishes, never blocking in done().
#include <boost/test/unit_test.hpp>

#include "net.hpp"

namespace {

// Generous: loopback answers in microseconds, but the machine may be loaded (or be Wine).
constexpr std::int64_t kAnswerTimeoutMs = 10000;

// Asks done() until it says the attempt is over, waiting on the socket between the looks as the
// client's loop does; false when the timeout passed first.
bool finish(net::Connector& connector, std::int64_t timeout_ms) {
  const std::int64_t deadline = net::monotonicMs() + timeout_ms;
  net::SelectSet set;
  while (!connector.done()) {
    if (net::monotonicMs() >= deadline) return false;
    set.clear();
    set.add(connector.socket(), false, true);
    net::NetError ignored;
    set.wait(50, ignored);
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(connector)

BOOST_AUTO_TEST_CASE(connects_to_a_listening_port) {
  net::NetInit init;
  net::NetError error;
  net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
  BOOST_REQUIRE_MESSAGE(listener.valid(), error.message);
  net::ConnectOptions options;
  net::Connector connector("127.0.0.1", net::localPort(listener), options);
  BOOST_REQUIRE(finish(connector, kAnswerTimeoutMs));
  net::Socket socket = connector.take();
  BOOST_CHECK_MESSAGE(socket.valid(), connector.error().message);
  BOOST_CHECK(!connector.error());
  BOOST_CHECK(net::noDelayEnabled(socket));
  BOOST_CHECK(!connector.socket().valid());
}

BOOST_AUTO_TEST_CASE(a_refused_connect_is_over_with_the_reason) {
  net::NetInit init;
  net::NetError error;
  std::uint16_t port = 0;
  {
    net::Socket listener = net::listenTcp("127.0.0.1", 0, error);
    BOOST_REQUIRE_MESSAGE(listener.valid(), error.message);
    port = net::localPort(listener);
  }  // closed: nothing listens there now
  net::ConnectOptions options;
  net::Connector connector("127.0.0.1", port, options);
  BOOST_REQUIRE(finish(connector, kAnswerTimeoutMs));
  BOOST_CHECK(!connector.take().valid());
  BOOST_CHECK(connector.error());
  BOOST_CHECK(!connector.error().message.empty());
}

BOOST_AUTO_TEST_CASE(a_name_that_does_not_resolve_is_over_at_once) {
  net::NetInit init;
  net::ConnectOptions options;
  net::Connector connector("no-such-host.invalid", 8989, options);
  BOOST_CHECK(connector.done());
  BOOST_CHECK(!connector.take().valid());
  BOOST_CHECK(connector.error());
}

BOOST_AUTO_TEST_SUITE_END()
