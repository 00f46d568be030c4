// Watches the server's unfinished line for the first prompt, and answers the password prompt.
#include "client/piped_password.hpp"

#include <utility>

#include "chat/protocol.hpp"

namespace client {

PipedPassword::PipedPassword(std::string password)
    : password_(std::move(password)), prompted_(password_.empty()) {}

void PipedPassword::fromServer(std::string_view bytes, std::string& reply) {
  if (prompted_) return;
  const std::size_t end = bytes.rfind('\n');
  if (end != std::string_view::npos) {
    tail_.clear();
    long_line_ = false;
    bytes.remove_prefix(end + 1);
  }
  if (long_line_ || tail_.size() + bytes.size() > kMaxTailBytes) {
    tail_.clear();  // no prompt, up to the end of this line
    long_line_ = true;
    return;
  }
  tail_.append(bytes.data(), bytes.size());
  if (tail_ == chat::protocol::kPasswordPrompt) {
    reply += password_ + "\n";
    prompted_ = true;
  } else if (tail_ == chat::protocol::kNamePrompt) {
    prompted_ = true;
  }
  if (prompted_) tail_.clear();
}

}  // namespace client
