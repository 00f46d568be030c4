// Reduces "address:port" peer text to the address that --max-per-address counts.
#include "chat/peer_address.hpp"

#include "chat/text.hpp"

namespace chat {
namespace {

constexpr std::string_view kMappedPrefix = "::ffff:";

bool looksLikeIpv4(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789.") == std::string_view::npos;
}

}  // namespace

std::string peerAddress(std::string_view peer) {
  // A transport named before the address ("web 1.2.3.4:5678") is not part of it.
  if (const std::size_t space = peer.rfind(' '); space != std::string_view::npos) {
    peer.remove_prefix(space + 1);
  }
  std::string_view address = peer;
  if (!peer.empty() && peer.front() == '[') {
    const std::size_t close = peer.find(']');
    address = peer.substr(1, close == std::string_view::npos ? close : close - 1);
  } else if (const std::size_t colon = peer.rfind(':');
             colon != std::string_view::npos && peer.find(':') == colon) {
    address = peer.substr(0, colon);  // one colon: IPv4 and a port
  }
  std::string key = text::asciiLower(address);
  if (key.compare(0, kMappedPrefix.size(), kMappedPrefix) == 0 &&
      looksLikeIpv4(std::string_view(key).substr(kMappedPrefix.size()))) {
    key.erase(0, kMappedPrefix.size());
  }
  return key;
}

}  // namespace chat
