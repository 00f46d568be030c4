// Wire text from docs/PROTOCOL.md §16 and the helpers that compare received bytes with it.
#include "support/wire.hpp"

namespace e2e {

// Copied from docs/PROTOCOL.md, so a change of a single character in the server shows up here.
const std::string kBanner = R"logo(Welcome to TCP-Chat!
         _nnnn_
        dGGGGMMb
       @p~qp~~qMb
       M|@||@) M|
       @,----.JM|
      JS^\__/  qKL
     dZP        qKRb
    dZP          qKKb
   fZP            SMMb
   HZM            MMMM
   FqM            MMMM
 __| ".        |\dS"qML
 |    `.       | `' \Zq
_)      \.___.,|     .'
\____   )MMMMMP|   .'
     `-'       `--'
)logo" + std::string(kNamePrompt);

namespace {

// True when `bytes` at `at` hold `YYYY-MM-DD HH:MM:SS`.
bool timestampAt(std::string_view bytes, std::size_t at) {
  static constexpr std::string_view kShape = "0000-00-00 00:00:00";
  if (at + kShape.size() > bytes.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const char c = bytes[at + i];
    const bool fits = kShape[i] == '0' ? (c >= '0' && c <= '9') : c == kShape[i];
    if (!fits) return false;
  }
  return true;
}

}  // namespace

std::string prompt(std::string_view me) {
  return "[" + std::string(kTs) + "][" + std::string(me) + "]:";
}

std::string messageTo(std::string_view me, std::string_view from, std::string_view text) {
  return "\n" + prompt(from) + std::string(text) + "\n" + prompt(me);
}

std::string joinNoticeTo(std::string_view me, std::string_view who) {
  return "\n" + std::string(who) + " has joined our chat...\n" + prompt(me);
}

std::string leaveNoticeTo(std::string_view me, std::string_view who) {
  return "\n" + std::string(who) + " has left our chat...\n" + prompt(me);
}

std::string historyLine(std::string_view from, std::string_view text) {
  return prompt(from) + std::string(text) + "\n";
}

std::size_t wireLength(std::string_view pattern) {
  std::size_t length = pattern.size();
  for (std::size_t at = pattern.find(kTs); at != std::string_view::npos;
       at = pattern.find(kTs, at + kTs.size())) {
    length += kTimestampLength - kTs.size();
  }
  return length;
}

std::string maskTimestamps(std::string_view bytes) {
  std::string masked;
  masked.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    if (timestampAt(bytes, i)) {
      masked += kTs;
      i += kTimestampLength;
    } else {
      masked += bytes[i++];
    }
  }
  return masked;
}

std::vector<std::string> timestampsIn(std::string_view bytes) {
  std::vector<std::string> found;
  for (std::size_t i = 0; i < bytes.size();) {
    if (timestampAt(bytes, i)) {
      found.emplace_back(bytes.substr(i, kTimestampLength));
      i += kTimestampLength;
    } else {
      ++i;
    }
  }
  return found;
}

std::string shown(std::string_view bytes) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

namespace {

// Bytes a UTF-8 sequence starting with `lead` needs, or 0 when `lead` cannot start one.
std::size_t sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Rejects overlong forms, surrogates and code points above U+10FFFF via the second byte.
bool secondByteFits(unsigned char lead, unsigned char second) {
  if (lead == 0xE0) return second >= 0xA0 && second <= 0xBF;
  if (lead == 0xED) return second >= 0x80 && second <= 0x9F;
  if (lead == 0xF0) return second >= 0x90 && second <= 0xBF;
  if (lead == 0xF4) return second >= 0x80 && second <= 0x8F;
  return second >= 0x80 && second <= 0xBF;
}

}  // namespace

bool isValidUtf8(std::string_view bytes) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const std::size_t length = sequenceLength(lead);
    if (length == 0 || i + length > bytes.size()) return false;
    if (length > 1 && !secondByteFits(lead, static_cast<unsigned char>(bytes[i + 1]))) {
      return false;
    }
    for (std::size_t k = 2; k < length; ++k) {
      const auto next = static_cast<unsigned char>(bytes[i + k]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

std::string withUnixNewlines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    out += text[i];
  }
  return out;
}

std::vector<std::string> splitLines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace e2e
