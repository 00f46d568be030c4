// The fixed-port lock with flock(2), which flock(1) in scripts/package_checks.sh takes too.
#include "support/port_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "net.hpp"
#include "support/process.hpp"

namespace e2e {
namespace {

// Between two tries while another process holds the lock.
constexpr std::int64_t kRetryMs = 50;

}  // namespace

std::string fixedPortLockPath(std::uint16_t port) {
  return "/tmp/netcat-chat-port-" + std::to_string(port) + ".lock";
}

FixedPortLock::FixedPortLock(std::uint16_t port) {
  // Readable and writable by all, so a run as another user can take it too.
  fd_ = ::open(fixedPortLockPath(port).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) return;
  const std::int64_t give_up = net::monotonicMs() + kFixedPortLockTimeoutMs;
  for (;;) {
    held_ = ::flock(fd_, LOCK_EX | LOCK_NB) == 0;
    if (held_ || net::monotonicMs() >= give_up) return;
    pauseMs(kRetryMs);
  }
}

FixedPortLock::~FixedPortLock() {
  // Closing the descriptor releases the lock.
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace e2e
