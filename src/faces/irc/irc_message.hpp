// IRC lines in: a framer that cuts a byte stream into bounded lines, and a parser for one line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace faces::irc {

// RFC 1459/2812 §2.3: a message is at most 512 bytes with its CR LF, so 510 without.
inline constexpr std::size_t kMaxMessageBytes = 512;
inline constexpr std::size_t kMaxMessageBodyBytes = kMaxMessageBytes - 2;
// IRCv3 message-tags: the tag section, its leading '@' and trailing space included, may take
// 8191 bytes more than the message itself.
inline constexpr std::size_t kMaxTagBytes = 8191;
// The most the framer ever holds for one unfinished line: tags, message and a CR waiting for its
// LF.
inline constexpr std::size_t kMaxHeldBytes = kMaxTagBytes + kMaxMessageBodyBytes + 1;
// RFC 2812 §2.3: at most 15 parameters; the 15th takes the rest of the line, spaces and all.
inline constexpr std::size_t kMaxParams = 15;

// Cuts bytes into lines ending at "\n" (a "\r" before it dropped), however the bytes were split
// into reads. A line whose tags or message part goes past its bound is reported once, as soon as
// that is known, and the rest of it is discarded as it arrives; so whether a line is too long
// never depends on how it was split, and what is held never exceeds kMaxHeldBytes.
class LineFramer {
 public:
  enum class Event { NeedMore, Line, TooLong };
  struct Step {
    Event event;
    // Bytes of the input used: all of it for NeedMore, up to the line's end for Line, up to the
    // byte that made the line too long for TooLong. Never 0 for a non-empty input.
    std::size_t consumed;
    // For Line: the line without its end; valid until the next call or until the input changes.
    std::string_view line;
  };

  // Reads from `input` until one line is complete, one line turns out too long, or the input
  // runs out. Never reads past `input`.
  Step next(std::string_view input);

  // Bytes held for the unfinished line, and the memory reserved for them.
  std::size_t held() const { return partial_.size(); }
  std::size_t reserved() const { return partial_.capacity(); }

 private:
  // The tag section of the unfinished line: none, still open (no space yet), or closed.
  enum class Tags { None, Open, Closed };

  // Adds `bytes` (holding no "\n") to the unfinished line; false, keeping nothing, when the line
  // would then be too long.
  bool append(std::string_view bytes);
  bool withinBounds() const;
  void reset();

  std::string partial_;
  Tags tags_ = Tags::None;
  // Bytes of a closed tag section, its '@' and its space included.
  std::size_t tag_bytes_ = 0;
  bool discarding_ = false;
  // The last Step's line lives in partial_; forget it at the next call.
  bool line_pending_ = false;
};

// True when a line (without its end) fits the bounds: its tag section at most kMaxTagBytes, the
// rest at most kMaxMessageBodyBytes.
bool fitsLineBounds(std::string_view line);

struct Tag {
  std::string key;
  std::string value;  // unescaped; empty when the tag had no value
  bool operator==(const Tag& other) const { return key == other.key && value == other.value; }
};

struct Message {
  std::vector<Tag> tags;
  std::string prefix;   // without its ':'; empty when there was none
  std::string command;  // upper case letters, or three digits
  std::vector<std::string> params;
  bool operator==(const Message& other) const {
    return tags == other.tags && prefix == other.prefix && command == other.command &&
           params == other.params;
  }
};

enum class ParseStatus {
  Ok,
  Empty,        // nothing but spaces: RFC 2812 §2.3.1 says ignore it silently
  TooLong,      // past kMaxTagBytes or kMaxMessageBodyBytes
  BadTags,      // a tag key that IRCv3 does not allow
  BadPrefix,    // ':' followed by nothing
  NoCommand,    // tags or prefix but no command
  BadCommand,   // neither letters nor three digits; `command` holds the word as sent
  IllegalByte,  // NUL, CR or LF inside the line
};

// Parses one line without its end into `out` (cleared first). Tag values are unescaped; the
// command is upper-cased; runs of spaces count as one; the 15th parameter takes the rest of the
// line. Never throws: whatever a client sends is a status.
ParseStatus parseMessage(std::string_view line, Message& out);

}  // namespace faces::irc
