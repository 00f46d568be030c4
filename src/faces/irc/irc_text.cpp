// IRC text rules: formatting codes, CTCP, nick syntax and the reversible name-to-nick mapping.
#include "faces/irc/irc_text.hpp"

#include <cstdint>

#include "chat/text.hpp"

namespace faces::irc {

namespace {

// Formatting codes as modern clients send them (mIRC's set and its later additions).
constexpr char kBold = 0x02;
constexpr char kColor = 0x03;
constexpr char kHexColor = 0x04;
constexpr char kReset = 0x0F;
constexpr char kMonospace = 0x11;
constexpr char kReverse = 0x16;
constexpr char kItalic = 0x1D;
constexpr char kStrikethrough = 0x1E;
constexpr char kUnderline = 0x1F;
// A colour number has one or two digits; a hex colour exactly six hex digits.
constexpr std::size_t kColorDigits = 2;
constexpr std::size_t kHexColorDigits = 6;

constexpr char kCtcpDelimiter = 0x01;
constexpr std::string_view kCtcpActionCommand = "ACTION";

constexpr char kNickOpen = '[';
constexpr char kNickClose = ']';
constexpr char kNickSpace = '_';
constexpr char kEscapeOpen = '{';
constexpr char kEscapeClose = '}';
// U+10FFFF in hex: the longest escape body.
constexpr std::size_t kMaxEscapeDigits = 6;
constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr char32_t kReplacement = 0xFFFD;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isHexDigit(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// RFC 2812's "special" without '[' and ']'.
bool isNickSpecial(char c) {
  return c == '\\' || c == '`' || c == '_' || c == '^' || c == '{' || c == '|' || c == '}';
}
bool standsForItself(char c) { return isLetter(c) || isDigit(c) || c == '-'; }

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t countLeading(std::string_view s, std::size_t max, bool (*accept)(char)) {
  std::size_t n = 0;
  while (n < max && n < s.size() && accept(s[n])) ++n;
  return n;
}

// Bytes of the colour code's arguments at the front of `s` (after the 0x03).
std::size_t colorArguments(std::string_view s) {
  const std::size_t foreground = countLeading(s, kColorDigits, isDigit);
  if (foreground == 0 || foreground >= s.size() || s[foreground] != ',') return foreground;
  const std::size_t background = countLeading(s.substr(foreground + 1), kColorDigits, isDigit);
  return background == 0 ? foreground : foreground + 1 + background;
}

// The same for 0x04: RRGGBB, then ",RRGGBB" if whole.
std::size_t hexColorArguments(std::string_view s) {
  if (countLeading(s, kHexColorDigits, isHexDigit) < kHexColorDigits) return 0;
  const std::size_t after = kHexColorDigits;
  if (after >= s.size() || s[after] != ',') return after;
  const std::string_view background = s.substr(after + 1);
  return countLeading(background, kHexColorDigits, isHexDigit) == kHexColorDigits
             ? after + 1 + kHexColorDigits
             : after;
}

bool isPlainFormatCode(char c) {
  return c == kBold || c == kReset || c == kMonospace || c == kReverse || c == kItalic ||
         c == kStrikethrough || c == kUnderline;
}

// One UTF-8 character at the front of `s` (non-empty): its code point and length; an ill-formed
// sequence is U+FFFD for its maximal valid prefix, as the chat's own repair counts it.
struct Decoded {
  char32_t code_point;
  std::size_t bytes;
};
Decoded decodeOne(std::string_view s) {
  std::size_t bytes = 0;
  const char32_t cp = chat::text::decodeUtf8(s, bytes);
  return {cp == chat::text::kInvalidCodePoint ? kReplacement : cp, bytes};
}

void appendEscape(std::string& out, char32_t cp) {
  constexpr std::string_view kHex = "0123456789abcdef";
  char digits[kMaxEscapeDigits];
  std::size_t n = 0;
  do {
    digits[n++] = kHex[cp & 0xF];
    cp >>= 4;
  } while (cp != 0);
  out.push_back(kEscapeOpen);
  while (n > 0) out.push_back(digits[--n]);
  out.push_back(kEscapeClose);
}

int hexValue(char c) {
  if (isDigit(c)) return c - '0';
  return lowerAscii(c) - 'a' + 10;
}

// Reads "{hex}" at the front of `s`, advancing past it; nothing when malformed.
std::optional<char32_t> takeEscape(std::string_view& s) {
  const std::size_t close = s.find(kEscapeClose);
  if (close == std::string_view::npos || close < 2 || close > kMaxEscapeDigits + 1) return {};
  std::uint32_t cp = 0;
  for (std::size_t i = 1; i < close; ++i) {
    if (!isHexDigit(s[i])) return {};
    cp = cp * 16 + static_cast<std::uint32_t>(hexValue(s[i]));
  }
  if (cp > kMaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  s.remove_prefix(close + 1);
  return static_cast<char32_t>(cp);
}

std::optional<std::string> decodeBracketed(std::string_view inner) {
  std::string name;
  while (!inner.empty()) {
    const char c = inner.front();
    if (c == kEscapeOpen) {
      const std::optional<char32_t> cp = takeEscape(inner);
      if (!cp) return {};
      chat::text::appendUtf8(*cp, name);
      continue;
    }
    if (c == kNickSpace) {
      name.push_back(' ');
    } else if (standsForItself(c)) {
      name.push_back(c);
    } else {
      return {};
    }
    inner.remove_prefix(1);
  }
  return name;
}

}  // namespace

void stripFormatting(std::string_view in, std::string& out) {
  out.reserve(out.size() + in.size());
  // Runs of ordinary bytes are copied whole: most messages hold no formatting at all.
  std::size_t i = 0;
  std::size_t run = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c != kColor && c != kHexColor && !isPlainFormatCode(c)) {
      ++i;
      continue;
    }
    out.append(in.data() + run, i - run);
    ++i;
    if (c == kColor) i += colorArguments(in.substr(i));
    if (c == kHexColor) i += hexColorArguments(in.substr(i));
    run = i;
  }
  out.append(in.data() + run, in.size() - run);
}

Ctcp classifyCtcp(std::string_view text) {
  if (text.empty() || text.front() != kCtcpDelimiter) return {CtcpKind::None, text};
  std::string_view body = text.substr(1);
  // Some clients leave the closing 0x01 out; the body is the same either way.
  if (!body.empty() && body.back() == kCtcpDelimiter) body.remove_suffix(1);
  const std::size_t space = body.find(' ');
  const std::string_view command = body.substr(0, space);
  if (!equalsIgnoringAsciiCase(command, kCtcpActionCommand)) return {CtcpKind::Other, command};
  return {CtcpKind::Action,
          space == std::string_view::npos ? std::string_view() : body.substr(space + 1)};
}

std::string ctcpAction(std::string_view action) {
  std::string out;
  out.reserve(action.size() + kCtcpActionCommand.size() + 3);
  out.push_back(kCtcpDelimiter);
  out += kCtcpActionCommand;
  out.push_back(' ');
  out += action;
  out.push_back(kCtcpDelimiter);
  return out;
}

bool isValidNick(std::string_view nick) {
  if (nick.empty() || nick.size() > kNickLen) return false;
  if (!isLetter(nick.front()) && !isNickSpecial(nick.front())) return false;
  for (const char c : nick) {
    if (!isLetter(c) && !isDigit(c) && !isNickSpecial(c) && c != '-') return false;
  }
  return true;
}

std::string nickForName(std::string_view name) {
  if (isValidNick(name)) return std::string(name);
  std::string nick(1, kNickOpen);
  while (!name.empty()) {
    const Decoded next = decodeOne(name);
    name.remove_prefix(next.bytes);
    if (next.code_point == ' ') {
      nick.push_back(kNickSpace);
    } else if (next.code_point < 0x80 && standsForItself(static_cast<char>(next.code_point))) {
      nick.push_back(static_cast<char>(next.code_point));
    } else {
      appendEscape(nick, next.code_point);
    }
  }
  nick.push_back(kNickClose);
  return nick;
}

std::optional<std::string> nameForNick(std::string_view nick) {
  if (isValidNick(nick)) return std::string(nick);
  if (nick.size() < 3 || nick.front() != kNickOpen || nick.back() != kNickClose) return {};
  std::optional<std::string> name = decodeBracketed(nick.substr(1, nick.size() - 2));
  // Only the spelling nickForName gives stands for a name, so each name has one nick.
  if (!name || !equalsIgnoringAsciiCase(nickForName(*name), nick)) return {};
  return name;
}

}  // namespace faces::irc
