// The last N chat lines of a room, addressed by a sequence number that survives old lines dropping.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

namespace chat {

class History {
 public:
  explicit History(std::size_t capacity) : capacity_(capacity) {}

  void add(std::string_view line);
  std::uint64_t beginSeq() const { return end_seq_ - lines_.size(); }
  std::uint64_t endSeq() const { return end_seq_; }
  // Valid for beginSeq() <= seq < endSeq().
  std::string_view at(std::uint64_t seq) const { return lines_[seq - beginSeq()]; }
  std::size_t size() const { return lines_.size(); }
  bool empty() const { return lines_.empty(); }
  // The room the lines' buffers take (the sum of their capacities), to check that it stays close
  // to the bytes of the lines themselves.
  std::size_t bytesHeld() const;

 private:
  std::size_t capacity_;
  std::deque<std::string> lines_;
  std::uint64_t end_seq_ = 0;
};

}  // namespace chat
