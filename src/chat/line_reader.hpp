// Frames a byte stream into lines of bounded length, however the bytes were split into reads,
// applying the editing keys of a terminal's line discipline to each line as it arrives.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "chat/line_discipline.hpp"

namespace chat {

class LineReader {
 public:
  explicit LineReader(std::size_t max_line) : max_line_(max_line) {}

  // Calls onLine(view) for every complete line, as edited, without its end ("\n" or CR NUL) and
  // a trailing "\r"; and onTooLong() once for every line longer than the limit, as soon as that
  // is known; the rest of such a line is dropped as it arrives. A callback returning false stops
  // the reading right after that line. Returns how many bytes of `chunk` were consumed: all of
  // them unless stopped.
  //
  // The limit applies to the line as edited, at every moment: once the text held for a line
  // would go past it, the line is too long, even if keys typed later would have erased some of
  // it. So what is held never exceeds the limit, and whether a line is too long does not depend
  // on how its bytes were split into reads.
  template <class OnLine, class OnTooLong>
  std::size_t feed(std::string_view chunk, OnLine&& onLine, OnTooLong&& onTooLong);

  // Bytes held for the unfinished line: never more than the limit plus one ("\r").
  std::size_t buffered() const { return partial_.size(); }
  // Memory reserved for the unfinished line: within the same bound, for any limit beyond the
  // few bytes a string keeps inline.
  std::size_t reserved() const { return partial_.capacity(); }

 private:
  // A line may end in "\r\n"; the "\r" does not count against the limit but is held meanwhile.
  std::size_t maxHeld() const { return max_line_ + 1; }

  enum class Stop { None, LineEnd, EditKey };
  // The text at the front of a chunk, up to what stops it: the end of the chunk, a line end
  // ("\n", or NUL right after CR) or an editing key, which follows the text.
  struct Segment {
    std::string_view text;
    Stop stop;
  };
  Segment nextSegment(std::string_view chunk) const;

  // Adds `text` to the unfinished line; false, adding nothing, when it would go past the limit.
  bool append(std::string_view text);
  void grow(std::size_t needed);
  // How many bytes of `chunk` belong to the line being discarded, its end included; stops
  // discarding when that end is in `chunk`.
  std::size_t skipDiscarded(std::string_view chunk);
  void consume(std::string_view& chunk, std::size_t bytes);

  std::size_t max_line_;
  std::string partial_;
  bool discarding_ = false;
  // The last byte read was a CR, so a NUL now ends the line (RFC 854's CR NUL).
  bool after_cr_ = false;
};

template <class OnLine, class OnTooLong>
std::size_t LineReader::feed(std::string_view chunk, OnLine&& onLine, OnTooLong&& onTooLong) {
  const std::size_t total = chunk.size();
  const auto finish = [&](std::string_view line) {
    if (!line.empty() && line.back() == line_discipline::kCarriageReturn) line.remove_suffix(1);
    return line.size() <= max_line_ ? onLine(line) : onTooLong();
  };
  while (!chunk.empty()) {
    if (discarding_) {
      consume(chunk, skipDiscarded(chunk));
      continue;
    }
    const Segment next = nextSegment(chunk);
    bool keep_going = true;
    if (next.stop == Stop::LineEnd && partial_.empty()) {
      keep_going = finish(next.text);  // the common case: a whole line in one read, never copied
      consume(chunk, next.text.size() + 1);
    } else if (!append(next.text)) {
      partial_.clear();
      discarding_ = true;
      consume(chunk, next.text.size());  // a line end after it is read again, while discarding
      keep_going = onTooLong();
    } else {
      consume(chunk, next.text.size());
      if (next.stop == Stop::LineEnd) {
        consume(chunk, 1);
        keep_going = finish(partial_);
        partial_.clear();
      } else if (next.stop == Stop::EditKey) {
        line_discipline::applyEdit(chunk.front(), partial_);
        consume(chunk, 1);
      }
    }
    if (!keep_going) return total - chunk.size();
  }
  return total;
}

inline LineReader::Segment LineReader::nextSegment(std::string_view chunk) const {
  namespace ld = line_discipline;
  const std::size_t at = ld::findStop(chunk);
  if (at == std::string_view::npos) return {chunk, Stop::None};
  const std::string_view text = chunk.substr(0, at);
  if (chunk[at] == ld::kLineFeed) return {text, Stop::LineEnd};
  if (chunk[at] != ld::kNul) return {text, Stop::EditKey};
  const bool after_cr = text.empty() ? after_cr_ : text.back() == ld::kCarriageReturn;
  if (after_cr) return {text, Stop::LineEnd};
  // A NUL anywhere else is a control byte like any other, removed or refused later.
  return {chunk.substr(0, at + 1), Stop::None};
}

inline bool LineReader::append(std::string_view text) {
  const std::size_t needed = partial_.size() + text.size();
  if (needed > maxHeld()) return false;
  if (needed > partial_.capacity()) grow(needed);
  partial_.append(text);
  return true;
}

// std::string doubles its capacity as it grows, and would reserve up to twice the limit for a
// line at the limit; this doubles too, but stops at the limit. A string reserved from empty
// gets what it asks for, so the larger one is built fresh.
inline void LineReader::grow(std::size_t needed) {
  std::string larger;
  larger.reserve(std::min(maxHeld(), std::max(needed, 2 * partial_.capacity())));
  larger.append(partial_);
  partial_.swap(larger);
}

inline std::size_t LineReader::skipDiscarded(std::string_view chunk) {
  namespace ld = line_discipline;
  for (std::size_t from = 0;;) {
    const std::size_t stop = ld::findStop(chunk.substr(from));
    if (stop == std::string_view::npos) return chunk.size();
    const std::size_t at = from + stop;
    const bool after_cr = at == 0 ? after_cr_ : chunk[at - 1] == ld::kCarriageReturn;
    if (chunk[at] == ld::kLineFeed || (chunk[at] == ld::kNul && after_cr)) {
      discarding_ = false;
      return at + 1;
    }
    from = at + 1;
  }
}

inline void LineReader::consume(std::string_view& chunk, std::size_t bytes) {
  if (bytes == 0) return;
  after_cr_ = chunk[bytes - 1] == line_discipline::kCarriageReturn;
  chunk.remove_prefix(bytes);
}

}  // namespace chat
