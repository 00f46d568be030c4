// Client-side WebSocket bytes for tests: masked frames as a browser sends them, written here
// from RFC 6455 §5.2 rather than with the server's own code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace test {

inline constexpr std::uint8_t kOpContinuation = 0x0;
inline constexpr std::uint8_t kOpText = 0x1;
inline constexpr std::uint8_t kOpBinary = 0x2;
inline constexpr std::uint8_t kOpClose = 0x8;
inline constexpr std::uint8_t kOpPing = 0x9;
inline constexpr std::uint8_t kOpPong = 0xA;

struct FrameOptions {
  bool fin = true;
  bool masked = true;
  std::uint8_t reserved = 0;  // RSV1-3 as the top bits of the nibble: 0x4, 0x2, 0x1
  // Force a longer length form than needed: 0 picks the shortest, 16 or 64 forces that one.
  int length_bits = 0;
};

// One client frame. The mask is fixed but not zero, so an unmasked read would show garbage.
inline std::string clientFrame(std::uint8_t opcode, std::string_view payload,
                               FrameOptions options = {}) {
  static constexpr std::uint8_t kMask[4] = {0x37, 0xFA, 0x21, 0x3D};
  std::string out;
  out += static_cast<char>((options.fin ? 0x80 : 0) | (options.reserved << 4) | opcode);
  const std::uint8_t mask_bit = options.masked ? 0x80 : 0;
  const std::uint64_t n = payload.size();
  int bits = options.length_bits;
  if (bits == 0) bits = n <= 125 ? 7 : (n <= 0xFFFF ? 16 : 64);
  if (bits == 7) {
    out += static_cast<char>(mask_bit | n);
  } else if (bits == 16) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>((n >> 8) & 0xFF);
    out += static_cast<char>(n & 0xFF);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>((n >> shift) & 0xFF);
  }
  if (options.masked) {
    out.append(reinterpret_cast<const char*>(kMask), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
      out += static_cast<char>(static_cast<std::uint8_t>(payload[i]) ^ kMask[i % 4]);
    }
  } else {
    out.append(payload);
  }
  return out;
}

inline std::string closePayload(std::uint16_t code, std::string_view reason = {}) {
  std::string out;
  out += static_cast<char>(code >> 8);
  out += static_cast<char>(code & 0xFF);
  out.append(reason);
  return out;
}

// A frame the server sent, as read back from its bytes.
struct ServerFrame {
  bool fin = false;
  bool masked = false;
  std::uint8_t reserved = 0;
  std::uint8_t opcode = 0;
  std::string payload;
  std::uint16_t closeCode() const {
    return payload.size() < 2
               ? 0
               : static_cast<std::uint16_t>(static_cast<std::uint8_t>(payload[0]) << 8 |
                                            static_cast<std::uint8_t>(payload[1]));
  }
};

// Takes one whole frame off the front of `bytes`; false when `bytes` holds no whole frame yet.
inline bool takeServerFrame(std::string& bytes, ServerFrame& frame) {
  if (bytes.size() < 2) return false;
  const auto b0 = static_cast<std::uint8_t>(bytes[0]);
  const auto b1 = static_cast<std::uint8_t>(bytes[1]);
  std::size_t at = 2;
  std::uint64_t n = b1 & 0x7F;
  const std::size_t extra = n == 126 ? 2 : (n == 127 ? 8 : 0);
  if (bytes.size() < at + extra) return false;
  if (extra > 0) {
    n = 0;
    for (std::size_t i = 0; i < extra; ++i) n = n << 8 | static_cast<std::uint8_t>(bytes[at + i]);
    at += extra;
  }
  const bool masked = (b1 & 0x80) != 0;
  if (masked) at += 4;
  if (bytes.size() < at + n) return false;
  frame.fin = (b0 & 0x80) != 0;
  frame.reserved = (b0 >> 4) & 0x7;
  frame.opcode = b0 & 0x0F;
  frame.masked = masked;
  frame.payload = bytes.substr(at, static_cast<std::size_t>(n));
  bytes.erase(0, at + static_cast<std::size_t>(n));
  return true;
}

}  // namespace test
