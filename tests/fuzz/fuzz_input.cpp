// libFuzzer target: raw client bytes through TelnetFilter, LineReader(4096) and sanitizeMessage.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the rest is what a client sends. Checks that the framing does not depend
// on how the bytes were split, matches a plain model of SPEC §3, and that every message body is
// strict UTF-8 free of control characters.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "chat/line_reader.hpp"
#include "chat/telnet_filter.hpp"
#include "chat/text.hpp"
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

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void require(bool ok, const char* what) {
  if (!ok) fail(what);
}

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
    }
  }
  return out;
}

// SPEC §3 stated plainly over the whole filtered stream at once.
std::vector<Framed> frameModel(std::string_view data) {
  std::vector<Framed> out;
  std::size_t start = 0;
  for (std::size_t nl = data.find('\n'); nl != std::string_view::npos;
       start = nl + 1, nl = data.find('\n', start)) {
    std::string_view line = data.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLine) {
      out.push_back({true, {}});
    } else {
      out.push_back({false, std::string(line)});
    }
  }
  if (data.size() - start > kMaxBuffered) out.push_back({true, {}});
  return out;
}

}  // namespace

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
  return 0;
}
