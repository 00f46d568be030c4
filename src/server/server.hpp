// The single-threaded select() loop that connects sockets to the chat.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat.hpp"
#include "faces/irc/irc_face.hpp"
#include "net.hpp"
#include "server/address_rules.hpp"
#include "server/gather_policy.hpp"
#include "server/http_request.hpp"
#include "server/ip_address.hpp"
#include "server/ping_schedule.hpp"
#include "server/proxy_header.hpp"
#include "server/web_origin.hpp"
#include "server/websocket_link.hpp"

namespace server {

// How the chat and its log name a browser's connection: the transport, then the address.
inline constexpr std::string_view kWebPeerPrefix = "web ";
// The chat port: people with nc and telnet, and browsers that a web page sent there.
struct ChatPort {
  net::Socket listener;
  // Connections whose first bytes are still awaited, or whose HTTP request is arriving; beyond
  // this many, a connection goes straight to the chat (whose own check still closes a request).
  std::size_t max_arrivals = 0;
  // How long an HTTP request sent there may take to arrive whole.
  std::int64_t request_timeout_ms = 0;
};

// The web port (docs/PROTOCOL.md §11–§12): browsers get the page there, and the chat over
// WebSocket.
struct WebPort {
  net::Socket listener;  // invalid: no web port
  std::uint16_t port = 0;
  // Connections still sending their HTTP request, at most this many at once.
  std::size_t max_requests = 0;
  // How long a request may take to arrive whole.
  std::int64_t request_timeout_ms = 0;
  // --web-origin: other pages that may open the WebSocket (docs/PROTOCOL.md §12.1).
  std::vector<WebOrigin> origins;
};

// The IRC port (docs/PROTOCOL.md §13): IRC clients, through the IRC face.
struct IrcPort {
  net::Socket listener;  // invalid: no IRC port
  faces::irc::IrcFace* face = nullptr;
};
// How the chat and its log name an IRC client's connection: the transport, then the address.
inline constexpr std::string_view kIrcPeerPrefix = "irc ";

// Who may connect, on every port (docs/ACCESS.md), and who speaks for someone else
// (docs/ACCESS.md).
struct AccessPolicy {
  AddressRules rules;
  std::vector<CidrRule> trusted_proxies;
  // Connections from trusted proxies still sending their PROXY header, at most this many.
  std::size_t max_pending_proxied = 0;
  // How long a PROXY header may take to arrive whole.
  std::int64_t proxy_timeout_ms = 0;
};

class Server {
 public:
  // `keepalive_s`: --keepalive, armed on every client socket (0: off).
  Server(chat::Chat& chat, ChatPort chat_port, chat::EventLog& log, int keepalive_s,
         WebPort web = {}, AccessPolicy access = {}, IrcPort irc = {});
  // Serves until a shutdown signal, then tells everyone and flushes; returns the exit status.
  int run();

 private:
  enum class Way { Tcp, Web, Irc };
  struct Connection {
    net::Socket socket;
    std::string peer;
    std::unique_ptr<WebSocketLink> web;  // null for a plain TCP client
    PingSchedule::Entry ping;            // a WebSocket client's place in pings_
  };
  // A web connection whose HTTP request has not all arrived yet.
  struct Request {
    chat::ClientId id = 0;
    net::Socket socket;
    std::string peer;
    HttpRequestParser parser;
    std::int64_t deadline_ms = 0;
    bool from_proxy = false;  // a trusted proxy: X-Forwarded-For names the client
  };
  // A chat port connection from a trusted proxy whose PROXY header has not all arrived yet.
  struct Proxied {
    chat::ClientId id = 0;
    net::Socket socket;
    std::string peer;  // the proxy's own
    ProxyHeaderParser parser;
    std::int64_t deadline_ms = 0;
  };
  // A chat-port connection the chat has not heard of yet: its first bytes, or a short wait,
  // decide whether it is a person (then the chat greets it) or an HTTP request (answered here).
  struct Arrival {
    chat::ClientId id = 0;
    net::Socket socket;
    std::string peer;
    std::string first_bytes;
    bool http = false;         // the first bytes were an HTTP request line: its head is being read
    bool waited_long = false;  // a request line's start: the banner waits for its end
    HttpRequestParser request;
    std::int64_t deadline_ms = 0;  // the banner's, then the request's
  };
  // A socket the chat is done with: its last bytes go out, then the server waits (briefly) for
  // the peer to close, so unread input does not turn the goodbye into a reset.
  struct Closing {
    net::Socket socket;
    std::string farewell;
    std::size_t sent = 0;
    bool finished_sending = false;
    std::int64_t deadline_ms = 0;
  };

