// IRC lines in: the framer's bounds and the parser's grammar (RFC 2812 §2.3.1, IRCv3 message-tags).
#include "faces/irc/irc_message.hpp"

#include <algorithm>

namespace faces::irc {

namespace {

constexpr char kLineFeed = '\n';
constexpr char kCarriageReturn = '\r';
constexpr char kSpace = ' ';
constexpr char kTagsStart = '@';
constexpr char kPrefixStart = ':';
constexpr char kTrailingStart = ':';
constexpr char kTagSeparator = ';';
constexpr char kTagValueStart = '=';
constexpr char kTagEscape = '\\';
constexpr char kClientOnlyTag = '+';
// RFC 2812: a numeric reply is exactly three digits.
constexpr std::size_t kNumericDigits = 3;

std::string_view withoutCarriageReturn(std::string_view line) {
  if (!line.empty() && line.back() == kCarriageReturn) line.remove_suffix(1);
  return line;
}

bool isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// IRCv3: key = ['+'] [vendor '/'] name, from letters, digits, '-', and '.' in the vendor.
bool isValidTagKey(std::string_view key) {
  if (!key.empty() && key.front() == kClientOnlyTag) key.remove_prefix(1);
  if (key.empty() || key.back() == '/') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return isAsciiLetter(c) || isAsciiDigit(c) || c == '-' || c == '.' || c == '/';
  });
}

// IRCv3 escaping: "\:" ';', "\s" space, "\\" '\', "\r" CR, "\n" LF; any other escaped character
// stands for itself and a lone '\' at the end is dropped.
std::string unescapeTagValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] != kTagEscape) {
      out.push_back(value[i]);
      continue;
    }
    if (++i == value.size()) break;
    switch (value[i]) {
      case ':':
        out.push_back(kTagSeparator);
        break;
      case 's':
        out.push_back(kSpace);
        break;
      case 'r':
        out.push_back(kCarriageReturn);
        break;
      case 'n':
        out.push_back(kLineFeed);
        break;
      default:
        out.push_back(value[i]);
        break;
    }
  }
  return out;
}

bool parseTags(std::string_view section, std::vector<Tag>& tags) {
  while (!section.empty()) {
    const std::size_t end = std::min(section.find(kTagSeparator), section.size());
    const std::string_view tag = section.substr(0, end);
    section.remove_prefix(std::min(end + 1, section.size()));
    if (tag.empty()) continue;  // "a;;b" or a trailing ';': nothing to keep
    const std::size_t equals = tag.find(kTagValueStart);
    const std::string_view key = tag.substr(0, equals);
    if (!isValidTagKey(key)) return false;
    const std::string_view value =
        equals == std::string_view::npos ? std::string_view() : tag.substr(equals + 1);
    tags.push_back({std::string(key), unescapeTagValue(value)});
  }
  return true;
}

void skipSpaces(std::string_view& s) {
  const std::size_t first = s.find_first_not_of(kSpace);
  s.remove_prefix(first == std::string_view::npos ? s.size() : first);
}

