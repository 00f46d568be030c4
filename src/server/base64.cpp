// Base64 with the standard alphabet and '=' padding; decoding accepts only the canonical form.
#include "server/base64.hpp"

#include <cstdint>

namespace server {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int kNotBase64 = -1;

int valueOf(char c) {
  const std::size_t at = kAlphabet.find(c);
  return at == std::string_view::npos ? kNotBase64 : static_cast<int>(at);
}

}  // namespace

std::string base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j) {
      group <<= 8;
      if (j < n) group |= static_cast<std::uint8_t>(bytes[i + j]);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 0x3F] : '=';
    }
  }
  return out;
}

std::optional<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::uint32_t group = 0;
    std::size_t pads = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      int value = 0;
      if (c == '=' && last && j >= 2) {
        ++pads;
      } else if (pads > 0 || (value = valueOf(c)) == kNotBase64) {
        return std::nullopt;
      }
      group = group << 6 | static_cast<std::uint32_t>(value);
    }
    // Canonical: the bits the padding leaves over are zero (RFC 4648 §3.5).
    if ((pads == 1 && (group & 0xFF) != 0) || (pads == 2 && (group & 0xFFFF) != 0)) {
      return std::nullopt;
    }
    for (std::size_t j = 0; j < 3 - pads; ++j) {
      out += static_cast<char>((group >> (16 - 8 * j)) & 0xFF);
    }
  }
  return out;
}

}  // namespace server
