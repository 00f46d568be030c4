// UTF-8 checked a byte at a time, for text that arrives (and leaves) in pieces: WebSocket frames.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace server {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF. A sequence
// may be split anywhere between calls; a byte that cannot continue what came before fails at once,
// as RFC 6455 §8.1 asks ("fail fast").
class Utf8Stream {
 public:
  // False once the bytes so far cannot be the start of valid UTF-8; it stays false.
  bool feed(unsigned char byte);
  bool feed(std::string_view bytes);
  // True between characters: the bytes so far are valid and complete.
  bool atBoundary() const { return !failed_ && need_ == 0; }
  bool failed() const { return failed_; }

 private:
  int need_ = 0;  // continuation bytes still to come
  unsigned char low_ = 0x80;
  unsigned char high_ = 0xBF;
  bool failed_ = false;
};

// The length of `text` without a valid but unfinished character at its end, so a sender can keep
// that tail until the rest arrives instead of splitting the character between two messages.
std::size_t completeUtf8Prefix(std::string_view text);

}  // namespace server
