// The request-line grammar of RFC 9112 §3, walked one byte at a time so that a prefix can be
// judged.
#include "chat/http_line.hpp"

namespace chat {
namespace {

constexpr std::string_view kVersionShape = "HTTP/d.d";  // d: a digit

bool isTokenChar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isVisible(char c) { return c > 0x20 && c < 0x7F; }

enum class Match { Mismatch, Partial, Complete };

// How far `text` (no line end in it) follows METHOD SP TARGET SP HTTP/d.d.
Match matchRequestLine(std::string_view text) {
  enum { Method, Target, Version } part = Method;
  std::size_t length = 0;  // of the current part so far
  for (const char c : text) {
    if (part != Version && c == ' ' && length > 0) {
      part = part == Method ? Target : Version;
      length = 0;
      continue;
    }
    bool fits = false;
    if (part == Method) {
      fits = isTokenChar(c);
    } else if (part == Target) {
      fits = isVisible(c);
    } else if (length < kVersionShape.size()) {
      const char shape = kVersionShape[length];
      fits = shape == 'd' ? (c >= '0' && c <= '9') : c == shape;
    }
    if (!fits) return Match::Mismatch;
    ++length;
  }
  return part == Version && length == kVersionShape.size() ? Match::Complete : Match::Partial;
}

}  // namespace

bool isHttpRequestLine(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return matchRequestLine(line) == Match::Complete;
}

HttpGuess guessHttpRequest(std::string_view first_bytes) {
  const std::size_t end = first_bytes.find('\n');
  if (end != std::string_view::npos) {
    return isHttpRequestLine(first_bytes.substr(0, end)) ? HttpGuess::Yes : HttpGuess::No;
  }
  std::string_view line = first_bytes;
  // A CR may be the first half of the line end still on its way.
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return matchRequestLine(line) == Match::Mismatch ? HttpGuess::No : HttpGuess::Maybe;
}

}  // namespace chat
