// The ping schedule's list moves nodes (splice) rather than copying them, so an Entry's iterator
// stays valid for the whole life of its client.
#include "server/ping_schedule.hpp"

#include <limits>
#include <utility>

namespace server {

PingSchedule::Entry::Entry(Entry&& other) noexcept
    : schedule_(std::exchange(other.schedule_, nullptr)), slot_(other.slot_) {}

PingSchedule::Entry& PingSchedule::Entry::operator=(Entry&& other) noexcept {
  if (this != &other) {
    leave();
    schedule_ = std::exchange(other.schedule_, nullptr);
    slot_ = other.slot_;
  }
  return *this;
}

void PingSchedule::Entry::sent(std::int64_t now_ms) {
  if (schedule_ == nullptr) return;
  slot_->deadline_ms = now_ms + schedule_->idle_ms_;
  Slots& slots = schedule_->slots_;
  slots.splice(slots.end(), slots, slot_);
}

void PingSchedule::Entry::leave() {
  if (schedule_ == nullptr) return;
  schedule_->slots_.erase(slot_);
  schedule_ = nullptr;
}

PingSchedule::Entry PingSchedule::add(chat::ClientId id, std::int64_t now_ms) {
  slots_.push_back(Slot{id, now_ms + idle_ms_});
  return Entry(this, std::prev(slots_.end()));
}

std::int64_t PingSchedule::nextDeadline() const {
  return slots_.empty() ? std::numeric_limits<std::int64_t>::max() : slots_.front().deadline_ms;
}

std::optional<chat::ClientId> PingSchedule::takeDue(std::int64_t now_ms) {
  if (slots_.empty() || slots_.front().deadline_ms > now_ms) return std::nullopt;
  const chat::ClientId id = slots_.front().id;
  slots_.front().deadline_ms = now_ms + idle_ms_;
  slots_.splice(slots_.end(), slots_, slots_.begin());
  return id;
}

}  // namespace server
