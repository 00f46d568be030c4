// Base64 (RFC 4648 §4), for the WebSocket handshake's key and answer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace server {

std::string base64Encode(std::string_view bytes);
// The bytes `text` encodes, or nothing when it is not canonical padded base64.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace server
