// Windows only: the gathering pause returns at once, its timers being too coarse for it
// (pause_posix_test.cpp checks that it sleeps elsewhere).
#include <boost/test/unit_test.hpp>

#include "net.hpp"

BOOST_AUTO_TEST_SUITE(net)

BOOST_AUTO_TEST_CASE(a_pause_returns_at_once_on_windows) {
  // Long enough that returning at once cannot be mistaken for having slept.
  constexpr int kPauseUs = 2000000;
  const std::int64_t start = net::monotonicMs();
  net::pauseMicroseconds(kPauseUs);
  BOOST_TEST(net::monotonicMs() - start < kPauseUs / 2000);
}

BOOST_AUTO_TEST_SUITE_END()
