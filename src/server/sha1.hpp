// SHA-1 (RFC 3174), needed only for the WebSocket handshake's Sec-WebSocket-Accept (RFC 6455).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace server {

using Sha1Digest = std::array<std::uint8_t, 20>;

// Hashes data given in any number of pieces.
class Sha1 {
 public:
  Sha1();
  void update(std::string_view data);
  Sha1Digest finish();

 private:
  void block(const std::uint8_t* data);

  std::array<std::uint32_t, 5> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t length_ = 0;  // bytes hashed so far
};

Sha1Digest sha1(std::string_view data);

}  // namespace server
