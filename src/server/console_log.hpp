// The operator's log on stdout: one timestamped line per event, flushed at once.
#pragma once

#include <string_view>

#include "chat/chat.hpp"

namespace server {

class ConsoleLog : public chat::EventLog {
 public:
  void event(std::string_view text) override;
};

}  // namespace server
