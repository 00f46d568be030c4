// Outbox bookkeeping: consuming sent bytes without quadratic copying.
#include "chat/outbox.hpp"

#include <algorithm>
#include <utility>

namespace chat {

void Outbox::consume(std::size_t bytes) {
  head_ += std::min(bytes, size());
  if (head_ == buffer_.size()) {
    buffer_.clear();
    head_ = 0;
    if (buffer_.capacity() > kKeptCapacity) std::string().swap(buffer_);
  } else if (head_ >= kCompactAfter && head_ * 2 >= buffer_.size()) {
    buffer_.erase(0, head_);
    head_ = 0;
  }
}

std::string Outbox::take() {
  std::string rest(pending());
  buffer_.clear();
  head_ = 0;
  return rest;
}

}  // namespace chat
