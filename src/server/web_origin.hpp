// A web origin (RFC 6454) as browsers send it in `Origin` and as --web-origin names one: scheme,
// host and port, normalized so that two spellings of one origin compare equal.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace server {

struct WebOrigin {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 literal keeps its brackets
  int port = 0;        // always set: a default port is filled in

  bool operator==(const WebOrigin& other) const {
    return scheme == other.scheme && host == other.host && port == other.port;
  }
};

// "scheme://host[:port]" with scheme http or https and host a name, an IPv4 literal or a
// bracketed IPv6 literal; nothing else (no path, no user, no trailing slash). Case is folded and
// a missing port becomes the scheme's default (80, 443).
std::optional<WebOrigin> parseWebOrigin(std::string_view text);

// Whether the Origin header's value `origin` is one of `allowed`.
bool originListed(std::string_view origin, const std::vector<WebOrigin>& allowed);

}  // namespace server
