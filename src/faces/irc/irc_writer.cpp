// IRC lines out: the line shape of RFC 2812 §2.3.1, IRCv3 tag escaping, text splitting,
// server-time.
#include "faces/irc/irc_writer.hpp"

#include <algorithm>
#include <cstdio>

namespace faces::irc {

namespace {

constexpr std::string_view kLineEnd = "\r\n";
constexpr char kSpace = ' ';
// The most bytes one UTF-8 character takes (RFC 3629).
constexpr std::size_t kMaxCharacterBytes = 4;

bool breaksLine(char c) { return c == '\0' || c == '\r' || c == '\n'; }

// Runs of bytes that keep the line whole are copied at once.
void appendClean(std::string& out, std::string_view part) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (!breaksLine(part[i])) continue;
    out.append(part.data() + run, i - run);
    run = i + 1;
  }
  out.append(part.data() + run, part.size() - run);
}

void appendTags(std::string& out, std::initializer_list<TagView> tags) {
  char separator = '@';
  for (const TagView& tag : tags) {
    out.push_back(separator);
    separator = ';';
    appendClean(out, tag.key);
    if (tag.value.empty()) continue;
    out.push_back('=');
    appendEscapedTagValue(out, tag.value);
  }
  if (tags.size() != 0) out.push_back(kSpace);
}

bool needsTrailingMark(std::string_view param) {
  return param.empty() || param.front() == ':' || param.find(kSpace) != std::string_view::npos;
}

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The last character boundary at or before `at`; `at` itself when the bytes are not UTF-8.
std::size_t characterStartAtOrBefore(std::string_view text, std::size_t at) {
  for (std::size_t back = 0; back < kMaxCharacterBytes && back <= at; ++back) {
    if (!isContinuationByte(text[at - back])) return at - back;
  }
  return at;
}

std::size_t firstCharacterBytes(std::string_view text) {
  std::size_t bytes = 1;
  while (bytes < kMaxCharacterBytes && bytes < text.size() && isContinuationByte(text[bytes])) {
    ++bytes;
  }
  return bytes;
}

// Moves a cut back to just after a space, if one lies close enough before it.
std::size_t afterNearbySpace(std::string_view text, std::size_t cut) {
  const std::size_t from = cut > kSplitLookBack ? cut - kSplitLookBack : 0;
  const std::size_t space = text.substr(0, cut).rfind(kSpace);
  if (space == std::string_view::npos || space < from) return cut;
  return space + 1;
}

// Days since 1970-01-01 to a proleptic Gregorian date, counting in 400-year eras of 146097 days
// that start on 0000-03-01, so leap days fall at an era-year's end.
struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate civilFromDays(std::int64_t days) {
  constexpr std::int64_t kDaysPerEra = 146097;
  constexpr std::int64_t kEpochFromEraStart = 719468;  // 0000-03-01 to 1970-01-01
  const std::int64_t shifted = days + kEpochFromEraStart;
  const std::int64_t era = (shifted >= 0 ? shifted : shifted - (kDaysPerEra - 1)) / kDaysPerEra;
  const std::int64_t day_of_era = shifted - era * kDaysPerEra;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const auto day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const auto month =
      static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

}  // namespace

void appendEscapedTagValue(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case ';':
        out += "\\:";
        break;
      case ' ':
        out += "\\s";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\0':
        break;
      default:
        out.push_back(c);
        break;
    }
  }
}

void appendLine(std::string& out, std::initializer_list<TagView> tags, std::string_view source,
                std::string_view command, std::initializer_list<std::string_view> middles,
                std::optional<std::string_view> trailing) {
  appendTags(out, tags);
  if (!source.empty()) {
    out.push_back(':');
    appendClean(out, source);
    out.push_back(kSpace);
  }
  appendClean(out, command);
  for (const std::string_view middle : middles) {
    out.push_back(kSpace);
    appendClean(out, middle);
  }
  if (trailing) {
    out += " :";
    appendClean(out, *trailing);
  }
  out += kLineEnd;
}

void appendLine(std::string& out, std::string_view source, std::string_view command,
                std::initializer_list<std::string_view> middles,
                std::optional<std::string_view> trailing) {
  appendLine(out, {}, source, command, middles, trailing);
}

void appendMessage(std::string& out, const Message& message) {
  char separator = '@';
  for (const Tag& tag : message.tags) {
    out.push_back(separator);
    separator = ';';
    appendClean(out, tag.key);
    if (tag.value.empty()) continue;
    out.push_back('=');
    appendEscapedTagValue(out, tag.value);
  }
  if (!message.tags.empty()) out.push_back(kSpace);
  if (!message.prefix.empty()) {
    out.push_back(':');
    appendClean(out, message.prefix);
    out.push_back(kSpace);
  }
  appendClean(out, message.command);
  for (std::size_t i = 0; i < message.params.size(); ++i) {
    out.push_back(kSpace);
    const bool last = i + 1 == message.params.size();
    if (last && needsTrailingMark(message.params[i])) out.push_back(':');
    appendClean(out, message.params[i]);
  }
  out += kLineEnd;
}

std::vector<std::string_view> splitText(std::string_view fixed, std::string_view text) {
  const std::size_t overhead = fixed.size() + kLineEnd.size();
  const std::size_t room = overhead < kMaxMessageBytes ? kMaxMessageBytes - overhead : 0;
  std::vector<std::string_view> pieces;
  while (text.size() > room) {
    std::size_t cut = characterStartAtOrBefore(text, room);
    cut = cut == 0 ? firstCharacterBytes(text) : afterNearbySpace(text, cut);
    pieces.push_back(text.substr(0, cut));
    text.remove_prefix(cut);
  }
  if (!text.empty() || pieces.empty()) pieces.push_back(text);
  return pieces;
}

std::vector<std::string> packWords(std::string_view fixed, const std::vector<std::string>& words,
                                   std::size_t max_words) {
  const std::size_t overhead = fixed.size() + kLineEnd.size();
  const std::size_t room = overhead < kMaxMessageBytes ? kMaxMessageBytes - overhead : 0;
  std::vector<std::string> runs;
  std::size_t in_run = 0;
  for (const std::string& word : words) {
    const bool fits =
        !runs.empty() && in_run < max_words && runs.back().size() + 1 + word.size() <= room;
    if (fits) {
      runs.back().push_back(kSpace);
      runs.back() += word;
      ++in_run;
    } else {
      runs.push_back(word);
      in_run = 1;
    }
  }
  return runs;
}

std::string formatServerTime(std::int64_t unix_seconds, int milliseconds) {
  constexpr std::int64_t kSecondsPerDay = 86400;
  const std::int64_t days =
      (unix_seconds >= 0 ? unix_seconds : unix_seconds - (kSecondsPerDay - 1)) / kSecondsPerDay;
  const std::int64_t second_of_day = unix_seconds - days * kSecondsPerDay;
  const CivilDate date = civilFromDays(days);
  const int millis = std::clamp(milliseconds, 0, 999);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<long long>(date.year), date.month, date.day,
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60), millis);
  return buffer;
}

}  // namespace faces::irc
