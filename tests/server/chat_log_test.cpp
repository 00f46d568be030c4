// Unit tests of server::ChatLog, the --log file: writing records and restoring room histories.
#include "server/chat_log.hpp"

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <string>

#include "support/chat_fixture.hpp"

namespace fs = std::filesystem;
using chat::ClientId;
using chat_test::ChatFixture;

namespace {

const std::string kTs(chat_test::kStamp);

std::string line(std::string_view from, std::string_view text) {
  return "[" + kTs + "][" + std::string(from) + "]:" + std::string(text) + "\n";
}

std::string event(std::string_view text) { return "[" + kTs + "] " + std::string(text) + "\n"; }

// A file name of its own in the system's temporary directory, removed when the test ends.
struct TempPath {
  TempPath() {
    std::random_device random;
    path = (fs::temp_directory_path() / ("netcat-chat-log-" + std::to_string(random()) + "-" +
                                         std::to_string(random()) + ".log"))
               .string();
  }
  ~TempPath() {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  std::string path;
};

// A chat whose journal is a ChatLog on a temporary file, restartable as the server restarts.
struct LogFixture {
  // Declared before the chat that writes through it, so it is destroyed after it.
  std::unique_ptr<server::ChatLog> chat_log;
  ChatFixture f;
  TempPath file;

  void start(std::size_t history = 10000) {
    f.chat.reset();
    chat_log = std::make_unique<server::ChatLog>();
    chat::Settings settings;
    settings.history = history;
    f.chat = std::make_unique<chat::Chat>(settings, f.log, chat_log.get());
    std::string why;
    BOOST_REQUIRE_MESSAGE(chat_log->open(file.path, *f.chat, history, why), why);
  }

  void write(const std::string& contents) {
    std::ofstream out(file.path, std::ios::binary | std::ios::trunc);
    out << contents;
    BOOST_REQUIRE(out.good());
  }

