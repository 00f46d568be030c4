// Frames a byte stream into lines of bounded length, however the bytes were split into reads.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat {

class LineReader {
 public:
  explicit LineReader(std::size_t max_line) : max_line_(max_line) {}

  // Calls onLine(view) for every complete line, without its "\n" and a trailing "\r", and
  // onTooLong() once for every line longer than the limit, as soon as that is known; the rest of
  // such a line is dropped as it arrives. A callback returning false stops the reading right
  // after that line. Returns how many bytes of `chunk` were consumed: all of them unless stopped.
  template <class OnLine, class OnTooLong>
  std::size_t feed(std::string_view chunk, OnLine&& onLine, OnTooLong&& onTooLong);

  // Bytes held for the unfinished line: never more than the limit plus one ("\r").
  std::size_t buffered() const { return partial_.size(); }

 private:
  // A line may end in "\r\n"; the "\r" does not count against the limit but is held meanwhile.
  std::size_t maxHeld() const { return max_line_ + 1; }

  std::size_t max_line_;
  std::string partial_;
  bool discarding_ = false;
};

template <class OnLine, class OnTooLong>
std::size_t LineReader::feed(std::string_view chunk, OnLine&& onLine, OnTooLong&& onTooLong) {
  const std::size_t total = chunk.size();
  while (!chunk.empty()) {
    const std::size_t newline = chunk.find('\n');
    if (discarding_) {
      if (newline == std::string_view::npos) return total;
      chunk.remove_prefix(newline + 1);
      discarding_ = false;
      continue;
    }
    if (newline == std::string_view::npos) {
      if (partial_.size() + chunk.size() > maxHeld()) {
        partial_.clear();
        discarding_ = true;
        onTooLong();
        return total;
      }
      partial_.append(chunk);
      return total;
    }
    bool keep_going;
    if (partial_.size() + newline > maxHeld()) {
      keep_going = onTooLong();
    } else {
      std::string_view line = chunk.substr(0, newline);
      if (!partial_.empty()) {
        partial_.append(line);
        line = partial_;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      keep_going = line.size() <= max_line_ ? onLine(line) : onTooLong();
    }
    partial_.clear();
    chunk.remove_prefix(newline + 1);
    if (!keep_going) return total - chunk.size();
  }
  return total;
}

}  // namespace chat
