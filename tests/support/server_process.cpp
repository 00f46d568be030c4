// The portable part of running the server: its command line, free ports, console text.
#include "support/server_process.hpp"

#include "net.hpp"
#include "support/wire.hpp"

namespace e2e {

bool serverRunsUnderRunner() { return !environmentValue("NETCAT_CHAT_RUNNER").empty(); }

std::string consoleText(std::string_view raw) {
  return serverRunsUnderRunner() ? withUnixNewlines(raw) : std::string(raw);
}

std::string listeningLine(std::uint16_t port) {
  return "Listening on the port :" + std::to_string(port);
}

StopSignal gracefulStopSignal() {
  return serverRunsUnderRunner() ? StopSignal::Interrupt : StopSignal::Terminate;
}

std::uint16_t pickFreePort() {
  net::NetError error;
  net::Socket probe = net::listenTcp("127.0.0.1", 0, error);
  return probe.valid() ? net::localPort(probe) : 0;
}

bool portIsFree(std::uint16_t port) {
  net::NetError error;
  net::Socket probe = net::listenTcp("", port, error);
  return probe.valid();
}

}  // namespace e2e
