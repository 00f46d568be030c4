// The keys a terminal's line discipline applies to the line being typed, for clients that send
// every key as it is typed (docs/PROTOCOL.md §9.3): erase a character, a word or the line, and CR
// NUL.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace chat::line_discipline {

inline constexpr char kLineFeed = '\n';
inline constexpr char kCarriageReturn = '\r';
// RFC 854: CR NUL is a carriage return alone; telnet sends it for Enter in character mode.
inline constexpr char kNul = '\0';
inline constexpr char kBackspace = '\b';    // Windows telnet's Backspace
inline constexpr char kDelete = '\x7f';     // Backspace in most Unix terminals
inline constexpr char kKill = '\x15';       // Ctrl-U: erase the line so far
inline constexpr char kWordErase = '\x17';  // Ctrl-W: erase the word before the cursor

// Where the first byte of `s` that is not plain text lies: a line feed, a NUL (which ends the
// line after a CR) or an editing key; npos when there is none. Scans a block at a time, so text
// without control bytes, the common case, costs little more than a memchr for the line feed.
std::size_t findStop(std::string_view s);

// True for BS, DEL, Ctrl-U and Ctrl-W.
bool isEditKey(char c);

// Applies the editing key `key` to `line`, the line typed so far:
// - BS and DEL erase its last character: a whole UTF-8 sequence, or the bytes that show as its
//   last U+FFFD, so a line of valid UTF-8 stays valid; nothing when `line` is empty;
// - Ctrl-U erases all of it;
// - Ctrl-W erases the spaces and tabs at its end, then the word before them (as stty werase).
void applyEdit(char key, std::string& line);

}  // namespace chat::line_discipline
