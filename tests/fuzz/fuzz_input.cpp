// libFuzzer target: raw client bytes through TelnetFilter, LineReader(4096) and sanitizeMessage.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the rest is what a client sends. Checks that the framing and the editing
// keys do not depend on how the bytes were split and match a plain model of docs/PROTOCOL.md §9;
// that the memory held for an unfinished line stays within the line bound; that an erase never
// leaves part of a UTF-8 sequence; and that every message body is strict UTF-8 free of control
// characters. The chat port's first bytes go through the HTTP request-line guess too: it must
// settle as the bytes grow (once "no" or "yes", always so), agree with the whole first line, and
// never take a first line that holds a control character, a non-ASCII byte or telnet's IAC for
// HTTP.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chat/http_line.hpp"
#include "chat/line_discipline.hpp"
#include "chat/line_reader.hpp"
#include "chat/telnet_filter.hpp"
#include "chat/text.hpp"
#include "fuzz/invariant.hpp"
#include "fuzz/utf8_check.hpp"

namespace {

constexpr std::size_t kMaxLine = 4096;
// The reader may hold a line's trailing "\r" beyond the limit until its "\n" arrives.
constexpr std::size_t kMaxBuffered = kMaxLine + 1;
// One invalid byte becomes U+FFFD, three bytes: the most a message body can grow.
constexpr std::size_t kMaxGrowth = 3;

struct Framed {
  bool too_long = false;
  std::string line;
  bool operator==(const Framed& other) const {
    return too_long == other.too_long && line == other.line;
  }
};

using fuzz::fail;
using fuzz::require;

void checkMessage(std::string_view line) {
  require(line.size() <= kMaxLine, "a framed line is longer than the limit");
  require(line.find('\n') == std::string_view::npos, "a framed line holds a newline");
  std::string body;
  chat::text::sanitizeMessage(line, body);
  require(fuzz::isStrictUtf8(body), "a sanitized message is not valid UTF-8");
  require(!fuzz::hasControl(body), "a sanitized message holds a control character");
  require(body.size() <= kMaxGrowth * line.size(), "a sanitized message grew beyond 3x");
  std::string again;
  chat::text::sanitizeMessage(body, again);
  require(again == body, "sanitizing a sanitized message changed it");
}

// The reader as the chat drives it, read by read; a line starting with '!' stops the reading,
// and the rest of that read is fed again, as the chat does after a replay.
std::vector<Framed> frameInReads(std::string_view stream, std::size_t read_size) {
  chat::TelnetFilter telnet;
  chat::LineReader reader(kMaxLine);
  std::vector<Framed> out;
  std::string scratch;
  const auto on_line = [&](std::string_view line) {
    checkMessage(line);
    out.push_back({false, std::string(line)});
    return line.empty() || line[0] != '!';
  };
  const auto on_too_long = [&] {
    out.push_back({true, {}});
    return true;
  };
  for (std::size_t at = 0; at < stream.size(); at += read_size) {
    std::string_view data = telnet.filter(stream.substr(at, read_size), scratch);
    const std::string copy(data);  // the callbacks must not see scratch change under them
    std::string_view rest = copy;
    while (!rest.empty()) {
      const std::size_t used = reader.feed(rest, on_line, on_too_long);
      require(used > 0 || rest.empty(), "the reader consumed nothing");
      require(used <= rest.size(), "the reader consumed more than it was given");
      rest.remove_prefix(used);
      require(reader.buffered() <= kMaxBuffered, "the reader holds more than the limit");
      require(reader.reserved() <= kMaxBuffered, "the reader reserved more than the limit");
    }
  }
  return out;
}

constexpr char kBackspace = '\b';
constexpr char kDelete = '\x7f';
constexpr char kKill = '\x15';
constexpr char kWordErase = '\x17';

std::string repaired(std::string_view s) {
  std::string out;
  chat::text::repairUtf8(s, out);
  return out;
}

// `valid` (valid UTF-8) without its last code point.
std::string_view withoutLastCodePoint(std::string_view valid) {
  while (!valid.empty() && (static_cast<unsigned char>(valid.back()) & 0xC0) == 0x80) {
    valid.remove_suffix(1);
  }
  if (!valid.empty()) valid.remove_suffix(1);
  return valid;
}

// BS as the person sees it: the fewest bytes whose removal takes exactly the last character off
// the line as it is shown (invalid bytes shown as U+FFFD). Only the tail after the last ASCII
// byte well before the end is compared: an ASCII byte is always a character of its own.
void eraseCharacter(std::string& line) {
  std::size_t from = 0;
  for (std::size_t i = line.size(); i > 0; --i) {
    if (line.size() - i >= 8 && static_cast<unsigned char>(line[i - 1]) < 0x80) {
      from = i;
      break;
    }
  }
  const std::string_view tail = std::string_view(line).substr(from);
  if (tail.empty()) return;
  const std::string shown = repaired(tail);
  const std::string_view wanted = withoutLastCodePoint(shown);
  for (std::size_t cut = 1; cut <= tail.size(); ++cut) {
    if (repaired(tail.substr(0, tail.size() - cut)) == wanted) {
      line.resize(line.size() - cut);
      return;
    }
  }
  fail("no cut of the line takes off its last character");
}

void eraseWord(std::string& line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
  while (!line.empty() && line.back() != ' ' && line.back() != '\t') line.pop_back();
}

// The model's edit, checked against the product's on the same line.
void edit(char key, std::string& line) {
  std::string product = line;
  chat::line_discipline::applyEdit(key, product);
  const bool was_valid = fuzz::isStrictUtf8(line);
  if (key == kKill) {
    line.clear();
  } else if (key == kWordErase) {
    eraseWord(line);
  } else {
    eraseCharacter(line);
  }
  require(product == line, "an editing key did not do what the model does");
  require(!was_valid || fuzz::isStrictUtf8(product), "an erase left part of a UTF-8 sequence");
}

// docs/PROTOCOL.md §9 stated plainly over the whole filtered stream at once, byte by byte.
std::vector<Framed> frameModel(std::string_view data) {
  std::vector<Framed> out;
  std::string line;
  bool discarding = false;
  bool after_cr = false;
  const auto end_line = [&] {
    if (!discarding) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > kMaxLine) {
        out.push_back({true, {}});
      } else {
        out.push_back({false, line});
      }
    }
    line.clear();
    discarding = false;
  };
  for (const char c : data) {
    if (c == '\n' || (c == '\0' && after_cr)) {
      end_line();
    } else if (discarding) {
      // the rest of a line too long goes, keys and all
    } else if (c == kBackspace || c == kDelete || c == kKill || c == kWordErase) {
      edit(c, line);
    } else {
      line.push_back(c);
      if (line.size() > kMaxBuffered) {
        out.push_back({true, {}});
        line.clear();
        discarding = true;
      }
    }
    after_cr = c == '\r';
  }
  return out;
}

}  // namespace

