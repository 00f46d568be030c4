// Recognising chat log lines; names cannot hold brackets, so the framing is unambiguous.
#include "chat/log_format.hpp"

#include <cstddef>

namespace chat::log_format {
namespace {

constexpr std::size_t kStampLength = 19;  // "YYYY-MM-DD HH:MM:SS"

bool isStamp(std::string_view s) {
  static constexpr std::string_view kShape = "dddd-dd-dd dd:dd:dd";
  if (s.size() != kShape.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    if (kShape[i] == 'd' ? !digit : s[i] != kShape[i]) return false;
  }
  return true;
}

}  // namespace

bool isMessage(std::string_view line) {
  if (line.size() < kStampLength + 4 || line[0] != '[') return false;
  if (!isStamp(line.substr(1, kStampLength))) return false;
  const std::string_view rest = line.substr(kStampLength + 1);
  if (rest.substr(0, 2) != "][") return false;
  const std::size_t close = rest.find(']', 2);
  if (close == std::string_view::npos || close == 2) return false;
  if (rest.substr(2, close - 2).find('[') != std::string_view::npos) return false;
  return close + 1 < rest.size() && rest[close + 1] == ':';
}

std::optional<std::string_view> markedRoom(std::string_view line) {
  if (line.substr(0, kRoomMarker.size()) != kRoomMarker || line.size() == kRoomMarker.size()) {
    return std::nullopt;
  }
  return line.substr(kRoomMarker.size());
}

}  // namespace chat::log_format
