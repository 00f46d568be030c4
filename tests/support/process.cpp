// The portable part of process control for tests: environment and pausing.
#include "support/process.hpp"

#include <chrono>
#include <cstdlib>
#include <thread>

namespace e2e {

std::string environmentValue(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void pauseMs(std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

}  // namespace e2e
