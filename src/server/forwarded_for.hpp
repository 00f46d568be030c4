// The client behind trusted web proxies, from X-Forwarded-For (SPEC §9).
#pragma once

#include <string_view>
#include <vector>

#include "server/ip_address.hpp"

namespace server {

enum class ForwardedFor {
  Client,     // `client` is set
  Malformed,  // an entry that is not an address: the request gets a 400
};

// `header` is every X-Forwarded-For field of the request joined with ",", in order. The entries
// are read from the right, each proxy appending the address it heard from: the first that is
// not a trusted proxy is the client (when all are, the left-most). An entry is an address, with
// or without a port ("203.0.113.9", "203.0.113.9:5000", "2001:db8::1", "[2001:db8::1]:5000"),
// surrounded by optional spaces; anything else among the entries read is Malformed. Entries
// left of the client are its own claims and are not read.
ForwardedFor clientFromForwardedFor(std::string_view header, const std::vector<CidrRule>& trusted,
                                    IpAddress& client);

bool isTrusted(const std::vector<CidrRule>& trusted, const IpAddress& address);

}  // namespace server
