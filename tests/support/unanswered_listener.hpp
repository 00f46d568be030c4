// A loopback listener that never completes another connection, for connect-timeout tests
// (POSIX only: unanswered_listener_posix.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "net.hpp"

namespace e2e {

// Listens on 127.0.0.1 with the smallest backlog and fills it with connections it never
// accepts: the kernel then drops new SYNs, so a connect() to its port waits until it gives up.
class UnansweredListener {
 public:
  UnansweredListener();
  bool ok() const { return listener_.valid(); }
  std::uint16_t port() const { return port_; }

 private:
  net::Socket listener_;
  std::vector<net::Socket> fillers_;
  std::uint16_t port_ = 0;
};

}  // namespace e2e
