// The chat log's line formats, shared by the writer (the chat) and the reader (start-up reload).
#pragma once

#include <optional>
#include <string_view>

namespace chat::log_format {

// Records after this line belong to the named room, until the next such line. A log that never
// names a room is all in the default room, as a classic single-room log is.
inline constexpr std::string_view kRoomMarker = "-- room ";

// A chat message exactly as clients saw it: "[YYYY-MM-DD HH:MM:SS][name]:text".
bool isMessage(std::string_view line);

// The room a marker line names, if `line` is one.
std::optional<std::string_view> markedRoom(std::string_view line);

}  // namespace chat::log_format
