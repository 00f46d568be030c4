// The single-threaded select() loop that connects sockets to the chat.
#pragma once

#include <cstdint>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "chat/chat.hpp"
#include "net.hpp"
#include "server/gather_policy.hpp"

namespace server {

class Server {
 public:
  // `keepalive_s`: --keepalive, armed on every client socket (0: off).
  Server(chat::Chat& chat, net::Socket listener, chat::EventLog& log, int keepalive_s);
  // Serves until a shutdown signal, then tells everyone and flushes; returns the exit status.
  int run();

 private:
  struct Connection {
    net::Socket socket;
    std::string peer;
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

  void turn();
  void refreshClock();
  void watchSockets();
  std::int64_t waitBudget() const;
  void acceptConnections();
  void admit(net::Socket socket, std::string peer);
  bool readFrom(chat::ClientId id, Connection& connection);
  void flushOutput();
  void collectDepartures();
  void startClosing(net::Socket socket, std::string farewell);
  void serviceClosing();
  bool advanceClosing(Closing& closing);
  void drainReceived(const net::Socket& socket);
  void lingerForShutdown();

  chat::Chat& chat_;
  net::Socket listener_;
  chat::EventLog& log_;
  int keepalive_s_;
  std::map<chat::ClientId, Connection> connections_;
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
};

}  // namespace server
