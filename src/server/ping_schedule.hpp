// Which WebSocket clients are due a ping (SPEC §9): those the server has sent nothing for
// kWebSocketIdlePingMs, so that a proxy or a phone network that drops idle connections never
// cuts off a quiet reader.
#pragma once

#include <cstdint>
#include <list>
#include <optional>

#include "chat/chat.hpp"

namespace server {

// Half of nginx's default proxy_read_timeout (60 s), the shortest idle limit common on the way
// to a browser, so one lost ping still leaves time for the next.
inline constexpr std::int64_t kWebSocketIdlePingMs = 30 * 1000;

// Every entry's deadline is its last send plus one fixed interval, so the order of last sends
// is the order of deadlines: a send moves its entry to the back of one list, which costs the
// same whatever the number of clients, and the loop only ever looks at the front.
class PingSchedule {
  struct Slot {
    chat::ClientId id;
    std::int64_t deadline_ms;
  };
  using Slots = std::list<Slot>;

 public:
  // One client's place in the schedule; it leaves the schedule when destroyed.
  class Entry {
   public:
    Entry() = default;
    Entry(Entry&& other) noexcept;
    Entry& operator=(Entry&& other) noexcept;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    ~Entry() { leave(); }

    // Something went out to the client at `now_ms`: its next ping waits a full interval.
    void sent(std::int64_t now_ms);
    bool scheduled() const { return schedule_ != nullptr; }

   private:
    friend class PingSchedule;
    Entry(PingSchedule* schedule, Slots::iterator slot) : schedule_(schedule), slot_(slot) {}
    void leave();

    PingSchedule* schedule_ = nullptr;
    Slots::iterator slot_;
  };

  // `idle_ms` > 0.
  explicit PingSchedule(std::int64_t idle_ms = kWebSocketIdlePingMs) : idle_ms_(idle_ms) {}
  PingSchedule(const PingSchedule&) = delete;
  PingSchedule& operator=(const PingSchedule&) = delete;

  // Schedules a client that was last sent something at `now_ms`.
  Entry add(chat::ClientId id, std::int64_t now_ms);
  // When the next client is due; INT64_MAX when none is scheduled.
  std::int64_t nextDeadline() const;
  // The next client due at `now_ms`, whose deadline starts over (a full interval from now), or
  // none. Calling it until none returns each due client once.
  std::optional<chat::ClientId> takeDue(std::int64_t now_ms);
  std::size_t size() const { return slots_.size(); }

 private:
  std::int64_t idle_ms_;
  Slots slots_;
};

}  // namespace server
