// IRC lines out: tags, source, command and parameters as bytes; long texts cut to fit; @time
// stamps.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "faces/irc/irc_message.hpp"

namespace faces::irc {

struct TagView {
  std::string_view key;
  std::string_view value;  // written escaped; empty: the key alone
};

// Appends one line: `@tags :source COMMAND middle... :trailing\r\n`. Tags and source are left
// out when empty; `trailing` is always written with its ':' (some clients look for it), middles
// never (they must be non-empty, without spaces, and not start with ':'). Bytes that would end
// or break the line (NUL, CR, LF) are left out of every part but tag values, which are escaped.
void appendLine(std::string& out, std::initializer_list<TagView> tags, std::string_view source,
                std::string_view command, std::initializer_list<std::string_view> middles,
                std::optional<std::string_view> trailing = std::nullopt);
void appendLine(std::string& out, std::string_view source, std::string_view command,
                std::initializer_list<std::string_view> middles,
                std::optional<std::string_view> trailing = std::nullopt);

// Appends a parsed message as a line that parses back to it: the last parameter gets its ':'
// only when it needs one (empty, a space in it, or a leading ':').
void appendMessage(std::string& out, const Message& message);

// IRCv3 tag value escaping: ';' "\:", space "\s", '\' "\\", CR "\r", LF "\n".
void appendEscapedTagValue(std::string& out, std::string_view value);

// Cuts `text` into pieces such that `fixed` + piece + CR LF fits kMaxMessageBytes, where `fixed`
// is everything before the text on the wire but the tags (`:nick!user@host PRIVMSG #chan :`).
// Never cuts inside a UTF-8 character; cuts after a space when one lies in the last
// kSplitLookBack bytes of a piece. The pieces concatenate back to `text`; there is always at
// least one, and each holds at least one character even when `fixed` leaves no room.
std::vector<std::string_view> splitText(std::string_view fixed, std::string_view text);
// How far back from a full piece's end a space is looked for: farther would make lines short.
inline constexpr std::size_t kSplitLookBack = 40;

// Groups `words` (in order) into space-separated runs such that `fixed` + run + CR LF fits
// kMaxMessageBytes and no run holds more than `max_words`: the 353 names list, or the 005 tokens
// (at most kMaxISupportTokens a line). A word too long for any line gets a run of its own.
std::vector<std::string> packWords(std::string_view fixed, const std::vector<std::string>& words,
                                   std::size_t max_words = SIZE_MAX);
// The RPL_ISUPPORT draft (brocklesby-irc-isupport): at most 13 tokens in one 005 line.
inline constexpr std::size_t kMaxISupportTokens = 13;

// "2026-01-20T15:48:41.000Z", the IRCv3 server-time format, from UTC seconds since 1970 and the
// milliseconds past them (0..999; anything else is clamped).
std::string formatServerTime(std::int64_t unix_seconds, int milliseconds = 0);

}  // namespace faces::irc
