// A strict UTF-8 validator for the fuzz targets, written apart from chat/text.cpp on purpose.
#pragma once

#include <cstddef>
#include <string_view>

namespace fuzz {

// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past
// U+10FFFF). Table-driven rather than a copy of the decoder under test, so a shared mistake
// cannot hide itself.
inline bool isStrictUtf8(std::string_view s) {
  std::size_t i = 0;
  const auto at = [&](std::size_t k) {
    return static_cast<unsigned>(static_cast<unsigned char>(s[k]));
  };
  while (i < s.size()) {
    const unsigned b0 = at(i);
    if (b0 <= 0x7F) {
      ++i;
      continue;
    }
    unsigned need = 0, lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
    } else if (b0 == 0xE0) {
      need = 2, lo = 0xA0;
    } else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) {
      need = 2;
    } else if (b0 == 0xED) {
      need = 2, hi = 0x9F;
    } else if (b0 == 0xF0) {
      need = 3, lo = 0x90;
    } else if (b0 >= 0xF1 && b0 <= 0xF3) {
      need = 3;
    } else if (b0 == 0xF4) {
      need = 3, hi = 0x8F;
    } else {
      return false;
    }
    if (i + need >= s.size()) return false;  // truncated sequence
    if (at(i + 1) < lo || at(i + 1) > hi) return false;
    for (unsigned k = 2; k <= need; ++k) {
      if (at(i + k) < 0x80 || at(i + k) > 0xBF) return false;
    }
    i += need + 1;
  }
  return true;
}

// True when `s` (valid UTF-8) holds a C0 control, DEL or a C1 control (U+0080..U+009F, which
// UTF-8 writes as C2 80..C2 9F). `allowed` is one C0 byte that may appear (0 for none).
inline bool hasControl(std::string_view s, char allowed = 0) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x20 && (allowed == 0 || s[i] != allowed)) return true;
    if (b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

}  // namespace fuzz
