// The piped client's answer to the password prompt when --password-file gives it (docs/ACCESS.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace client {

// Piped, the client passes the input through as nc does; with --password-file, the first line
// of the input is the name, not the password. So the input waits until the server's first
// prompt: the password prompt, answered here, or the name prompt of a server that asks for no
// password. The server's bytes still go to stdout unchanged.
class PipedPassword {
 public:
  // Longer than any prompt of the protocol: an unfinished line this long is no prompt.
  static constexpr std::size_t kMaxTailBytes = 64;

  // `password` empty: no --password-file, the input goes at once.
  explicit PipedPassword(std::string password);

  // Bytes from the server; appends the answer to `reply` when they end at the password prompt.
  void fromServer(std::string_view bytes, std::string& reply);
  // Whether the input may go to the server now.
  bool inputMayGo() const { return prompted_; }

 private:
  std::string password_;
  std::string tail_;        // the server's unfinished line, while it may still be a prompt
  bool long_line_ = false;  // the unfinished line outgrew kMaxTailBytes
  bool prompted_;
};

}  // namespace client
