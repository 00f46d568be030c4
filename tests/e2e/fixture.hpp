// Shared set-up for the end-to-end suites: a running server, and clients that join and talk.
#pragma once

#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/chat_client.hpp"
#include "support/server_process.hpp"
#include "support/wire.hpp"

// Compares the next bytes `client` receives with `pattern` (kTs stands for a timestamp), shown
// escaped so that a failure prints every newline and stray byte.
#define CHECK_RECEIVES(client, pattern) \
  BOOST_CHECK_EQUAL(::e2e::shown((client).readLike(pattern)), ::e2e::shown(pattern))
#define REQUIRE_RECEIVES(client, pattern) \
  BOOST_REQUIRE_EQUAL(::e2e::shown((client).readLike(pattern)), ::e2e::shown(pattern))

namespace e2e {

// A server started for one test and the clients that test named through it. Clients named
// with join() are "members": the fixture checks that each of them sees every join, message and
// leave it routes, so a test that only uses these helpers still checks every byte.
class ChatServer {
 public:
  explicit ChatServer(const std::vector<std::string>& options = {},
                      const std::vector<std::string>& wrapper = {});
  ~ChatServer();
  ChatServer(const ChatServer&) = delete;
  ChatServer& operator=(const ChatServer&) = delete;

  std::uint16_t port() const { return server_->port(); }
  ServerProcess& process() { return *server_; }
  // Stops the server for a test that checks how it ends; otherwise the destructor stops it,
  // checking first that it was still running.
  ExitStatus stop(StopSignal which = gracefulStopSignal());

  // A new connection whose banner has been checked byte for byte.
  std::unique_ptr<ChatClient> connect(std::string_view host = "127.0.0.1");
  // Connects, sends `name`, checks that the reply is `history` then the prompt, and that every
  // member sees the join notice. `sent_name` is what goes on the wire (default: `name`).
  ChatClient& join(const std::string& name, const std::string& history = "",
                   const std::string& sent_name = "");
  ChatClient& member(const std::string& name);
  // `name` says `text`: checks that the sender gets only its prompt and every other member
  // the message.
  void say(const std::string& name, const std::string& text);
  // Closes `name` (reset when `abort`), and checks that the others see the leave notice.
  void leave(const std::string& name, bool abort = false);
  // Forgets `name` without closing it, for tests that handle that client themselves.
  std::unique_ptr<ChatClient> release(const std::string& name);
  // Checks that every member except `except` receives `notice(member)` next.
  template <typename Notice>
  void expectAtMembers(const Notice& notice, const std::string& except = "") {
    for (auto& [name, client] : members_) {
      if (name != except) CHECK_RECEIVES(*client, notice(name));
    }
  }

 private:
  std::unique_ptr<ServerProcess> server_;
  bool stopped_ = false;
  std::vector<std::pair<std::string, std::unique_ptr<ChatClient>>> members_;
};

// Decorates a test case that needs the server as a native process, e.g. to send it SIGTERM:
// under NETCAT_CHAT_RUNNER (wine) Boost.Test skips it, and `reason` is printed at any log level.
boost::unit_test::precondition nativeServerOnly(std::string reason);

// `sender`, a member named `name`, sends `count` lines of `text` and reads back its `count`
// prompts, for tests that flood a slow reader until it is dropped. Returns whether the leave
// notice of `leaver` came among them; anything else fails the test.
bool sendLinesSeeingLeave(ChatClient& sender, const std::string& name, const std::string& text,
                          std::size_t count, const std::string& leaver);

// Starts the server with `args`, requiring that it comes up.
std::unique_ptr<ServerProcess> startServer(const std::vector<std::string>& options,
                                           const std::vector<std::string>& wrapper = {});

}  // namespace e2e
