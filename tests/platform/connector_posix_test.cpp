// Connector against a port whose SYNs are dropped: done() never waits, and -w still ends it.
#include <boost/test/unit_test.hpp>

#include "net.hpp"
#include "support/unanswered_listener.hpp"

namespace {

// The -w of the attempt; long enough that a done() that blocked would show.
constexpr std::int64_t kConnectTimeoutMs = 2000;
// What one look may take at most on a loaded machine; far below the -w.
constexpr std::int64_t kOneLookMs = 500;
constexpr std::int64_t kGraceMs = 10000;

}  // namespace

BOOST_AUTO_TEST_SUITE(connector_posix)

BOOST_AUTO_TEST_CASE(done_never_waits_for_a_silent_server_and_the_timeout_ends_it) {
  net::NetInit init;
  e2e::UnansweredListener silent;
  BOOST_REQUIRE(silent.ok());
  net::ConnectOptions options;
  options.timeout_ms = kConnectTimeoutMs;
  const std::int64_t started = net::monotonicMs();
  net::Connector connector("127.0.0.1", silent.port(), options);
  const std::int64_t looked = net::monotonicMs();
  BOOST_CHECK(!connector.done());
  BOOST_CHECK_LT(net::monotonicMs() - started, kOneLookMs);
  BOOST_CHECK(connector.socket().valid());
  net::SelectSet set;
  while (!connector.done() && net::monotonicMs() - looked < kConnectTimeoutMs + kGraceMs) {
    set.clear();
    set.add(connector.socket(), false, true);
    net::NetError ignored;
    set.wait(50, ignored);
  }
  const std::int64_t took = net::monotonicMs() - started;
  BOOST_CHECK(!connector.take().valid());
  BOOST_CHECK(connector.error());
  BOOST_CHECK_GE(took, kConnectTimeoutMs);
  BOOST_CHECK_LT(took, kConnectTimeoutMs + kGraceMs);
}

BOOST_AUTO_TEST_SUITE_END()
