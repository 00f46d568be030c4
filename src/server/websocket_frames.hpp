// RFC 6455 frames as the server writes them: never masked, lengths in 7, 16 or 64 bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace server {

enum class WebSocketOpcode : std::uint8_t {
  Continuation = 0x0,
  Text = 0x1,
  Binary = 0x2,
  Close = 0x8,
  Ping = 0x9,
  Pong = 0xA,
};

// Close codes of RFC 6455 §7.4.1 that the server sends.
namespace close_code {
inline constexpr std::uint16_t kNormal = 1000;
inline constexpr std::uint16_t kGoingAway = 1001;
inline constexpr std::uint16_t kProtocolError = 1002;
inline constexpr std::uint16_t kUnacceptableData = 1003;
inline constexpr std::uint16_t kInvalidText = 1007;
inline constexpr std::uint16_t kPolicyViolation = 1008;
inline constexpr std::uint16_t kTooBig = 1009;
inline constexpr std::uint16_t kTryAgainLater = 1013;
}  // namespace close_code

// The frame header's fields that both directions read or write (RFC 6455 §5.2).
inline constexpr std::uint8_t kFinBit = 0x80;
// The 7-bit length field holds lengths up to this; a control frame's payload is never longer.
inline constexpr std::size_t kMax7BitLength = 125;
// 7-bit length values that say a 16-bit or a 64-bit length follows.
inline constexpr std::uint8_t kLength16 = 126;
inline constexpr std::uint8_t kLength64 = 127;

// A frame header's largest size: 2 bytes, 8 of extended length (a server frame has no mask).
inline constexpr std::size_t kMaxServerHeaderBytes = 10;

// Appends one whole (FIN) frame.
void appendFrame(WebSocketOpcode opcode, std::string_view payload, std::string& out);
// Appends a close frame with `code` (none when 0) and a short reason.
void appendCloseFrame(std::uint16_t code, std::string_view reason, std::string& out);

}  // namespace server
