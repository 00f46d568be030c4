// The IP address of a peer as the server names it, for counting connections per address.
#pragma once

#include <string>
#include <string_view>

namespace chat {

// "1.2.3.4:5678" -> "1.2.3.4", "[::1]:5678" -> "::1". An IPv4-mapped IPv6 address counts as the
// IPv4 address it carries ("[::ffff:1.2.3.4]:80" -> "1.2.3.4"), and IPv6 text is compared in
// lower case, so one computer has one key however its address was written. A word before the
// address names the way the client came in and is left out: "web [::1]:5678" -> "::1".
std::string peerAddress(std::string_view peer);

}  // namespace chat
