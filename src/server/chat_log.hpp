// The --log file: the chat's Journal on disk, and the reload of room histories at start-up.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "chat/chat.hpp"
#include "file.hpp"

namespace server {

class ChatLog : public chat::Journal {
 public:
  // Reads `path` (if it exists) into the chat's room histories, keeping the last `history`
  // messages of each room, cuts off a torn last line left by a crash, and opens the file for
  // appending. False with a reason in `why` when the file cannot be read or written.
  bool open(const std::string& path, chat::Chat& chat, std::size_t history, std::string& why);

  bool append(std::string_view line, std::string& why) override;

  std::size_t restoredMessages() const { return restored_; }

 private:
  net::AppendFile file_;
  std::string line_;
  std::size_t restored_ = 0;
};

}  // namespace server
