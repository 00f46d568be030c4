// Unit tests of the flood gate (docs/PROTOCOL.md §10.1): burst, refill, fractional rates and 0, on
// a fake clock.
#include "chat/flood_gate.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>

using chat::FloodGate;

namespace {

// Takes every line the gate allows at `now_ms`, up to `most`; returns how many.
int takeAll(FloodGate& gate, std::int64_t now_ms, int most = 1000000) {
  int taken = 0;
  while (taken < most && gate.allows(now_ms)) {
    gate.take(now_ms);
    ++taken;
  }
  return taken;
}

// Lines let through from `from_ms` to `to_ms` (exclusive) by a client that sends as fast as the
// gate allows, asking once per millisecond.
int linesBetween(FloodGate& gate, std::int64_t from_ms, std::int64_t to_ms) {
  int taken = 0;
  for (std::int64_t ms = from_ms; ms < to_ms; ++ms) taken += takeAll(gate, ms);
  return taken;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(flood_gate)

BOOST_AUTO_TEST_CASE(default_allowance_is_twenty_lines_at_once_then_two_per_second) {
  FloodGate gate(2.0, 20);
  BOOST_TEST(takeAll(gate, 1000) == 20);
  BOOST_TEST(!gate.allows(1000));
  BOOST_TEST(gate.nextAllowedMs() == 1500);
  BOOST_TEST(!gate.allows(1499));
  BOOST_TEST(takeAll(gate, 1500) == 1);
  BOOST_TEST(gate.nextAllowedMs() == 2000);
  BOOST_TEST(linesBetween(gate, 1501, 11501) == 20);  // ten seconds at the rate
}

BOOST_AUTO_TEST_CASE(idle_time_refills_the_burst_but_never_beyond_it) {
  FloodGate gate(2.0, 20);
  BOOST_TEST(takeAll(gate, 0) == 20);
  BOOST_TEST(takeAll(gate, 5000) == 10);  // five seconds bring back ten lines
  BOOST_TEST(takeAll(gate, 1000000) == 20);
}

BOOST_AUTO_TEST_CASE(first_line_is_allowed_whatever_the_clock_reads) {
  for (const std::int64_t start : {std::int64_t{0}, std::int64_t{-5000}, std::int64_t{1} << 40}) {
    FloodGate gate(2.0, 20);
    BOOST_TEST(gate.allows(start));
    BOOST_TEST(gate.nextAllowedMs() <= start);
  }
}

BOOST_AUTO_TEST_CASE(fractional_rates_keep_their_average) {
  FloodGate slow(0.5, 1);
  BOOST_TEST(linesBetween(slow, 0, 60000) == 30);
  FloodGate odd(0.7, 1);
  // One at 0 ms, then one every 1428.58 ms: the 42nd falls at 58572 ms, the 43rd after 60000.
  BOOST_TEST(linesBetween(odd, 0, 60000) == 42);
  FloodGate thirds(3.0, 1);
  BOOST_TEST(linesBetween(thirds, 0, 10000) == 30);
}

BOOST_AUTO_TEST_CASE(next_allowed_moment_is_exact_for_fractional_rates) {
  FloodGate gate(3.0, 4);
  std::int64_t now = 10;
  takeAll(gate, now);
  for (int i = 0; i < 50; ++i) {
    const std::int64_t due = gate.nextAllowedMs();
    BOOST_TEST_REQUIRE(due > now);
    BOOST_TEST(!gate.allows(due - 1));
    BOOST_TEST(gate.allows(due));
    now = due;
    gate.take(now);
  }
}

BOOST_AUTO_TEST_CASE(lines_taken_late_within_a_millisecond_do_not_slow_the_rate) {
  // 1.5 lines per second with a burst of 1: tokens come at fractions of a millisecond, and a
  // client held back takes each in the millisecond after; over a minute that adds up to nothing.
  FloodGate gate(1.5, 1);
  BOOST_TEST(linesBetween(gate, 0, 60000) == 90);
  BOOST_TEST(takeAll(gate, 60000) == 0);  // the 91st is due at 90 * 666.667 = 60000.03 ms
  BOOST_TEST(takeAll(gate, 60001) == 1);
}

BOOST_AUTO_TEST_CASE(rate_zero_lets_every_line_through) {
  FloodGate gate(0.0, 20);
  BOOST_TEST(!gate.enabled());
  BOOST_TEST(takeAll(gate, 1000, 100000) == 100000);
  BOOST_TEST(gate.allows(1000));
  BOOST_TEST(gate.nextAllowedMs() <= 1000);
}

BOOST_AUTO_TEST_CASE(burst_of_one_allows_one_line_at_a_time) {
  FloodGate gate(2.0, 1);
  BOOST_TEST(takeAll(gate, 0) == 1);
  BOOST_TEST(gate.nextAllowedMs() == 500);
  FloodGate zero(2.0, 0);  // not a valid setting, but it must not lock the client out
  BOOST_TEST(takeAll(zero, 0) == 1);
}

BOOST_AUTO_TEST_CASE(extreme_settings_neither_overflow_nor_lock_out) {
  FloodGate tiny(1e-12, 5);
  BOOST_TEST(takeAll(tiny, 0) == 5);
  BOOST_TEST(!tiny.allows(std::int64_t{1} << 40));  // decades later: still waiting
  BOOST_TEST(tiny.nextAllowedMs() > (std::int64_t{1} << 40));
  FloodGate huge(1e12, 1000000000000ull);
  BOOST_TEST(takeAll(huge, 0, 1000) == 1000);
}

BOOST_AUTO_TEST_SUITE_END()
