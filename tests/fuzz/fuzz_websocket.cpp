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
#include <string>
#include <string_view>
#include <utility>

#include "fuzz/invariant.hpp"
#include "fuzz/utf8_check.hpp"
#include "server/websocket_link.hpp"
#include "server/websocket_reader.hpp"
#include "support/websocket_bytes.hpp"

namespace {

using fuzz::require;

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
  std::string replies = outcome.replies;
  test::ServerFrame frame;
  while (test::takeServerFrame(replies, frame)) {
    require(!frame.masked, "a server frame is masked");
    require(frame.fin && (frame.opcode & 0x08) != 0, "a reply is not a whole control frame");
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
  std::string rest = std::move(wire);
  test::ServerFrame frame;
  while (test::takeServerFrame(rest, frame)) {
    require(!frame.masked && frame.fin && frame.reserved == 0 && frame.opcode == test::kOpText,
            "an outgoing frame is not a whole text frame");
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
