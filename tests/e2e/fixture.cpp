// Shared set-up for the end-to-end suites: starting the server, joining and talking.
#include "e2e/fixture.hpp"

#include <algorithm>
#include <iostream>

namespace e2e {

boost::unit_test::precondition nativeServerOnly(std::string reason) {
  return boost::unit_test::precondition(
      [reason](boost::unit_test::test_unit_id id) -> boost::test_tools::assertion_result {
        if (!serverRunsUnderRunner()) return true;
        // Boost.Test names a skipped case only at a verbose log level; a skip must be seen.
        std::cout << boost::unit_test::framework::get(id, boost::unit_test::TUT_ANY).full_name()
                  << " skipped: " << reason << std::endl;
        boost::test_tools::assertion_result skip(false);
        skip.message() << reason;
        return skip;
      });
}

bool sendLinesSeeingLeave(ChatClient& sender, const std::string& name, const std::string& text,
                          std::size_t count, const std::string& leaver) {
  std::string batch;
  for (std::size_t i = 0; i < count; ++i) batch += text + "\n";
  BOOST_REQUIRE(sender.send(batch));
  const std::string own_prompt = prompt(name);
  const std::string leave = leaveNoticeTo(name, leaver);
  bool saw_leave = false;
  for (std::size_t prompts = 0; prompts < count;) {
    const std::string chunk = maskTimestamps(sender.readUntil("[" + name + "]:"));
    if (chunk == own_prompt) {
      ++prompts;
    } else {
      BOOST_REQUIRE_EQUAL(shown(chunk), shown(leave));
      saw_leave = true;
    }
  }
  return saw_leave;
}

std::unique_ptr<ServerProcess> startServer(const std::vector<std::string>& options,
                                           const std::vector<std::string>& wrapper) {
  std::string error;
  auto server = ServerProcess::start(options, error, wrapper);
  BOOST_REQUIRE_MESSAGE(server, "server did not start: " << error);
  return server;
}

ChatServer::ChatServer(const std::vector<std::string>& options,
                       const std::vector<std::string>& wrapper)
    : server_(startServer(options, wrapper)) {}

ChatServer::~ChatServer() {
  members_.clear();
  if (stopped_) return;
  // Whatever a client sent, the server must still be there at the end of the test.
  if (auto status = server_->waitForExit(0)) {
    BOOST_ERROR("the server ended during the test: " << status->describe()
                                                     << "; stderr: " << server_->errors());
    return;
  }
  server_->stop();
}

ExitStatus ChatServer::stop(StopSignal which) {
  stopped_ = true;
  return server_->stop(which);
}

std::unique_ptr<ChatClient> ChatServer::connect(std::string_view host) {
  auto client = std::make_unique<ChatClient>();
  BOOST_REQUIRE_MESSAGE(
      client->connect(host, port()),
      "connect to " << host << ":" << port() << " failed: " << client->lastError().message);
  BOOST_REQUIRE_EQUAL(shown(client->readExactly(kBanner.size())), shown(kBanner));
  return client;
}

ChatClient& ChatServer::join(const std::string& name, const std::string& history,
                             const std::string& sent_name) {
  auto client = connect();
  BOOST_REQUIRE(client->send((sent_name.empty() ? name : sent_name) + "\n"));
  REQUIRE_RECEIVES(*client, history + prompt(name));
  expectAtMembers([&name](const std::string& me) { return joinNoticeTo(me, name); });
  members_.emplace_back(name, std::move(client));
  return *members_.back().second;
}

ChatClient& ChatServer::member(const std::string& name) {
  for (auto& [member_name, client] : members_) {
    if (member_name == name) return *client;
  }
  BOOST_FAIL("no member named " << name);
  throw;  // not reached: BOOST_FAIL throws
}

void ChatServer::say(const std::string& name, const std::string& text) {
  ChatClient& sender = member(name);
  BOOST_REQUIRE(sender.send(text + "\n"));
  CHECK_RECEIVES(sender, prompt(name));
  expectAtMembers([&](const std::string& me) { return messageTo(me, name, text); }, name);
}

std::unique_ptr<ChatClient> ChatServer::release(const std::string& name) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&name](const auto& entry) { return entry.first == name; });
  BOOST_REQUIRE_MESSAGE(it != members_.end(), "no member named " << name);
  std::unique_ptr<ChatClient> client = std::move(it->second);
  members_.erase(it);
  return client;
}

void ChatServer::leave(const std::string& name, bool abort) {
  std::unique_ptr<ChatClient> client = release(name);
  if (abort) {
    client->reset();
  } else {
    client->close();
  }
  expectAtMembers([&name](const std::string& me) { return leaveNoticeTo(me, name); });
}

}  // namespace e2e
