// Editing keys applied to a line as a terminal's line discipline applies them (docs/PROTOCOL.md
// §9.3).
#include "chat/line_discipline.hpp"

#include <array>

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

// Text is looked at in blocks of this many bytes, each with one test. Every stop is below 0x20
// or is DEL, so a block of printable text or UTF-8 passes with that one test; a block with a CR
// or a tab in it is then looked at byte by byte. A loop of a fixed count and no branch is one
// compilers turn into vector instructions (16 bytes at a time on x86-64 at -O2, where GCC 12 and
// Clang do it), which keeps the common case close to the memchr for "\n" it replaced.
constexpr std::size_t kBlock = 32;

bool blockMayHoldStop(const char* block) {
  unsigned char control = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    const auto byte = static_cast<unsigned char>(block[i]);
    control |= static_cast<unsigned char>((byte < 0x20) | (byte == 0x7F));
  }
  return control != 0;
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
  std::size_t at = 0;
  for (; at + kBlock <= s.size(); at += kBlock) {
    if (!blockMayHoldStop(s.data() + at)) continue;
    for (std::size_t i = at; i < at + kBlock; ++i) {
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