  std::string contents() const {
    std::ifstream in(file.path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // What a newcomer named `name` receives on joining `room`: its replayed history and prompt.
  std::string historyOf(const std::string& room, const std::string& name) {
    const ClientId id = f.open();
    f.type(id, name + "\n");
    std::string seen = f.drain(id);
    if (room != "general") {
      f.type(id, "/join " + room + "\n");
      seen = f.drain(id);
      // The confirmation of the move comes before the room's history.
      const std::string moved = "You are now in " + room + ".\n";
      BOOST_TEST(seen.substr(0, moved.size()) == moved);
      seen.erase(0, moved.size());
    }
    return seen;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(chat_log)

BOOST_AUTO_TEST_CASE(restores_each_rooms_history_from_a_log_the_chat_wrote) {
  LogFixture t;
  t.start();
  const auto alice = t.f.join("Alice");
  const auto bob = t.f.join("Bob");
  t.f.type(alice, "in general\n");
  t.f.type(bob, "/join dev\n");
  t.f.drain(bob);
  t.f.type(bob, "in dev\n");
  t.f.type(alice, "general again\n");
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 3u);
  BOOST_TEST(t.historyOf("general", "Carol") ==
             line("Alice", "in general") + line("Alice", "general again") + t.f.prompt("Carol"));
  BOOST_TEST(t.historyOf("dev", "Dave") == line("Bob", "in dev") + t.f.prompt("Dave"));
}

BOOST_AUTO_TEST_CASE(a_missing_log_is_created_and_restarts_duplicate_nothing) {
  LogFixture t;
  BOOST_REQUIRE(!fs::exists(t.file.path));
  t.start();
  BOOST_TEST(fs::exists(t.file.path));
  BOOST_TEST(t.chat_log->restoredMessages() == 0u);
  const auto alice = t.f.join("Alice");
  t.f.type(alice, "once\n");
  t.start();
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 1u);
  BOOST_TEST(t.historyOf("general", "Bob") == line("Alice", "once") + t.f.prompt("Bob"));
  BOOST_TEST(t.contents() == event("Alice has joined our chat...") + line("Alice", "once") +
                                 event("Bob has joined our chat..."));
}

BOOST_AUTO_TEST_CASE(a_torn_last_line_is_cut_off_and_the_log_goes_on_cleanly) {
  LogFixture t;
  t.write(line("Alice", "whole") + "[" + kTs + "][Alice]:tor");
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 1u);
  BOOST_TEST(t.contents() == line("Alice", "whole"));
  const auto bob = t.f.join("Bob");
  t.f.type(bob, "after\n");
  BOOST_TEST(t.contents() ==
             line("Alice", "whole") + event("Bob has joined our chat...") + line("Bob", "after"));
  t.start();
  BOOST_TEST(t.historyOf("general", "Carol") ==
             line("Alice", "whole") + line("Bob", "after") + t.f.prompt("Carol"));
}

BOOST_AUTO_TEST_CASE(keeps_the_last_n_messages_of_each_room) {
  LogFixture t;
  t.write(line("A", "g1") + line("A", "g2") + line("A", "g3") + "-- room dev\n" + line("B", "d1") +
          line("B", "d2") + line("B", "d3") + "-- room general\n" + line("A", "g4"));
  t.start(2);
  BOOST_TEST(t.chat_log->restoredMessages() == 4u);
  BOOST_TEST(t.historyOf("general", "Carol") ==
             line("A", "g3") + line("A", "g4") + t.f.prompt("Carol"));
  BOOST_TEST(t.historyOf("dev", "Dave") == line("B", "d2") + line("B", "d3") + t.f.prompt("Dave"));
}

BOOST_AUTO_TEST_CASE(after_a_restart_the_next_record_names_its_room) {
  LogFixture t;
  const std::string before = "-- room dev\n" + line("Bob", "in dev");
  t.write(before);
  t.start();
  const auto alice = t.f.join("Alice");
  t.f.type(alice, "in general\n");
  BOOST_TEST(t.contents() == before + "-- room general\n" + event("Alice has joined our chat...") +
                                 line("Alice", "in general"));
  t.start();
  BOOST_TEST(t.historyOf("general", "Carol") == line("Alice", "in general") + t.f.prompt("Carol"));
  BOOST_TEST(t.historyOf("dev", "Dave") == line("Bob", "in dev") + t.f.prompt("Dave"));
}

BOOST_AUTO_TEST_CASE(a_classic_log_stays_classic) {
  LogFixture t;
  t.write(line("Alice", "old"));
  t.start();
  const auto bob = t.f.join("Bob");
  t.f.type(bob, "new\n");
  BOOST_TEST(t.contents() ==
             line("Alice", "old") + event("Bob has joined our chat...") + line("Bob", "new"));
}

BOOST_AUTO_TEST_CASE(only_chat_messages_are_restored) {
  LogFixture t;
  t.write(event("Alice has joined our chat...") + "not a record\n\n" + line("Alice", "kept") +
          event("Alice changed their name to Al.") + "[yesterday][Al]:no stamp\n" +
          event("Al has left our chat..."));
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 1u);
  BOOST_TEST(t.historyOf("general", "Bob") == line("Alice", "kept") + t.f.prompt("Bob"));
}

BOOST_AUTO_TEST_CASE(a_log_that_cannot_be_created_is_refused_with_a_reason) {
  LogFixture t;
  server::ChatLog chat_log;
  std::string why;
  const std::string path = (fs::path(t.file.path) / "no-such-directory" / "chat.log").string();
  BOOST_TEST(!chat_log.open(path, *t.f.chat, 10, why));
  BOOST_TEST(!why.empty());
}

BOOST_AUTO_TEST_CASE(shutdown_is_recorded_with_the_leave_of_everyone_still_there) {
  LogFixture t;
  t.start();
  const auto alice = t.f.join("Alice");
  const auto bob = t.f.join("Bob");
  t.f.open();  // at the name prompt: never joined, so never leaves
  t.f.type(alice, "hi\n");
  t.f.type(bob, "/join dev\n");
  t.f.type(bob, "in dev\n");
  t.f.chat->shutdown(t.f.now());
  BOOST_TEST(t.contents() == event("Alice has joined our chat...") +
                                 event("Bob has joined our chat...") + line("Alice", "hi") +
                                 event("Bob moved to dev.") + "-- room dev\n" +
                                 event("Bob has joined our chat...") + line("Bob", "in dev") +
                                 event("Server is shutting down.") + "-- room general\n" +
                                 event("Alice has left our chat...") + "-- room dev\n" +
                                 event("Bob has left our chat..."));
}

BOOST_AUTO_TEST_CASE(a_log_ended_by_a_shutdown_restores_the_same_history) {
  LogFixture t;
  t.start();
  const auto alice = t.f.join("Alice");
  const auto bob = t.f.join("Bob");
  t.f.type(alice, "one\n");
  t.f.type(bob, "two\n");
  t.f.type(bob, "/join dev\n");
  t.f.type(bob, "three\n");
  t.f.chat->shutdown(t.f.now());
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 3u);
  BOOST_TEST(t.historyOf("general", "Carol") ==
             line("Alice", "one") + line("Bob", "two") + t.f.prompt("Carol"));
  BOOST_TEST(t.historyOf("dev", "Dave") == line("Bob", "three") + t.f.prompt("Dave"));
  // A second shutdown and restart still duplicates nothing.
  t.f.chat->shutdown(t.f.now());
  t.start();
  BOOST_TEST(t.chat_log->restoredMessages() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
