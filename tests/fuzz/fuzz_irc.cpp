// libFuzzer target: IRC client bytes through LineFramer and parseMessage, and chat text through
// the writer's splitter and the name-to-nick mapping.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the second how long the fixed part before a split text is (byte * 2),
// the rest is both what a client sends and, separately, a text to split and a name to map.
// Checks that the framer never holds more than its bound and frames alike however the bytes
// were split; that every parsed message written out parses back to the same message; that
// split pieces fit 512 bytes, concatenate back to the text and stay valid UTF-8; that packed
// words fit their lines; that the formatting stripper leaves no formatting code; and that a name
// maps to a nick and back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "faces/irc/irc_message.hpp"
#include "faces/irc/irc_text.hpp"
#include "faces/irc/irc_writer.hpp"
#include "fuzz/invariant.hpp"
#include "fuzz/utf8_check.hpp"

namespace {

namespace irc = faces::irc;
using fuzz::require;

// The longest UTF-8 character: a split piece holds at least one, so with less room than this
// after the fixed part a line may pass 512 bytes.
constexpr std::size_t kMaxCharacterBytes = 4;
// Word caps tried by checkPack: 1 to this many words a run.
constexpr std::size_t kMaxWordsCap = 20;

struct Framed {
  bool too_long = false;
  std::string line;
  bool operator==(const Framed& other) const {
    return too_long == other.too_long && line == other.line;
  }
};

std::vector<Framed> frameInReads(std::string_view stream, std::size_t read_size) {
  irc::LineFramer framer;
  std::vector<Framed> out;
  for (std::size_t at = 0; at < stream.size(); at += read_size) {
    std::string_view read = stream.substr(at, read_size);
    while (!read.empty()) {
      const irc::LineFramer::Step step = framer.next(read);
      require(step.consumed > 0, "the framer consumed nothing");
      require(step.consumed <= read.size(), "the framer consumed more than it was given");
      read.remove_prefix(step.consumed);
      require(framer.held() <= irc::kMaxHeldBytes, "the framer holds more than the bound");
      require(framer.reserved() <= irc::kMaxHeldBytes, "the framer reserved more than the bound");
      if (step.event == irc::LineFramer::Event::Line) {
        require(step.line.find('\n') == std::string_view::npos, "a framed line holds a newline");
        require(irc::fitsLineBounds(step.line), "a framed line is too long");
        out.push_back({false, std::string(step.line)});
      } else if (step.event == irc::LineFramer::Event::TooLong) {
        out.push_back({true, {}});
      }
    }
  }
  return out;
}

void checkRoundTrip(std::string_view line) {
  irc::Message first;
  if (irc::parseMessage(line, first) != irc::ParseStatus::Ok) return;
  require(first.params.size() <= irc::kMaxParams, "more than 15 params");
  require(!first.command.empty(), "a message without a command");
  std::string written;
  irc::appendMessage(written, first);
  require(written.size() >= 2 && written.compare(written.size() - 2, 2, "\r\n") == 0,
          "a written message does not end in CR LF");
  const std::string_view body = std::string_view(written).substr(0, written.size() - 2);
  require(body.find_first_of(std::string_view("\0\r\n", 3)) == std::string_view::npos,
          "a written message holds NUL, CR or LF");
  irc::Message second;
  const irc::ParseStatus status = irc::parseMessage(body, second);
  // Writing may add the ':' that a 15th parameter's spaces need, one byte past the bound.
  if (status == irc::ParseStatus::TooLong) return;
  require(status == irc::ParseStatus::Ok, "a written message does not parse");
  require(second == first, "a written message parses to another message");
}

void checkSplit(std::string_view fixed, std::string_view text) {
  const std::vector<std::string_view> pieces = irc::splitText(fixed, text);
  require(!pieces.empty(), "no pieces");
  const bool room = fixed.size() + 2 + kMaxCharacterBytes <= irc::kMaxMessageBytes;
  const bool valid = fuzz::isStrictUtf8(text);
  std::string joined;
  for (const std::string_view piece : pieces) {
    require(pieces.size() == 1 || !piece.empty(), "an empty piece");
    require(!room || fixed.size() + piece.size() + 2 <= irc::kMaxMessageBytes,
            "a split line is longer than 512 bytes");
    require(!valid || fuzz::isStrictUtf8(piece), "a piece of valid UTF-8 is not valid UTF-8");
    joined += piece;
  }
  require(joined == text, "the pieces do not concatenate back to the text");
}

// The words of `text` packed into runs: every run of several words fits a line, holds no more
// than the cap, and the runs hold the words in order.
void checkPack(std::string_view fixed, std::string_view text) {
  std::vector<std::string> words;
  std::string expected;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t space = std::min(text.find(' ', at), text.size());
    if (space > at) {
      words.emplace_back(text.substr(at, space - at));
      expected += (expected.empty() ? "" : " ") + words.back();
    }
    at = space + 1;
  }
  const std::size_t cap = 1 + fixed.size() % kMaxWordsCap;
  std::string joined;
  for (const std::string& run : irc::packWords(fixed, words, cap)) {
    const std::size_t in_run =
        1 + static_cast<std::size_t>(std::count(run.begin(), run.end(), ' '));
    require(in_run <= cap, "a run holds more words than the cap");
    require(in_run == 1 || fixed.size() + run.size() + 2 <= irc::kMaxMessageBytes,
            "a run of several words is longer than a line");
    joined += (joined.empty() ? "" : " ") + run;
  }
  require(joined == expected, "the runs do not hold the words in order");
}

void checkText(std::string_view text) {
  std::string plain;
  irc::stripFormatting(text, plain);
  require(plain.size() <= text.size(), "stripping formatting added bytes");
  require(plain.find_first_of("\x02\x03\x04\x0F\x11\x16\x1D\x1E\x1F") == std::string::npos,
          "a formatting code survived");
  const std::string nick = irc::nickForName(text);
  if (fuzz::isStrictUtf8(text) && !text.empty() &&
      text.find_first_of("[]") == std::string_view::npos) {
    require(irc::nameForNick(nick).value_or(std::string(1, '\0')) == text,
            "a name does not map back from its nick");
  }
  if (nick.front() != '[') require(irc::isValidNick(nick), "an unbracketed nick is not valid");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t read_size = data[0] == 255 ? size : data[0] + 1u;
  const std::string fixed(static_cast<std::size_t>(data[1]) * 2, 'f');
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  const std::vector<Framed> in_reads = frameInReads(stream, read_size);
  require(in_reads == frameInReads(stream, stream.size() + 1),
          "framing depends on how the bytes were split");
  for (const Framed& framed : in_reads) {
    if (!framed.too_long) checkRoundTrip(framed.line);
  }
  checkSplit(fixed, stream);
  checkPack(fixed, stream);
  checkText(stream.substr(0, 256));
  return 0;
}