std::string_view takeWord(std::string_view& s) {
  const std::size_t end = std::min(s.find(kSpace), s.size());
  const std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

bool isValidCommand(std::string_view word) {
  if (word.empty()) return false;
  if (std::all_of(word.begin(), word.end(), isAsciiLetter)) return true;
  return word.size() == kNumericDigits && std::all_of(word.begin(), word.end(), isAsciiDigit);
}

std::string upperAscii(std::string_view word) {
  std::string out(word);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

void parseParams(std::string_view rest, std::vector<std::string>& params) {
  for (;;) {
    skipSpaces(rest);
    if (rest.empty()) return;
    if (rest.front() == kTrailingStart || params.size() + 1 == kMaxParams) {
      if (rest.front() == kTrailingStart) rest.remove_prefix(1);
      params.emplace_back(rest);
      return;
    }
    params.emplace_back(takeWord(rest));
  }
}

}  // namespace

bool fitsLineBounds(std::string_view line) {
  std::size_t tag_bytes = 0;
  if (!line.empty() && line.front() == kTagsStart) {
    const std::size_t space = line.find(kSpace);
    // A line of tags alone has no space to count; it still may not be longer than a section.
    if (space == std::string_view::npos) return line.size() < kMaxTagBytes;
    tag_bytes = space + 1;
  }
  return tag_bytes <= kMaxTagBytes && line.size() - tag_bytes <= kMaxMessageBodyBytes;
}

LineFramer::Step LineFramer::next(std::string_view input) {
  if (line_pending_) {
    reset();
    line_pending_ = false;
  }
  std::size_t used = 0;
  while (used < input.size()) {
    const std::string_view rest = input.substr(used);
    const std::size_t newline = rest.find(kLineFeed);
    if (discarding_) {
      if (newline == std::string_view::npos) break;
      discarding_ = false;
      used += newline + 1;
      continue;
    }
    if (newline == std::string_view::npos) {
      if (append(rest)) break;
      discarding_ = true;
      return {Event::TooLong, input.size(), {}};
    }
    used += newline + 1;
    const std::string_view text = rest.substr(0, newline);
    if (partial_.empty()) {  // the common case: a whole line in one read, never copied
      const std::string_view line = withoutCarriageReturn(text);
      if (!fitsLineBounds(line)) return {Event::TooLong, used, {}};
      return {Event::Line, used, line};
    }
    if (!append(text)) return {Event::TooLong, used, {}};
    line_pending_ = true;
    return {Event::Line, used, withoutCarriageReturn(partial_)};
  }
  return {Event::NeedMore, input.size(), {}};
}

bool LineFramer::append(std::string_view bytes) {
  const std::size_t old = partial_.size();
  if (old + bytes.size() > kMaxHeldBytes) {
    reset();
    return false;
  }
  if (old + bytes.size() > partial_.capacity()) {
    // Reserved afresh rather than left to append's doubling, which could pass the bound.
    std::string larger;
    larger.reserve(std::min(kMaxHeldBytes, std::max(old + bytes.size(), 2 * partial_.capacity())));
    larger.append(partial_);
    partial_.swap(larger);
  }
  partial_.append(bytes);
  if (old == 0 && !partial_.empty() && partial_.front() == kTagsStart) tags_ = Tags::Open;
  if (tags_ == Tags::Open) {
    const std::size_t space = partial_.find(kSpace, std::max<std::size_t>(old, 1));
    if (space != std::string::npos) {
      tags_ = Tags::Closed;
      tag_bytes_ = space + 1;
    }
  }
  if (!withinBounds()) {
    reset();
    return false;
  }
  return true;
}

// A trailing CR may still be the start of the line's end, so it does not count yet.
bool LineFramer::withinBounds() const {
  const std::size_t counted = withoutCarriageReturn(partial_).size();
  if (tags_ == Tags::Open) return counted < kMaxTagBytes;
  return tag_bytes_ <= kMaxTagBytes && counted - tag_bytes_ <= kMaxMessageBodyBytes;
}

void LineFramer::reset() {
  partial_.clear();
  tags_ = Tags::None;
  tag_bytes_ = 0;
}

ParseStatus parseMessage(std::string_view line, Message& out) {
  out = Message();
  if (line.find_first_of(std::string_view("\0\r\n", 3)) != std::string_view::npos) {
    return ParseStatus::IllegalByte;
  }
  if (!fitsLineBounds(line)) return ParseStatus::TooLong;
  std::string_view rest = line;
  if (!rest.empty() && rest.front() == kTagsStart) {
    rest.remove_prefix(1);
    if (!parseTags(takeWord(rest), out.tags)) return ParseStatus::BadTags;
    skipSpaces(rest);
  } else {
    skipSpaces(rest);
    if (rest.empty()) return ParseStatus::Empty;
  }
  if (!rest.empty() && rest.front() == kPrefixStart) {
    rest.remove_prefix(1);
    out.prefix = std::string(takeWord(rest));
    if (out.prefix.empty()) return ParseStatus::BadPrefix;
    skipSpaces(rest);
  }
  const std::string_view command = takeWord(rest);
  if (command.empty()) return ParseStatus::NoCommand;
  if (!isValidCommand(command)) {
    out.command = std::string(command);
    return ParseStatus::BadCommand;
  }
  out.command = upperAscii(command);
  parseParams(rest, out.params);
  return ParseStatus::Ok;
}

}  // namespace faces::irc