  // The connections of `pending` that the chat has not taken yet: one that is readable is read,
  // one past its deadline expires; each of the two says whether to keep it waiting.
  template <typename Pending, typename Read, typename Expire>
  void servicePending(std::vector<Pending>& pending, const Read& read, const Expire& expire) {
    for (std::size_t i = 0; i < pending.size();) {
      Pending& item = pending[i];
      const bool keep = sets_.readable(item.socket)   ? read(item)
                        : now_.ms >= item.deadline_ms ? expire(item)
                                                      : true;
      if (keep) {
        ++i;
      } else {
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(i));
      }
    }
  }

  void turn();
  void refreshClock();
  void watchSockets();
  std::int64_t waitBudget() const;
  void acceptConnections(const net::Socket& listener, Way way);
  void admit(net::Socket socket, std::string peer, Way way);
  // `first_bytes`: what the client sent before the chat heard of it.
  void admitToChat(chat::ClientId id, net::Socket socket, std::string peer,
                   std::unique_ptr<WebSocketLink> web, std::string_view first_bytes = {},
                   chat::Face* face = nullptr);
  // Who may connect (server_access.cpp): the allow and deny rules, for every port.
  bool passesAddressRules(chat::ClientId id, const std::string& peer, net::Socket& socket);
  bool fromTrustedProxy(std::string_view peer) const;
  void admitProxied(chat::ClientId id, net::Socket socket, std::string peer);
  void serviceProxied();
  bool readProxyHeader(Proxied& proxied);
  void proxiedToChat(Proxied& proxied, std::string_view rest);
  void refuseProxied(Proxied& proxied, const std::string& why);
  bool forwardedClient(Request& request);
  // The chat port's arrivals (server_arrival.cpp).
  void admitArrival(chat::ClientId id, net::Socket socket, std::string peer,
                    std::string_view first_bytes = {});
  void serviceArrivals();
  bool readArrival(Arrival& arrival);
  bool judgeArrival(Arrival& arrival, bool peer_done);
  bool readArrivalRequest(Arrival& arrival, std::string_view bytes);
  void answerArrival(Arrival& arrival, const HttpRequest* request);
  bool readFrom(chat::ClientId id, Connection& connection);
  bool wantsToWrite(std::string_view pending, const Connection& connection) const;
  bool flush(chat::ClientId id, Connection& connection, std::string_view pending);
  void flushOutput();
  void pingIdleWebClients();
  // The web adapter (server_web.cpp).
  void admitRequest(chat::ClientId id, net::Socket socket, std::string peer, bool from_proxy);
  void serviceRequests();
  bool readRequest(Request& request);
  void answerRequest(Request& request, std::string_view rest);
  bool readFrames(chat::ClientId id, Connection& connection, std::string_view bytes);
  void endWebClient(chat::ClientId id, Connection& connection);
  void collectDepartures();
  void startClosing(net::Socket socket, std::string farewell);
  void serviceClosing();
  bool advanceClosing(Closing& closing);
  void drainReceived(const net::Socket& socket);
  void lingerForShutdown();

  chat::Chat& chat_;
  ChatPort chat_port_;
  chat::EventLog& log_;
  WebPort web_;
  AccessPolicy access_;
  IrcPort irc_;
  int keepalive_s_;
  // Before connections_, whose entries leave it when they are destroyed.
  PingSchedule pings_;
  std::map<chat::ClientId, Connection> connections_;
  std::vector<Request> requests_;
  std::vector<Proxied> proxied_;
  std::vector<Arrival> arrivals_;
  std::vector<Closing> closing_;
  net::SelectSet sets_;
  chat::ClientId next_id_ = 1;
  std::int64_t accepts_paused_until_ = 0;
  std::int64_t accept_error_logged_at_ = -1;
  GatherPolicy gather_{&net::processCpuMicros};
  bool pause_next_turn_ = false;
  bool shutting_down_ = false;
  int senders_ = 0;             // clients whose input this turn read
  std::size_t bytes_read_ = 0;  // and how many bytes
  std::time_t stamp_time_ = -1;
  std::string stamp_;
  chat::Now now_;
  std::vector<char> buffer_;
  std::string web_input_;  // the chat bytes a WebSocket client's frames carried, reused
};

}  // namespace server
