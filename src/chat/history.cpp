// Bounded history that recycles the storage of the line it drops.
#include "chat/history.hpp"

#include <utility>

namespace chat {
namespace {
// How much larger than a line a reused buffer may be.
constexpr std::size_t kSlack = 32;
}  // namespace

void History::add(std::string_view line) {
  ++end_seq_;
  if (capacity_ == 0) return;
  if (lines_.size() < capacity_) {
    lines_.emplace_back(line);
    return;
  }
  std::string recycled = std::move(lines_.front());
  lines_.pop_front();
  // The dropped line's buffer is reused when it fits the new line well. Assigning into a buffer
  // that is too small would double it (for a line one byte longer), and a buffer far too large
  // would hold memory the line does not need: either way the line gets a buffer of its own size.
  if (recycled.capacity() >= line.size() && recycled.capacity() <= 2 * line.size() + kSlack) {
    recycled.assign(line);
  } else {
    recycled = std::string(line);
  }
  lines_.push_back(std::move(recycled));
}

std::size_t History::bytesHeld() const {
  std::size_t bytes = 0;
  for (const std::string& line : lines_) bytes += line.capacity();
  return bytes;
}

}  // namespace chat
