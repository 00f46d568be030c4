// The parts of the test client that need socket options net.hpp does not offer (POSIX only).
#include "support/chat_client.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace e2e {

namespace {

// The kernel doubles it and applies its own minimum; any small value keeps the window tiny.
constexpr int kSmallReceiveBuffer = 4096;

}  // namespace

bool ChatClient::connectWithSmallReceiveBuffer(std::string_view host, std::uint16_t port) {
  return connectFrom("", host, port, true);
}

bool ChatClient::connectFrom(std::string_view source, std::string_view host, std::uint16_t port,
                             bool small_buffer) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port_text = std::to_string(port);
  if (getaddrinfo(std::string(host).c_str(), port_text.c_str(), &hints, &found) != 0) {
    return false;
  }
  addrinfo* local = nullptr;
  if (!source.empty()) {
    hints.ai_family = found->ai_family;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(std::string(source).c_str(), "0", &hints, &local) != 0) {
      freeaddrinfo(found);
      return false;
    }
  }
  int fd = socket(found->ai_family, SOCK_STREAM, 0);
  const int size = kSmallReceiveBuffer;
  const bool ok =
      fd >= 0 &&
      (!small_buffer || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) == 0) &&
      (local == nullptr || ::bind(fd, local->ai_addr, local->ai_addrlen) == 0) &&
      ::connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  if (!ok) error_ = net::NetError{net::ErrorKind::Other, errno, std::strerror(errno)};
  freeaddrinfo(found);
  if (local != nullptr) freeaddrinfo(local);
  if (!ok) {
    if (fd >= 0) ::close(fd);
    return false;
  }
  socket_ = net::Socket(fd);
  error_ = net::setNonBlocking(socket_, true);
  return !error_;
}

void ChatClient::reset() {
  if (!socket_.valid()) return;
  const linger abortive{1, 0};
  setsockopt(static_cast<int>(socket_.native()), SOL_SOCKET, SO_LINGER, &abortive, sizeof abortive);
  socket_.close();
}

}  // namespace e2e
