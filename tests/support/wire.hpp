// What a client sees on the wire, copied from docs/PROTOCOL.md §16, plus helpers to compare it byte
// for byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace e2e {

// The placeholder that stands for one `YYYY-MM-DD HH:MM:SS` timestamp in expected text.
inline constexpr std::string_view kTs = "<ts>";
inline constexpr std::size_t kTimestampLength = 19;

extern const std::string kBanner;  // banner, logo and name prompt, byte for byte
inline constexpr std::string_view kNamePrompt = "[ENTER YOUR NAME]: ";
inline constexpr std::string_view kChatFull = "Chat is full. Try again later.\n";
inline constexpr std::string_view kNameTimedOut = "\nTimed out waiting for a name.\n";
inline constexpr std::string_view kShuttingDown = "\nServer is shutting down.\n";
inline constexpr std::string_view kTooLong = "Message too long (max 4096 bytes); not sent.\n";
inline constexpr std::string_view kUsage = "[USAGE]: ./netcat-chat $port";
inline constexpr std::string_view kNameEmpty = "Name cannot be empty.\n";
inline constexpr std::string_view kNameTooLong = "Name is too long (max 32 characters).\n";
inline constexpr std::string_view kNameBadChars =
    "Name cannot contain brackets or control characters.\n";
inline constexpr std::string_view kNameTaken = "Name is already taken.\n";
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
inline constexpr std::size_t kMaxLineBytes = 4096;

// `[<ts>][name]:`, the prompt of a named client.
std::string prompt(std::string_view me);
// What `me` receives when `from` says `text`: the message and `me`'s fresh prompt.
std::string messageTo(std::string_view me, std::string_view from, std::string_view text);
std::string joinNoticeTo(std::string_view me, std::string_view who);
std::string leaveNoticeTo(std::string_view me, std::string_view who);
// One replayed history line, `[<ts>][from]:text\n`.
std::string historyLine(std::string_view from, std::string_view text);

// Length on the wire of expected text in which every kTs stands for a real timestamp.
std::size_t wireLength(std::string_view pattern);
// Replaces every real timestamp in `bytes` by kTs, so the rest can be compared exactly.
std::string maskTimestamps(std::string_view bytes);
// The real timestamps found in `bytes`, in order.
std::vector<std::string> timestampsIn(std::string_view bytes);
// Printable form for failure messages: \n, \r, \t and non-ASCII bytes escaped.
std::string shown(std::string_view bytes);
bool isValidUtf8(std::string_view bytes);
// Console output of a Windows build run under wine ends its lines with CRLF.
std::string withUnixNewlines(std::string_view text);
std::vector<std::string> splitLines(std::string_view text);

}  // namespace e2e
