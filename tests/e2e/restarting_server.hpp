// A server that tests stop and start again on the same port, as a service restarting for an
// upgrade; shared by the reconnecting client's suites.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "e2e/temp_log.hpp"
#include "support/server_process.hpp"

namespace e2e {

// A server with a --log that can be stopped with SIGTERM and started again on the same port,
// as a service restarting for an upgrade.
class RestartingServer {
 public:
  explicit RestartingServer(const std::vector<std::string>& extra = {}) {
    options_ = {"--log", log_.path, "--rate", "0"};
    options_.insert(options_.end(), extra.begin(), extra.end());
    std::string error;
    server_ = ServerProcess::start(options_, error);
    BOOST_REQUIRE_MESSAGE(server_, "the server did not start: " << error);
    port_ = server_->port();
  }

  std::uint16_t port() const { return port_; }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

  void stop() {
    const ExitStatus status = server_->stop(StopSignal::Terminate);
    BOOST_REQUIRE_MESSAGE(status.exitedWith(0), "the server stopped with " << status.describe());
  }
  // Starts the server again on the port it had; returns once it listens.
  void start() {
    std::vector<std::string> args = {std::to_string(port_)};
    args.insert(args.end(), options_.begin(), options_.end());
    std::string error;
    server_ = ServerProcess::startExactly(args, port_, error);
    BOOST_REQUIRE_MESSAGE(server_, "the server did not start again: " << error);
  }

 private:
  TempLog log_;
  std::vector<std::string> options_;
  std::unique_ptr<ServerProcess> server_;
  std::uint16_t port_ = 0;
};

}  // namespace e2e
