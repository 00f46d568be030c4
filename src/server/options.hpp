// The command line of SPEC §1, parsed into settings or into the answer for a mistaken call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chat/chat.hpp"
#include "version.hpp"

namespace server {

inline constexpr std::uint16_t kDefaultPort = 8989;
inline constexpr std::string_view kUsageLine = "[USAGE]: ./netcat-chat $port";
inline const std::string kVersionLine = "netcat-chat " + std::string(kVersion);

struct Options {
  std::uint16_t port = kDefaultPort;
  std::string bind;  // empty: all interfaces, dual-stack
  std::string log_path;
  chat::Settings chat;
};

struct ParsedCommandLine {
  enum class Action { Run, Help, Version, Usage };
  Action action = Action::Run;
  Options options;
  std::string problem;  // with Usage: what was wrong, one line
};

// `max_clients_limit` is how many connections this platform's select() can serve.
ParsedCommandLine parseCommandLine(const std::vector<std::string>& args,
                                   std::size_t max_clients_limit);

std::string helpText(std::size_t max_clients_limit);

}  // namespace server
