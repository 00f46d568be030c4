// Strict UTF-8 checking as a small state machine: the lead byte fixes how many continuation
// bytes follow and the range of the first one (Unicode 15, table 3-7).
#include "server/utf8_stream.hpp"

namespace server {
namespace {

// The longest UTF-8 sequence, and so the longest unfinished tail a text can end in.
constexpr std::size_t kMaxSequence = 4;

}  // namespace

bool Utf8Stream::feed(unsigned char byte) {
  if (failed_) return false;
  if (need_ > 0) {
    if (byte < low_ || byte > high_) return !(failed_ = true);
    low_ = 0x80;
    high_ = 0xBF;
    --need_;
    return true;
  }
  if (byte < 0x80) return true;
  low_ = 0x80;
  high_ = 0xBF;
  if (byte >= 0xC2 && byte <= 0xDF) {
    need_ = 1;
  } else if (byte == 0xE0) {
    need_ = 2;
    low_ = 0xA0;  // below: overlong
  } else if (byte == 0xED) {
    need_ = 2;
    high_ = 0x9F;  // above: UTF-16 surrogates
  } else if (byte >= 0xE1 && byte <= 0xEF) {
    need_ = 2;
  } else if (byte == 0xF0) {
    need_ = 3;
    low_ = 0x90;  // below: overlong
  } else if (byte >= 0xF1 && byte <= 0xF3) {
    need_ = 3;
  } else if (byte == 0xF4) {
    need_ = 3;
    high_ = 0x8F;  // above: past U+10FFFF
  } else {
    failed_ = true;
  }
  return !failed_;
}

bool Utf8Stream::feed(std::string_view bytes) {
  for (const char c : bytes) {
    if (!feed(static_cast<unsigned char>(c))) return false;
  }
  return !failed_;
}

std::size_t completeUtf8Prefix(std::string_view text) {
  const std::size_t size = text.size();
  for (std::size_t back = 1; back < kMaxSequence && back <= size; ++back) {
    const auto byte = static_cast<unsigned char>(text[size - back]);
    if ((byte & 0xC0) == 0x80) continue;  // a continuation byte: the lead is further back
    if (byte < 0x80) return size;
    Utf8Stream tail;
    const bool unfinished = tail.feed(text.substr(size - back)) && !tail.atBoundary();
    return unfinished ? size - back : size;
  }
  return size;
}

}  // namespace server
