// A child process for end-to-end tests: started with arguments, output captured to files, reaped.
// Process itself is POSIX-only (process_posix.cpp); the helpers at the end are portable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace e2e {

struct ExitStatus {
  bool exited = false;  // returned from main or called exit
  int code = -1;        // exit status when `exited`
  int signal = 0;       // the signal that ended it otherwise

  bool exitedWith(int status) const { return exited && code == status; }
  std::string describe() const;
};

enum class StopSignal { Terminate, Interrupt, Kill };

// Output goes to temporary files rather than pipes, so a chatty child never blocks on a full
// pipe that the test is not reading at that moment.
class Process {
 public:
  // Starts argv[0] (looked up in PATH) with argv. With `pipe_stdin` the test can write to the
  // child's standard input; otherwise it reads from /dev/null. Returns null and sets `error`
  // when the child cannot be started.
  static std::unique_ptr<Process> start(const std::vector<std::string>& argv, bool pipe_stdin,
                                        std::string& error);
  ~Process();  // kills and reaps a child that is still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  long pid() const;
  bool writeStdin(std::string_view bytes);
  void closeStdin();
  bool signal(StopSignal which);
  // The exit status, once the child has ended within `timeout_ms`.
  std::optional<ExitStatus> waitForExit(std::int64_t timeout_ms);
  // Asks with `which`, waits up to `timeout_ms`, then kills; always returns a reaped status.
  ExitStatus stop(StopSignal which, std::int64_t timeout_ms);
  bool running();
  std::string standardOutput() const;
  std::string standardError() const;
  // Resident memory of the child in bytes, when the system tells it.
  std::optional<std::uint64_t> residentBytes() const;

  struct Impl;

 private:
  explicit Process(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Path of the running test program, to find the server built next to it.
std::string currentExecutablePath();
// Value of an environment variable; empty when unset.
std::string environmentValue(const char* name);
// Blocks the calling thread for `ms` milliseconds; only for polling with a deadline.
void pauseMs(std::int64_t ms);

}  // namespace e2e
