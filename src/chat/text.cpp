// UTF-8 decoding and the character rules of docs/PROTOCOL.md §5.4, §9.4 and §9.5.
#include "chat/text.hpp"

#include <algorithm>

namespace chat::text {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kInvalid = kInvalidCodePoint;

bool isContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

bool isControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool isPlainAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

char asciiLowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

void appendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

char32_t decodeUtf8(std::string_view s, std::size_t& pos) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  char32_t cp = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
  } else {
    ++pos;
    return kInvalid;
  }
  ++pos;
  for (std::size_t i = 1; i < length; ++i) {
    if (pos >= s.size()) return kInvalid;
    const unsigned char b = byte(pos);
    const unsigned char lo = i == 1 ? low : 0x80;
    const unsigned char hi = i == 1 ? high : 0xBF;
    if (b < lo || b > hi) return kInvalid;
    cp = (cp << 6) | (b & 0x3F);
    ++pos;
  }
  return cp;
}

void repairUtf8(std::string_view in, std::string& out) {
  // Valid bytes are copied a run at a time: a web client's frames carry up to 64 KiB of chat
  // output through here, and a copy per character cost more than the rest of the frame's path.
  std::size_t run = 0;  // where the valid bytes not yet copied begin
  for (std::size_t pos = 0; pos < in.size();) {
    if (static_cast<unsigned char>(in[pos]) < 0x80) {
      ++pos;
      continue;
    }
    const std::size_t start = pos;
    if (decodeUtf8(in, pos) == kInvalid) {
      out.append(in.substr(run, start - run));
      appendUtf8(kReplacement, out);
      run = pos;
    }
  }
  out.append(in.substr(run));
}

void sanitizeMessage(std::string_view in, std::string& out) {
  if (isPlainAscii(in)) {  // the common case, byte for byte
    out.append(in);
    return;
  }
  for (std::size_t pos = 0; pos < in.size();) {
    const std::size_t start = pos;
    const char32_t cp = decodeUtf8(in, pos);
    if (cp == kInvalid) {
      appendUtf8(kReplacement, out);
    } else if (cp == '\t') {
      out.push_back(' ');
    } else if (!isControl(cp)) {
      out.append(in.substr(start, pos - start));
    }
  }
}

// A byte that is not a continuation byte always starts a character (the decoder never takes one
// as a continuation), and a character is at most kMaxSequence bytes. So the last character
// starts at the last such byte, if decoding from there reaches the end; otherwise the last
// byte is a stray continuation byte, a U+FFFD of its own.
std::size_t lastCharacterBytes(std::string_view s) {
  constexpr std::size_t kMaxSequence = 4;
  if (s.empty()) return 0;
  std::size_t start = s.size() - 1;
  while (start > 0 && s.size() - start < kMaxSequence && isContinuation(s[start])) --start;
  if (isContinuation(s[start])) return 1;
  std::size_t end = start;
  decodeUtf8(s, end);
  return end == s.size() ? s.size() - start : 1;
}

std::string_view trimBlanks(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

bool isBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

std::size_t codePoints(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return !isContinuation(c); }));
}

bool hasBracketOrControl(std::string_view utf8) {
  for (std::size_t pos = 0; pos < utf8.size();) {
    const char32_t cp = decodeUtf8(utf8, pos);
    if (cp == '[' || cp == ']' || cp == kInvalid || isControl(cp)) return true;
  }
  return false;
}

std::string asciiLower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = asciiLowerChar(c);
  return lower;
}

// Byte by byte, without lowering copies: name lookups compare every client's name.
bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLowerChar(a[i]) != asciiLowerChar(b[i])) return false;
  }
  return true;
}

NameVerdict judgeName(std::string_view name, std::size_t max_code_points) {
  if (isBlank(name)) return NameVerdict::Empty;
  if (codePoints(name) > max_code_points) return NameVerdict::TooLong;
  if (hasBracketOrControl(name)) return NameVerdict::BadCharacters;
  return NameVerdict::Ok;
}

}  // namespace chat::text
