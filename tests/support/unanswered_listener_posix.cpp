// Fills a listener's backlog so further connects hang (the backlog is no option of net.hpp).
#include "support/unanswered_listener.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace e2e {
namespace {

// Linux queues backlog + 1 finished handshakes; a few more cover other kernels.
constexpr int kFillers = 4;

}  // namespace

UnansweredListener::UnansweredListener() {
  net::Socket listener(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (!listener.valid() ||
      ::bind(static_cast<int>(listener.native()), reinterpret_cast<sockaddr*>(&address),
             sizeof address) != 0 ||
      ::listen(static_cast<int>(listener.native()), 0) != 0) {
    return;
  }
  port_ = net::localPort(listener);
  address.sin_port = htons(port_);
  for (int i = 0; i < kFillers; ++i) {
    net::Socket filler(::socket(AF_INET, SOCK_STREAM, 0));
    if (!filler.valid() || net::setNonBlocking(filler, true)) continue;
    // In progress or done: either way it takes a place in the queue.
    (void)::connect(static_cast<int>(filler.native()), reinterpret_cast<sockaddr*>(&address),
                    sizeof address);
    fillers_.push_back(std::move(filler));
  }
  listener_ = std::move(listener);
}

}  // namespace e2e
