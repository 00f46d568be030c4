// A lock on one fixed port, taken by every process that must listen on exactly that port while
// others may want it too (POSIX only: port_lock_posix.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace e2e {

// scripts/test.sh runs several test runs side by side, and its package check starts the
// service's command line, which listens on 8989, beside them; each takes this lock first
// (the script with flock(1) on the same file), so they take turns instead of one failing.
class FixedPortLock {
 public:
  // Waits up to kFixedPortLockTimeoutMs; held() says whether the lock was taken.
  explicit FixedPortLock(std::uint16_t port);
  ~FixedPortLock();
  FixedPortLock(const FixedPortLock&) = delete;
  FixedPortLock& operator=(const FixedPortLock&) = delete;

  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

// Longer than anyone holds it: a server start and stop, under Wine or a sanitizer.
inline constexpr std::int64_t kFixedPortLockTimeoutMs = 60000;

// The file locked for `port`, the same for every process on the machine.
std::string fixedPortLockPath(std::uint16_t port);

}  // namespace e2e
