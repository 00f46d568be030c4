// Text rules for names and messages: UTF-8 repair, control-character removal, trimming, validation.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat::text {

// What decodeUtf8 returns for an ill-formed sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;
// The code point at `pos` of `s` (pos < s.size()), advancing `pos` past it. An ill-formed sequence
// yields kInvalidCodePoint and consumes its maximal valid prefix (at least one byte), as Unicode
// recommends, so each broken sequence stands for exactly one U+FFFD.
char32_t decodeUtf8(std::string_view s, std::size_t& pos);
// Appends the UTF-8 bytes of `cp` (at most U+10FFFF) to `out`.
void appendUtf8(char32_t cp, std::string& out);

// Appends `in` to `out` with every invalid UTF-8 sequence replaced by U+FFFD.
void repairUtf8(std::string_view in, std::string& out);

// Appends `in` to `out` as a message body: invalid UTF-8 becomes U+FFFD, tabs become spaces and
// every other control character (C0, DEL, C1) is dropped, so no client can drive another's
// terminal.
void sanitizeMessage(std::string_view in, std::string& out);

// Removes surrounding spaces and tabs.
std::string_view trimBlanks(std::string_view s);

// True when `s` is empty or holds nothing but spaces.
bool isBlank(std::string_view s);

// Bytes of the last character of `s` as repairUtf8 shows it: a whole valid sequence, or the
// bytes that become its last U+FFFD (0 when `s` is empty). Cutting them off leaves every earlier
// character as it was, so valid UTF-8 stays valid.
std::size_t lastCharacterBytes(std::string_view s);

// Number of code points of valid UTF-8.
std::size_t codePoints(std::string_view utf8);

// True for `[`, `]`, C0, DEL or C1 anywhere in valid UTF-8.
bool hasBracketOrControl(std::string_view utf8);

std::string asciiLower(std::string_view s);
bool equalsIgnoringAsciiCase(std::string_view a, std::string_view b);

enum class NameVerdict { Ok, Empty, TooLong, BadCharacters };

// Applies the naming rules shared by people and rooms to a trimmed, UTF-8-repaired name.
NameVerdict judgeName(std::string_view name, std::size_t max_code_points);

}  // namespace chat::text
