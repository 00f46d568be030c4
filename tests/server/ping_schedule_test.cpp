// Unit tests of when WebSocket clients are due a ping (docs/PROTOCOL.md §12.4): 30 s after the last
// send, each due client once, and nothing kept for clients that are gone.
#include "server/ping_schedule.hpp"

#include <boost/test/unit_test.hpp>
#include <limits>
#include <vector>

using server::kWebSocketIdlePingMs;
using server::PingSchedule;

namespace {

constexpr std::int64_t kStart = 1000000;

std::vector<chat::ClientId> due(PingSchedule& schedule, std::int64_t now_ms) {
  std::vector<chat::ClientId> ids;
  while (const auto id = schedule.takeDue(now_ms)) ids.push_back(*id);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ping_schedule)

BOOST_AUTO_TEST_CASE(the_interval_is_30_seconds) { BOOST_TEST(kWebSocketIdlePingMs == 30000); }

BOOST_AUTO_TEST_CASE(a_client_is_due_a_full_interval_after_it_joined_and_not_before) {
  PingSchedule schedule;
  BOOST_TEST(schedule.nextDeadline() == std::numeric_limits<std::int64_t>::max());
  PingSchedule::Entry entry = schedule.add(7, kStart);
  BOOST_TEST(schedule.nextDeadline() == kStart + kWebSocketIdlePingMs);
  BOOST_TEST(due(schedule, kStart + kWebSocketIdlePingMs - 1).empty());
  BOOST_TEST(due(schedule, kStart + kWebSocketIdlePingMs) == std::vector<chat::ClientId>{7});
}

BOOST_AUTO_TEST_CASE(a_due_client_is_due_again_a_full_interval_later) {
  PingSchedule schedule;
  PingSchedule::Entry entry = schedule.add(7, kStart);
  const std::int64_t pinged = kStart + kWebSocketIdlePingMs + 5;
  BOOST_TEST(due(schedule, pinged).size() == 1u);
  BOOST_TEST(schedule.nextDeadline() == pinged + kWebSocketIdlePingMs);
  BOOST_TEST(due(schedule, pinged + kWebSocketIdlePingMs - 1).empty());
}

BOOST_AUTO_TEST_CASE(sending_puts_the_ping_off_by_a_full_interval) {
  PingSchedule schedule;
  PingSchedule::Entry quiet = schedule.add(1, kStart);
  PingSchedule::Entry busy = schedule.add(2, kStart);
  busy.sent(kStart + 20000);
  BOOST_TEST(due(schedule, kStart + kWebSocketIdlePingMs) == std::vector<chat::ClientId>{1});
  BOOST_TEST(due(schedule, kStart + 20000 + kWebSocketIdlePingMs - 1).empty());
  BOOST_TEST(due(schedule, kStart + 20000 + kWebSocketIdlePingMs) ==
             std::vector<chat::ClientId>{2});
}

BOOST_AUTO_TEST_CASE(clients_come_due_in_the_order_of_their_last_send) {
  PingSchedule schedule;
  std::vector<PingSchedule::Entry> entries;
  for (chat::ClientId id = 1; id <= 4; ++id) entries.push_back(schedule.add(id, kStart));
  entries[2].sent(kStart + 10);  // client 3
  entries[0].sent(kStart + 20);  // client 1
  BOOST_TEST(schedule.nextDeadline() == kStart + kWebSocketIdlePingMs);
  BOOST_TEST(due(schedule, kStart + 2 * kWebSocketIdlePingMs - 1) ==
             (std::vector<chat::ClientId>{2, 4, 3, 1}));
}

BOOST_AUTO_TEST_CASE(a_destroyed_entry_leaves_the_schedule) {
  PingSchedule schedule;
  PingSchedule::Entry kept = schedule.add(1, kStart + 5);
  {
    PingSchedule::Entry gone = schedule.add(2, kStart);
    BOOST_TEST(schedule.size() == 2u);
  }
  BOOST_TEST(schedule.size() == 1u);
  BOOST_TEST(schedule.nextDeadline() == kStart + 5 + kWebSocketIdlePingMs);
  BOOST_TEST(due(schedule, kStart + 3 * kWebSocketIdlePingMs) == std::vector<chat::ClientId>{1});
}

BOOST_AUTO_TEST_CASE(a_moved_entry_is_scheduled_once_and_leaves_once) {
  PingSchedule schedule;
  PingSchedule::Entry first = schedule.add(1, kStart);
  PingSchedule::Entry moved(std::move(first));
  BOOST_TEST(!first.scheduled());  // NOLINT(bugprone-use-after-move): moved-from is empty
  BOOST_TEST(moved.scheduled());
  first.sent(kStart + 1);  // a moved-from entry does nothing
  BOOST_TEST(schedule.nextDeadline() == kStart + kWebSocketIdlePingMs);
  PingSchedule::Entry assigned = schedule.add(2, kStart);
  assigned = std::move(moved);  // client 2 leaves, client 1 stays
  BOOST_TEST(schedule.size() == 1u);
  BOOST_TEST(due(schedule, kStart + kWebSocketIdlePingMs) == std::vector<chat::ClientId>{1});
}

BOOST_AUTO_TEST_CASE(a_shorter_interval_can_be_given) {
  PingSchedule schedule(50);
  PingSchedule::Entry entry = schedule.add(3, kStart);
  BOOST_TEST(due(schedule, kStart + 50) == std::vector<chat::ClientId>{3});
}

BOOST_AUTO_TEST_SUITE_END()
