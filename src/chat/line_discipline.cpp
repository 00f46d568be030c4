// Editing keys applied to a line as a terminal's line discipline applies them (SPEC §3).
#include "chat/line_discipline.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "chat/text.hpp"

namespace chat::line_discipline {
namespace {

constexpr std::array<bool, 256> makeStops() {
  std::array<bool, 256> stops{};
  for (const char c : {kLineFeed, kNul, kBackspace, kDelete, kKill, kWordErase}) {
    stops[static_cast<unsigned char>(c)] = true;
  }
  return stops;
}

constexpr std::array<bool, 256> kStops = makeStops();

bool isStop(char c) { return kStops[static_cast<unsigned char>(c)]; }

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// True when one of the eight bytes in `word` may be a stop. Every stop is below 0x20 or is DEL,
// so a word of printable text or UTF-8 is passed over with a few arithmetic operations; a hit
// (a CR, a tab, a borrow between bytes) is only a reason to look at the bytes one by one.
bool mayHoldStop(std::uint64_t word) {
  const std::uint64_t below_space = (word - kOnes * 0x20) & ~word & kHighBits;
  const std::uint64_t del = word ^ (kOnes * 0x7F);
  const std::uint64_t is_del = (del - kOnes) & ~del & kHighBits;
  return (below_space | is_del) != 0;
}

bool isBlank(char c) { return c == ' ' || c == '\t'; }

void eraseWord(std::string& line) {
  std::size_t end = line.size();
  while (end > 0 && isBlank(line[end - 1])) --end;
  while (end > 0 && !isBlank(line[end - 1])) --end;
  line.resize(end);
}

}  // namespace

std::size_t findStop(std::string_view s) {
  constexpr std::size_t kWord = sizeof(std::uint64_t);
  std::size_t at = 0;
  for (; at + kWord <= s.size(); at += kWord) {
    std::uint64_t word;
    std::memcpy(&word, s.data() + at, kWord);
    if (!mayHoldStop(word)) continue;
    for (std::size_t i = at; i < at + kWord; ++i) {
      if (isStop(s[i])) return i;
    }
  }
  for (; at < s.size(); ++at) {
    if (isStop(s[at])) return at;
  }
  return std::string_view::npos;
}

bool isEditKey(char c) { return c == kBackspace || c == kDelete || c == kKill || c == kWordErase; }

void applyEdit(char key, std::string& line) {
  switch (key) {
    case kBackspace:
    case kDelete:
      line.resize(line.size() - text::lastCharacterBytes(line));
      return;
    case kKill:
      line.clear();
      return;
    case kWordErase:
      eraseWord(line);
      return;
    default:
      return;
  }
}

}  // namespace chat::line_discipline
