// The Server's door (docs/ACCESS.md): the allow and deny rules, for every port, and the real
// client behind a trusted proxy: a PROXY header on the chat port, X-Forwarded-For on the web
// port.
#include <utility>

#include "server/forwarded_for.hpp"
#include "server/server.hpp"
#include "server/web_routes.hpp"

namespace server {
namespace {

constexpr int kBadRequest = 400;

std::string labelOf(chat::ClientId id, std::string_view peer) {
  return "#" + std::to_string(id) + " " + std::string(peer);
}

// How the chat names a web client that X-Forwarded-For named, without a port.
std::string forwardedPeer(const IpAddress& address) {
  const std::string text = formatIpAddress(address);
  return std::string(kWebPeerPrefix) + (address.v4 ? text : "[" + text + "]");
}

}  // namespace

// The one check of every listener's admission: a refused address is closed without a byte,
// takes no seat, and gets one log line, "#ID PEER refused: address not allowed (RULE)".
bool Server::passesAddressRules(chat::ClientId id, const std::string& peer, net::Socket& socket) {
  if (access_.rules.empty()) return true;
  const auto address = peerIpAddress(peer);
  const AccessVerdict verdict =
      address ? access_.rules.judge(*address) : AccessVerdict{false, "address unknown"};
  if (verdict.allowed) return true;
  log_.event(labelOf(id, peer) + " refused: " + verdict.why);
  startClosing(std::move(socket), {});
  return false;
}

bool Server::fromTrustedProxy(std::string_view peer) const {
  if (access_.trusted_proxies.empty()) return false;
  const auto address = peerIpAddress(peer);
  return address && isTrusted(access_.trusted_proxies, *address);
}

void Server::admitProxied(chat::ClientId id, net::Socket socket, std::string peer) {
  if (proxied_.size() >= access_.max_pending_proxied) {
    log_.event(labelOf(id, peer) + " refused: " + std::to_string(access_.max_pending_proxied) +
               " connections from trusted proxies are waiting for their PROXY headers already");
    startClosing(std::move(socket), {});
    return;
  }
  proxied_.push_back(Proxied{id, std::move(socket), std::move(peer), ProxyHeaderParser(),
                             now_.ms + access_.proxy_timeout_ms});
}

void Server::serviceProxied() {
  servicePending(
      proxied_, [this](Proxied& proxied) { return readProxyHeader(proxied); },
      [this](Proxied& proxied) {
        refuseProxied(proxied, "no PROXY header from a trusted proxy within " +
                                   std::to_string(access_.proxy_timeout_ms / 1000) + " s");
        return false;
      });
}

// Returns false when the header is over: the client joined, or the connection was refused or
// went away. Reads no more than a header may still take, so what follows it mostly stays in
// the kernel until the chat wants it.
bool Server::readProxyHeader(Proxied& proxied) {
  const std::size_t room = kMaxProxyHeaderBytes - proxied.parser.length();
  const net::IoResult result = net::receiveSome(proxied.socket, buffer_.data(), room);
  if (result.bytes == 0) {
    const net::ErrorKind kind = result.error.kind;
    if (!result.closed &&
        (kind == net::ErrorKind::WouldBlock || kind == net::ErrorKind::Interrupted)) {
      return true;
    }
    log_.event(labelOf(proxied.id, proxied.peer) + " left before its PROXY header");
    return false;
  }
  const std::string_view bytes(buffer_.data(), result.bytes);
  std::size_t used = 0;
  switch (proxied.parser.feed(bytes, used)) {
    case ProxyHeaderParser::Status::NeedMore:
      return true;
    case ProxyHeaderParser::Status::Bad:
      refuseProxied(proxied, proxied.parser.problem() + " from a trusted proxy");
      return false;
    case ProxyHeaderParser::Status::Done:
      proxiedToChat(proxied, bytes.substr(used));
      return false;
  }
  return false;
}

void Server::refuseProxied(Proxied& proxied, const std::string& why) {
  log_.event(labelOf(proxied.id, proxied.peer) + " refused: " + why);
  startClosing(std::move(proxied.socket), {});
}

// From here on the client's address is the one the header named (UNKNOWN: the proxy's own),
// for the log, --max-per-address and the rules; `rest` is the client's own first bytes.
void Server::proxiedToChat(Proxied& proxied, std::string_view rest) {
  const ProxyHeaderParser& header = proxied.parser;
  std::string peer = proxied.peer;
  if (header.hasSource()) {
    peer = formatPeer(header.source(), header.sourcePort());
    log_.event(labelOf(proxied.id, proxied.peer) + " proxy for " + peer);
  }
  if (!passesAddressRules(proxied.id, peer, proxied.socket)) return;
  admitArrival(proxied.id, std::move(proxied.socket), std::move(peer), rest);
}

// A request from a trusted proxy: the client is the one X-Forwarded-For names (without it,
// the proxy itself), and meets the rules. Returns false when the request is over.
bool Server::forwardedClient(Request& request) {
  const HttpRequest& head = request.parser.request();
  if (head.has_forwarded_for) {
    IpAddress client;
    if (clientFromForwardedFor(head.forwarded_for, access_.trusted_proxies, client) ==
        ForwardedFor::Malformed) {
      log_.event(labelOf(request.id, request.peer) +
                 " refused: malformed X-Forwarded-For from a trusted proxy");
      startClosing(std::move(request.socket), errorResponse(kBadRequest));
      return false;
    }
    std::string peer = forwardedPeer(client);
    log_.event(labelOf(request.id, request.peer) + " proxy for " + peer);
    request.peer = std::move(peer);
  }
  return passesAddressRules(request.id, request.peer, request.socket);
}

}  // namespace server
