// Server frames: FIN set, no mask, the shortest length encoding (RFC 6455 §5.2).
#include "server/websocket_frames.hpp"

namespace server {
namespace {

constexpr std::size_t kMax16BitLength = 0xFFFF;
// A control frame's payload is at most 125 bytes, so a close reason gets what the code leaves.
constexpr std::size_t kMaxCloseReason = kMax7BitLength - 2;

}  // namespace

void appendFrame(WebSocketOpcode opcode, std::string_view payload, std::string& out) {
  out += static_cast<char>(kFinBit | static_cast<std::uint8_t>(opcode));
  const std::uint64_t length = payload.size();
  if (length <= kMax7BitLength) {
    out += static_cast<char>(length);
  } else if (length <= kMax16BitLength) {
    out += static_cast<char>(kLength16);
    out += static_cast<char>(length >> 8);
    out += static_cast<char>(length & 0xFF);
  } else {
    out += static_cast<char>(kLength64);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((length >> shift) & 0xFF);
  }
  out.append(payload);
}

void appendCloseFrame(std::uint16_t code, std::string_view reason, std::string& out) {
  std::string payload;
  if (code != 0) {
    payload += static_cast<char>(code >> 8);
    payload += static_cast<char>(code & 0xFF);
    payload.append(reason.substr(0, kMaxCloseReason));
  }
  appendFrame(WebSocketOpcode::Close, payload, out);
}

}  // namespace server
