// End-to-end checks of the chat password (docs/PROTOCOL.md) on real sockets: the prompt, one try,
// nothing of the chat before it, the guess limit per address, the web way, and the file checks.
#include <filesystem>
#include <fstream>
#include <memory>

#include "e2e/fixture.hpp"
#include "e2e/temp_log.hpp"
#include "support/web_client.hpp"

namespace e2e {
namespace {

constexpr std::string_view kPasswordPrompt = "[ENTER THE PASSWORD]: ";
constexpr std::string_view kWrongPassword = "Wrong password.\n";
constexpr std::string_view kTooManyWrong =
    "Too many wrong passwords from your address; try again later.\n";
constexpr std::string_view kPassword = "correct horse battery staple";
// What the server has for a wrong password before it says so: time enough to be sure.
constexpr std::int64_t kQuietWindowMs = 300;

std::string welcome() { return kBanner.substr(0, kBanner.size() - kNamePrompt.size()); }

// A private file holding the password (and what else a test wants in it).
struct PasswordFile {
  explicit PasswordFile(std::string_view contents = std::string(kPassword) + "\n",
                        std::filesystem::perms perms = std::filesystem::perms::owner_read |
                                                       std::filesystem::perms::owner_write) {
    std::ofstream(file.path, std::ios::binary) << contents;
    std::filesystem::permissions(file.path, perms);
  }
  TempLog file;
};

struct PasswordChat {
  explicit PasswordChat(std::vector<std::string> options = {})
      : server([&] {
          options.insert(options.begin(), {"--password-file", secret.file.path});
          return options;
        }()) {}

  // A connection that has read the banner and the password prompt, from `source`.
  std::unique_ptr<ChatClient> connect(std::string_view source = "127.0.0.1") {
    auto client = std::make_unique<ChatClient>();
    BOOST_REQUIRE(client->connectFrom(source, "127.0.0.1", server.port()));
    REQUIRE_RECEIVES(*client, welcome() + std::string(kPasswordPrompt));
    return client;
  }

  // In with the password and `name`; every member sees the join.
  ChatClient& join(const std::string& name) {
    auto client = connect();
    BOOST_REQUIRE(client->send(std::string(kPassword) + "\n"));
    REQUIRE_RECEIVES(*client, std::string(kNamePrompt));
    BOOST_REQUIRE(client->send(name + "\n"));
    REQUIRE_RECEIVES(*client, prompt(name));
    for (auto& [member, connection] : members)
      CHECK_RECEIVES(*connection, joinNoticeTo(member, name));
    members.emplace_back(name, std::move(client));
    return *members.back().second;
  }

  // Sends a wrong password from `source` and checks the one line and the close.
  void guessWrong(std::string_view source) {
    auto client = connect(source);
    BOOST_REQUIRE(client->send("letmein\n"));
    BOOST_CHECK_EQUAL(shown(client->readUntilClosed()), shown(kWrongPassword));
  }