// The server guesses on at most this much (its HTTP head bound).
constexpr std::size_t kMaxGuessed = 8192;
// Each guess reads all the bytes so far, so guessing at every read of a long input would make the
// target quadratic and slow: the first reads, then all the bytes at once.
constexpr std::size_t kMaxGuessSteps = 64;

// The guess the server makes on a connection's first bytes (server_arrival.cpp), at the lengths
// the first reads cut them at until it settles, then once more on all of them.
void checkHttpGuess(std::string_view stream, std::size_t read_size) {
  stream = stream.substr(0, kMaxGuessed);
  chat::HttpGuess settled = chat::HttpGuess::Maybe;
  std::size_t steps = 0;
  for (std::size_t end = read_size; end - read_size < stream.size(); end += read_size) {
    if (settled != chat::HttpGuess::Maybe || ++steps > kMaxGuessSteps) end = stream.size();
    const std::string_view prefix = stream.substr(0, end);
    const chat::HttpGuess guess = chat::guessHttpRequest(prefix);
    require(settled == chat::HttpGuess::Maybe || guess == settled,
            "the HTTP guess changed its mind as bytes arrived");
    settled = guess;
    const std::size_t line_end = prefix.find('\n');
    if (line_end != std::string_view::npos) {
      const bool http = chat::isHttpRequestLine(prefix.substr(0, line_end));
      require(guess == (http ? chat::HttpGuess::Yes : chat::HttpGuess::No),
              "the HTTP guess disagrees with the whole first line");
    }
    if (guess == chat::HttpGuess::Yes) {
      for (const char c : prefix.substr(0, line_end)) {
        const auto byte = static_cast<unsigned char>(c);
        require(byte >= 0x20 && byte < 0x7F ? true : c == '\r',
                "a first line with a control or non-ASCII byte was taken for HTTP");
      }
    }
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t read_size = data[0] == 255 ? size : std::size_t{data[0]} + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  chat::TelnetFilter whole;
  std::string scratch;
  const std::string filtered(whole.filter(stream, scratch));
  require(filtered.size() <= stream.size(), "the telnet filter added bytes");

  const std::vector<Framed> in_reads = frameInReads(stream, read_size);
  require(in_reads == frameModel(filtered),
          "lines differ from the model (or depend on how the bytes were split)");
  checkHttpGuess(stream, read_size);
  return 0;
}
