// The --connect client (README.md, "Joining without nc"): connects, then runs the terminal line
// editor or, with stdin or stdout piped, passes bytes through as nc does.
#pragma once

#include <cstdint>
#include <string>

#include "net.hpp"

namespace client {

struct Options {
  std::string host;
  std::uint16_t port = 8989;
  net::ConnectOptions connect;  // -s, -4 / -6, -w
  int keepalive_s = 0;          // --keepalive; 0: off
  // From --password-file: answers the server's password prompt on every connection; empty: the
  // user types it (on a terminal) or the input's first line is the password (piped).
  std::string password;
};

inline constexpr int kExitDone = 0;    // the user left, or the server closed the connection
inline constexpr int kExitFailed = 1;  // no connection, or it broke

// "HOST:PORT", with an IPv6 address in brackets, as messages name the server.
std::string describeTarget(const std::string& host, std::uint16_t port);

// What the client says when the server stopped answering for `keepalive_s` (README.md, "Joining
// without nc"), e.g. "Connection to HOST:PORT lost: no answer for 120 s."; `why` is the system's
// reason, said instead when the probes were off.
std::string lostLine(const std::string& target, int keepalive_s, const std::string& why);

// Connects and chats until the user leaves or the connection ends; returns the exit status.
int run(const Options& options);

}  // namespace client
