// Recognises the protocol's prompts and message lines by their bracketed groups.
#include "client/prompt_text.hpp"

namespace client {
namespace {

// Where the bracketed group `[...]` starting at `at` ends (just past its `]`), or npos.
std::size_t groupEnd(std::string_view line, std::size_t at) {
  if (at >= line.size() || line[at] != '[') return std::string_view::npos;
  const std::size_t close = line.find(']', at);
  if (close == std::string_view::npos || line.find('[', at + 1) < close) {
    return std::string_view::npos;
  }
  return close + 1;
}

}  // namespace

std::size_t promptEnd(std::string_view line, std::size_t at) {
  std::size_t end = groupEnd(line, at);
  if (end == std::string_view::npos) return end;
  const bool two_groups = end < line.size() && line[end] == '[';
  if (two_groups && (end = groupEnd(line, end)) == std::string_view::npos) return end;
  if (end >= line.size() || line[end] != ':') return std::string_view::npos;
  ++end;
  if (!two_groups && end < line.size() && line[end] == ' ') ++end;
  return end;
}

std::size_t lastPromptStart(std::string_view line) {
  std::size_t at = 0;
  std::size_t last = std::string_view::npos;
  while (at < line.size()) {
    const std::size_t end = promptEnd(line, at);
    if (end == std::string_view::npos) return end;
    last = at;
    at = end;
  }
  return last;
}

std::string_view chatPromptName(std::string_view line) {
  const std::size_t start = lastPromptStart(line);
  if (start == std::string_view::npos) return {};
  const std::size_t stamp_end = groupEnd(line, start);
  const std::size_t name_end = groupEnd(line, stamp_end);
  if (name_end == std::string_view::npos) return {};
  return line.substr(stamp_end + 1, name_end - stamp_end - 2);
}

bool isMessageLine(std::string_view line) {
  const std::size_t stamp_end = groupEnd(line, 0);
  if (stamp_end == std::string_view::npos) return false;
  const std::size_t name_end = groupEnd(line, stamp_end);
  return name_end != std::string_view::npos && name_end + 1 < line.size() && line[name_end] == ':';
}

}  // namespace client
