// One client's outgoing bytes, kept contiguous so that each loop turn sends them with one call.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class Outbox {
 public:
  void append(std::string_view bytes) { buffer_.append(bytes); }
  void append(char c) { buffer_.push_back(c); }
  std::string_view pending() const { return std::string_view(buffer_).substr(head_); }
  std::size_t size() const { return buffer_.size() - head_; }
  bool empty() const { return size() == 0; }
  void consume(std::size_t bytes);
  std::string take();

 private:
  // Sent bytes are dropped from the front only once they are most of the buffer, so the cost
  // of moving the rest stays proportional to what was sent.
  static constexpr std::size_t kCompactAfter = 64 * 1024;
  // A burst can grow the buffer; once drained, memory beyond this is given back.
  static constexpr std::size_t kKeptCapacity = 64 * 1024;

  std::string buffer_;
  std::size_t head_ = 0;
};

}  // namespace chat
