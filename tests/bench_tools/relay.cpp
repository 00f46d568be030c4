// Minimal raw relay: every byte one client sends goes to all others; the benchmark's ceiling.
//
// No names, no framing, no queues: blocking sends keep it as small as a relay can be, which is
// safe only because the load generator always reads. Usage: relay PORT
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
constexpr int kBacklog = 64;
constexpr std::size_t kBufferBytes = 64 * 1024;
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: relay PORT\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(std::atoi(argv[1])));
  if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(listener, kBacklog) != 0) {
    std::perror("relay: listen");
    return 1;
  }
  std::printf("Listening on the port :%s\n", argv[1]);
  std::fflush(stdout);
  std::vector<int> clients;
  static char buffer[kBufferBytes];
  while (true) {
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(listener, &readable);
    int top = listener;
    for (int fd : clients) {
      FD_SET(fd, &readable);
      top = std::max(top, fd);
    }
    if (select(top + 1, &readable, nullptr, nullptr, nullptr) < 0) continue;
    if (FD_ISSET(listener, &readable)) {
      int fd = accept(listener, nullptr, nullptr);
      // Same segment behaviour as netcat-chat: small writes leave at once.
      if (fd >= 0) setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (fd >= 0 && fd < FD_SETSIZE)
        clients.push_back(fd);
      else if (fd >= 0)
        close(fd);
    }
    for (std::size_t i = 0; i < clients.size(); ++i) {
      int from = clients[i];
      if (!FD_ISSET(from, &readable)) continue;
      ssize_t n = recv(from, buffer, sizeof buffer, 0);
      if (n <= 0) {
        close(from);
        clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i--));
        continue;
      }
      for (int to : clients) {
        if (to != from) send(to, buffer, static_cast<std::size_t>(n), MSG_NOSIGNAL);
      }
    }
  }
}
