// A storm of wrong passwords from more addresses than the guess limit remembers
// (docs/PROTOCOL.md §3.3): every one is answered, the members are served, memory stays bounded.
#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "e2e/fixture.hpp"
#include "support/reliability.hpp"

namespace {

// More addresses than the server's table of wrong passwords holds (4096), each guessing once.
constexpr int kGuessers = 5000;
constexpr std::string_view kPassword = "the real one";
// What the table may cost at its fullest is about half a megabyte; the rest is room for the
// allocator's own bookkeeping. AddressSanitizer keeps freed memory in quarantine, so more there.
#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kGrowthBoundKiB = 64 * 1024;
#else
constexpr std::uint64_t kGrowthBoundKiB = 4 * 1024;
#endif

std::string guesserAddress(int index) {
  return "127.3." + std::to_string(index / 250) + "." + std::to_string(index % 250 + 1);
}

bool joinWithPassword(e2e::ChatClient& client, std::uint16_t port, const std::string& name) {
  return client.connect("127.0.0.1", port) && rel::readTo(client, "[ENTER THE PASSWORD]: ") &&
         client.send(std::string(kPassword) + "\n") && rel::readTo(client, "[ENTER YOUR NAME]: ") &&
         client.send(name + "\n") && rel::readTo(client, "][" + name + "]:");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_storm)

BOOST_AUTO_TEST_CASE(wrong_passwords_from_thousands_of_addresses_leave_memory_bounded) {
  rel::TemporaryDirectory dir;
  const std::string secret = dir.path() + "/password";
  std::ofstream(secret, std::ios::binary) << kPassword << "\n";
  std::filesystem::permissions(secret, std::filesystem::perms::owner_read);
  auto server = e2e::startServer({"--password-file", secret, "--rate", "0"});
  e2e::ChatClient alice;
  e2e::ChatClient bob;
  BOOST_REQUIRE(joinWithPassword(alice, server->port(), "alice"));
  BOOST_REQUIRE(joinWithPassword(bob, server->port(), "bob"));
  BOOST_REQUIRE(rel::readTo(alice, "bob has joined our chat...\n"));
  std::optional<std::uint64_t> settled;
  for (int i = 0; i < kGuessers; ++i) {
    e2e::ChatClient guesser;
    BOOST_REQUIRE_MESSAGE(guesser.connectFrom(guesserAddress(i), "127.0.0.1", server->port()),
                          "connect " << i << " failed");
    BOOST_REQUIRE(guesser.send("not it\n"));  // typed ahead: no wait for the banner
    const std::string answer = guesser.readUntilClosed();
    BOOST_REQUIRE_MESSAGE(rel::endsWith(answer, "Wrong password.\n"),
                          "guess " << i << " got: " << e2e::shown(answer.substr(0, 200)));
    // Past the first few hundred the server has all the buffers it will use.
    if (i == 500) settled = rel::statusKiB(*server, "VmRSS");
  }
  BOOST_REQUIRE(alice.send("still here\n"));
  BOOST_TEST(rel::readTo(bob, "][alice]:still here\n"));
  const auto after = rel::statusKiB(*server, "VmRSS");
  if (settled && after) {
    BOOST_TEST_MESSAGE("resident " << *settled << " KiB after 500 guessers, " << *after
                                   << " KiB after " << kGuessers);
    BOOST_TEST(*after <= *settled + kGrowthBoundKiB);
  }
  BOOST_TEST(server->output().find("wrong password from " + guesserAddress(kGuessers - 1)) !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
