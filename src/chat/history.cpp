// Bounded history that recycles the storage of the line it drops.
#include "chat/history.hpp"

#include <utility>

namespace chat {

void History::add(std::string_view line) {
  ++end_seq_;
  if (capacity_ == 0) return;
  if (lines_.size() < capacity_) {
    lines_.emplace_back(line);
    return;
  }
  std::string recycled = std::move(lines_.front());
  lines_.pop_front();
  recycled.assign(line);
  lines_.push_back(std::move(recycled));
}

}  // namespace chat
