// X-Forwarded-For, read from its right end, where the entries the trusted proxies added are.
#include "server/forwarded_for.hpp"

namespace server {
namespace {

std::string_view trimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<IpAddress> parseEntry(std::string_view entry) {
  entry = trimSpaces(entry);
  if (entry.empty() || entry.find_first_of(" \t") != std::string_view::npos) return std::nullopt;
  return peerIpAddress(entry);
}

}  // namespace

bool isTrusted(const std::vector<CidrRule>& trusted, const IpAddress& address) {
  for (const CidrRule& rule : trusted) {
    if (matches(rule, address)) return true;
  }
  return false;
}

ForwardedFor clientFromForwardedFor(std::string_view header, const std::vector<CidrRule>& trusted,
                                    IpAddress& client) {
  while (true) {
    const std::size_t comma = header.rfind(',');
    const std::string_view entry =
        comma == std::string_view::npos ? header : header.substr(comma + 1);
    const auto address = parseEntry(entry);
    if (!address) return ForwardedFor::Malformed;
    client = *address;
    if (comma == std::string_view::npos || !isTrusted(trusted, client)) return ForwardedFor::Client;
    header = header.substr(0, comma);
  }
}

}  // namespace server
