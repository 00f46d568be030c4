// POSIX only: the gathering pause sleeps (Windows leaves it out: pause_win_test.cpp).
#include <boost/test/unit_test.hpp>

#include "net.hpp"

BOOST_AUTO_TEST_SUITE(net)

BOOST_AUTO_TEST_CASE(a_pause_sleeps_on_posix) {
  constexpr int kPauseUs = 20000;
  const std::int64_t start = net::monotonicMs();
  net::pauseMicroseconds(kPauseUs);
  BOOST_TEST(net::monotonicMs() - start >= kPauseUs / 1000 - 1);
}

BOOST_AUTO_TEST_SUITE_END()
