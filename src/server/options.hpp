// The command line of docs/netcat-chat.1, for both modes, parsed into settings or into the answer
// for a mistaken call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chat/chat.hpp"
#include "faces/irc/irc_face.hpp"
#include "net.hpp"
#include "server/address_rules.hpp"
#include "server/ip_address.hpp"
#include "server/web_origin.hpp"
#include "version.hpp"

namespace server {

inline constexpr std::uint16_t kDefaultPort = 8989;
inline constexpr std::string_view kUsageLine = "[USAGE]: ./netcat-chat $port";
inline const std::string kVersionLine = "netcat-chat " + std::string(kVersion);
// How long --connect tries to reach the server unless -w says otherwise.
inline constexpr std::int64_t kDefaultConnectTimeoutMs = 10 * 1000;
// Seconds of silence before the other end is probed (docs/PROTOCOL.md §8.3): given up within 2
// minutes, between IRC servers' ping timeouts and the shortest common NAT idle timeout (4 minutes).
inline constexpr int kDefaultKeepaliveSeconds = 60;
// A host name's longest label is 63 bytes (RFC 1035); IRC servers' names are kept to that.
inline constexpr std::size_t kMaxIrcNameBytes = 63;

struct Options {
  enum class Mode { Serve, Connect };
  Mode mode = Mode::Serve;
  std::uint16_t port = kDefaultPort;
  // Serving: the address to listen on (empty: all interfaces, dual-stack). Connecting: the local
  // address to connect from (empty: the system picks).
  std::string bind;
  net::Family family = net::Family::Any;       // -4 / -6
  int keepalive_s = kDefaultKeepaliveSeconds;  // both modes; 0: off
  std::string password_file;                   // both modes; empty: no password
  // Serving.
  std::string log_path;
  chat::Settings chat;
  std::uint16_t web_port = 0;                                // --web; 0: no web port
  std::vector<WebOrigin> web_origins;                        // --web-origin, each normalized
  std::uint16_t irc_port = 0;                                // --irc; 0: no IRC port
  std::size_t irc_history = faces::irc::kDefaultIrcHistory;  // --irc-history
  std::string irc_name;                                      // --irc-name; empty: the host's name
  // Who may connect (docs/ACCESS.md): --allow and --deny rules; the --allowfile and --denyfile
  // files are read at start-up, in the order given.
  AddressRules address_rules;
  std::vector<std::pair<AddressRules::List, std::string>> rule_files;
  // Proxies that speak for the real client (docs/ACCESS.md).
  std::vector<CidrRule> trusted_proxies;
  // Connecting: the server's host (without a port or IPv6 brackets) and how long to try.
  std::string connect_host;
  std::int64_t connect_timeout_ms = kDefaultConnectTimeoutMs;
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
