// libFuzzer target: bytes from a WebSocket client through the frame reader, and bytes from the
// chat through the link's outgoing frames.
//
// Input layout: the first byte picks how the rest is cut into reads (byte + 1 bytes per read;
// 255 means one read), the rest is both what a client sends and, separately, what the chat has
// queued for it. Checks that every completed message is valid UTF-8, that an unfinished message
// never holds more than 64 KiB, that the outcome does not depend on how the bytes were split,
// that every reply is an unmasked control frame, and that every outgoing frame is a whole text
// message of valid UTF-8 while the chat is told of exactly the bytes it queued.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/utf8_check.hpp"
#include "server/websocket_link.hpp"
#include "server/websocket_reader.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void require(bool ok, const char* what) {
  if (!ok) fail(what);
}

struct Frame {
  std::uint8_t first = 0;
  bool masked = false;
  std::string payload;
};

// Takes one server frame off the front of `bytes`; false when none is whole.
bool takeFrame(std::string_view& bytes, Frame& frame) {
  if (bytes.size() < 2) return false;
  const auto b1 = static_cast<std::uint8_t>(bytes[1]);
  std::uint64_t n = b1 & 0x7F;
  std::size_t at = 2;
  const std::size_t extra = n == 126 ? 2 : (n == 127 ? 8 : 0);
  if (bytes.size() < at + extra) return false;
  if (extra > 0) {
    n = 0;
    for (std::size_t i = 0; i < extra; ++i) n = n << 8 | static_cast<std::uint8_t>(bytes[at + i]);
    at += extra;
  }
  frame.masked = (b1 & 0x80) != 0;
  if (frame.masked) at += 4;
  if (bytes.size() < at + n) return false;
  frame.first = static_cast<std::uint8_t>(bytes[0]);
  frame.payload = std::string(bytes.substr(at, static_cast<std::size_t>(n)));
  bytes.remove_prefix(at + static_cast<std::size_t>(n));
  return true;
}

struct Outcome {
  server::WebSocketReader::State state = server::WebSocketReader::State::Open;
  std::uint16_t code = 0;
  std::string messages;
  std::string replies;
};

Outcome readFrames(std::string_view bytes, std::size_t read_size) {
  server::WebSocketReader reader;
  Outcome outcome;
  for (std::size_t at = 0; at < bytes.size(); at += read_size) {
    std::string messages;
    outcome.state = reader.read(bytes.substr(at, read_size), messages, outcome.replies);
    // Messages come out whole, so what one read gives is valid on its own.
    require(fuzz::isStrictUtf8(messages), "a completed message is not valid UTF-8");
    require(reader.held() <= server::kMaxWebSocketMessage, "an unfinished message outgrew 64 KiB");
    outcome.messages += messages;
  }
  outcome.code = reader.failCode();
  std::string_view replies = outcome.replies;
  Frame frame;
  while (takeFrame(replies, frame)) {
    require(!frame.masked, "a server frame is masked");
    require((frame.first & 0x80) != 0 && (frame.first & 0x08) != 0,
            "a reply is not a whole control frame");
  }
  require(replies.empty(), "the replies hold a broken frame");
  return outcome;
}

// The chat has `queued` for the client; the socket takes `read_size` bytes at a time.
void sendAll(std::string_view queued, std::size_t read_size) {
  server::WebSocketLink link;
  std::string pending(queued);
  std::string wire;
  for (int turns = 0; link.wantsToWrite(pending); ++turns) {
    require(turns < 1000000, "the output never finishes");
    const std::string_view out = link.output(pending);
    require(!out.empty(), "wants to write but has nothing");
    const std::size_t taken = out.size() < read_size ? out.size() : read_size;
    wire.append(out.substr(0, taken));
    const std::size_t delivered = link.took(taken);
    require(delivered <= pending.size(), "more delivered than queued");
    pending.erase(0, delivered);
  }
  require(pending.size() < 4, "more than an unfinished character left behind");
  std::string_view rest = wire;
  Frame frame;
  while (takeFrame(rest, frame)) {
    require(!frame.masked && frame.first == 0x81, "an outgoing frame is not a whole text frame");
    require(fuzz::isStrictUtf8(frame.payload), "an outgoing text frame is not valid UTF-8");
  }
  require(rest.empty(), "the output holds a broken frame");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t read_size = data[0] == 255 ? size : static_cast<std::size_t>(data[0]) + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome split = readFrames(bytes, read_size);
  const Outcome whole = readFrames(bytes, bytes.size() + 1);
  require(split.state == whole.state && split.code == whole.code &&
              split.messages == whole.messages && split.replies == whole.replies,
          "the outcome depends on how the bytes were split");
  sendAll(bytes, read_size);
  return 0;
}
