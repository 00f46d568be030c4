// UTF-8 for the client's screen: decoding one code point at a time and its width in columns.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace client::utf8 {

inline constexpr char32_t kReplacement = 0xFFFD;

struct Decoded {
  char32_t code_point = kReplacement;
  std::size_t length = 1;   // bytes taken from the input (at least 1 when not incomplete)
  bool valid = false;       // false: the bytes taken stand for one U+FFFD
  bool incomplete = false;  // the input ends inside a sequence that may still be completed
};

// Decodes the code point at the start of `bytes` (not empty). Overlong forms, surrogates and
// values past U+10FFFF are invalid; each maximal broken prefix counts as one U+FFFD.
Decoded decode(std::string_view bytes);

void append(char32_t code_point, std::string& out);

// Columns a terminal gives the code point: 2 for East Asian wide and fullwidth characters and
// emoji, 0 for combining marks and other zero-width characters, 1 otherwise. Control
// characters are never shown, so their width does not matter here (0).
int width(char32_t code_point);

// Columns of valid UTF-8 text.
int width(std::string_view text);

}  // namespace client::utf8
