// SHA-1 as RFC 3174 §6.1 describes it, one 64-byte block at a time.
#include "server/sha1.hpp"

namespace server {
namespace {

constexpr std::size_t kBlockBytes = 64;
// The message length goes into the last 8 bytes of the last block.
constexpr std::size_t kLengthBytes = 8;

std::uint32_t rotl(std::uint32_t value, int bits) {
  return (value << bits) | (value >> (32 - bits));
}

}  // namespace

Sha1::Sha1() : state_{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u} {}

void Sha1::update(std::string_view data) {
  length_ += data.size();
  for (const char c : data) {
    buffer_[buffered_++] = static_cast<std::uint8_t>(c);
    if (buffered_ == kBlockBytes) {
      block(buffer_.data());
      buffered_ = 0;
    }
  }
}

Sha1Digest Sha1::finish() {
  const std::uint64_t bits = length_ * 8;
  buffer_[buffered_++] = 0x80;
  if (buffered_ > kBlockBytes - kLengthBytes) {
    while (buffered_ < kBlockBytes) buffer_[buffered_++] = 0;
    block(buffer_.data());
    buffered_ = 0;
  }
  while (buffered_ < kBlockBytes - kLengthBytes) buffer_[buffered_++] = 0;
  for (int i = 7; i >= 0; --i) buffer_[buffered_++] = static_cast<std::uint8_t>(bits >> (i * 8));
  block(buffer_.data());
  Sha1Digest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    digest[i] = static_cast<std::uint8_t>(state_[i / 4] >> (24 - 8 * (i % 4)));
  }
  return digest;
}

void Sha1::block(const std::uint8_t* data) {
  std::uint32_t w[80];
  for (int t = 0; t < 16; ++t) {
    w[t] = static_cast<std::uint32_t>(data[4 * t]) << 24 |
           static_cast<std::uint32_t>(data[4 * t + 1]) << 16 |
           static_cast<std::uint32_t>(data[4 * t + 2]) << 8 | data[4 * t + 3];
  }
  for (int t = 16; t < 80; ++t) w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
  std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3], e = state_[4];
  for (int t = 0; t < 80; ++t) {
    std::uint32_t f = 0;
    std::uint32_t k = 0;
    if (t < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999u;
    } else if (t < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1u;
    } else if (t < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDCu;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6u;
    }
    const std::uint32_t temp = rotl(a, 5) + f + e + w[t] + k;
    e = d;
    d = c;
    c = rotl(b, 30);
    b = a;
    a = temp;
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
  state_[4] += e;
}

Sha1Digest sha1(std::string_view data) {
  Sha1 hash;
  hash.update(data);
  return hash.finish();
}

}  // namespace server