  PasswordFile secret;
  ChatServer server;
  std::vector<std::pair<std::string, std::unique_ptr<ChatClient>>> members;
};

bool logHas(ChatServer& server, std::string_view text) {
  return server.process().output().find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_password)

BOOST_AUTO_TEST_CASE(the_password_comes_first_then_the_name_then_the_chat) {
  PasswordChat chat;
  ChatClient& alice = chat.join("Alice");
  ChatClient& bob = chat.join("Bob");
  BOOST_REQUIRE(alice.send("hello\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  CHECK_RECEIVES(bob, messageTo("Bob", "Alice", "hello"));
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_one_line_then_the_close_and_nobody_sees_anything) {
  PasswordChat chat;
  ChatClient& alice = chat.join("Alice");
  auto eve = chat.connect();
  BOOST_REQUIRE(eve->send("letmein\nEve\nhello all\n"));
  BOOST_CHECK_EQUAL(shown(eve->readUntilClosed()), shown(kWrongPassword));
  BOOST_CHECK_EQUAL(shown(alice.readFor(kQuietWindowMs)), "");
  BOOST_TEST(logHas(chat.server, "wrong password from 127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(before_the_password_nothing_of_the_chat_arrives) {
  PasswordChat chat;
  ChatClient& alice = chat.join("Alice");
  auto waiting = chat.connect();
  BOOST_REQUIRE(alice.send("not for strangers\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  BOOST_CHECK_EQUAL(shown(waiting->readFor(kQuietWindowMs)), "");
  BOOST_REQUIRE(waiting->send(std::string(kPassword) + "\n"));
  CHECK_RECEIVES(*waiting, std::string(kNamePrompt));
  BOOST_REQUIRE(waiting->send("Carol\n"));
  // The history comes only now, with the name.
  CHECK_RECEIVES(*waiting, historyLine("Alice", "not for strangers") + prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(guessing_is_limited_per_address_and_one_address_does_not_block_another) {
  PasswordChat chat;
  for (int i = 0; i < 5; ++i) chat.guessWrong("127.0.0.2");
  ChatClient blocked;
  BOOST_REQUIRE(blocked.connectFrom("127.0.0.2", "127.0.0.1", chat.server.port()));
  BOOST_CHECK_EQUAL(shown(blocked.readUntilClosed()), shown(kTooManyWrong));
  // Even the right password from there is not asked for now; another address is not held back.
  auto other = chat.connect("127.0.0.3");
  BOOST_REQUIRE(other->send(std::string(kPassword) + "\n"));
  CHECK_RECEIVES(*other, std::string(kNamePrompt));
  BOOST_TEST(logHas(chat.server, "refused: too many wrong passwords from 127.0.0.2"));
}

BOOST_AUTO_TEST_CASE(behind_a_trusted_proxy_guesses_count_for_the_client_it_names) {
  PasswordChat chat({"--trusted-proxy", "127.0.0.1"});
  const auto proxied = [&](std::string_view client) {
    auto connection = std::make_unique<ChatClient>();
    BOOST_REQUIRE(connection->connectFrom("127.0.0.1", "127.0.0.1", chat.server.port()));
    BOOST_REQUIRE(connection->send("PROXY TCP4 " + std::string(client) + " 127.0.0.1 40000 " +
                                   std::to_string(chat.server.port()) + "\r\n"));
    return connection;
  };
  for (int i = 0; i < 5; ++i) {
    auto guesser = proxied("198.51.100.7");
    REQUIRE_RECEIVES(*guesser, welcome() + std::string(kPasswordPrompt));
    BOOST_REQUIRE(guesser->send("guess\n"));
    BOOST_CHECK_EQUAL(shown(guesser->readUntilClosed()), shown(kWrongPassword));
  }
  BOOST_CHECK_EQUAL(shown(proxied("198.51.100.7")->readUntilClosed()), shown(kTooManyWrong));
  // The proxy's other clients, and the proxy's own address, are not held back.
  auto other = proxied("198.51.100.8");
  CHECK_RECEIVES(*other, welcome() + std::string(kPasswordPrompt));
  BOOST_TEST(logHas(chat.server, "wrong password from 198.51.100.7"));
  BOOST_TEST(!logHas(chat.server, "wrong password from 127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(the_name_timeout_covers_the_password_prompt) {
  PasswordChat chat({"--name-timeout", "1"});
  auto slow = chat.connect();
  BOOST_CHECK_EQUAL(shown(slow->readUntilClosed()),
                    shown("\nTimed out waiting for the password.\n"));
}

BOOST_AUTO_TEST_CASE(a_browser_is_asked_for_the_password_too) {
  PasswordFile secret;
  const std::uint16_t web_port = pickFreePort();
  ChatServer server({"--password-file", secret.file.path, "--web", std::to_string(web_port)});
  WebClient right;
  std::string failure;
  BOOST_REQUIRE_MESSAGE(right.open(web_port, failure), failure);
  std::string bad;
  BOOST_CHECK_EQUAL(shown(right.readTextUntil(kPasswordPrompt, bad)),
                    shown(welcome() + std::string(kPasswordPrompt)));
  BOOST_REQUIRE(right.sendText(std::string(kPassword) + "\n"));
  BOOST_CHECK_EQUAL(shown(right.readTextUntil(kNamePrompt, bad)), shown(kNamePrompt));
  WebClient wrong;
  BOOST_REQUIRE_MESSAGE(wrong.open(web_port, failure), failure);
  wrong.readTextUntil(kPasswordPrompt, bad);
  BOOST_REQUIRE(wrong.sendText("guess\n"));
  BOOST_CHECK_EQUAL(shown(wrong.readTextUntil(kWrongPassword, bad)), shown(kWrongPassword));
  BOOST_CHECK_EQUAL(bad, "");
  BOOST_TEST(logHas(server, "wrong password from 127.0.0.1"));
}

BOOST_AUTO_TEST_CASE(the_server_refuses_a_password_file_it_cannot_use) {
  namespace fs = std::filesystem;
  PasswordFile empty_first_line("\nsecret\n");
  PasswordFile everyone_reads(std::string(kPassword) + "\n", fs::perms::owner_read |
                                                                 fs::perms::group_read |
                                                                 fs::perms::others_read);
  PasswordFile too_long(std::string(257, 'p') + "\n");
  const std::pair<std::string, std::string> cases[] = {
      {empty_first_line.file.path, "empty first line"},
      {everyone_reads.file.path, "every user of this machine may read"},
      {too_long.file.path, "longer than 256 bytes"},
      {empty_first_line.file.path + ".missing", "cannot read the password file"},
  };
  for (const auto& [path, why] : cases) {
    // Windows keeps file access in ACLs: there no mode bit says "everyone".
    if (path == everyone_reads.file.path && serverRunsUnderRunner()) continue;
    const RunResult result = runServer({std::to_string(pickFreePort()), "--password-file", path});
    BOOST_REQUIRE(result.status.has_value());
    BOOST_TEST(result.status->code == 1);
    BOOST_TEST(result.out.find("Listening") == std::string::npos);
    BOOST_TEST(result.err.find(why) != std::string::npos, "stderr: " << result.err);
    BOOST_TEST(splitLines(result.err).size() == 1u, "stderr: " << result.err);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
