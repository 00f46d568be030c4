// Event lines go out unbuffered so a pipe or a terminal sees each one as it happens.
#include "server/console_log.hpp"

#include <cstdio>
#include <ctime>
#include <string>

#include "net.hpp"

namespace server {

void ConsoleLog::event(std::string_view text) {
  std::string line = "[" + net::localTimestamp(std::time(nullptr)) + "] ";
  line.append(text).push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

}  // namespace server
