// A chat with recording sinks and a hand-driven clock, for testing chat rules without sockets.
#pragma once

#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chat/chat.hpp"

namespace chat_test {

struct RecordingLog : chat::EventLog {
  void event(std::string_view text) override { lines.emplace_back(text); }
  std::vector<std::string> lines;
};

struct RecordingJournal : chat::Journal {
  bool append(std::string_view line, std::string& why) override {
    if (failing) {
      why = "No space left on device";
      return false;
    }
    lines.emplace_back(line);
    return true;
  }
  std::vector<std::string> lines;
  bool failing = false;
};

inline constexpr std::string_view kStamp = "2020-01-20 15:48:41";

// `settings` with flood control off, for tests in which one client sends more than a burst of
// lines in one instant of the fake clock and flooding is not what they check.
inline chat::Settings unthrottled(chat::Settings settings = {}) {
  settings.rate = 0;
  return settings;
}

struct ChatFixture {
  explicit ChatFixture(chat::Settings settings = {}) { restart(settings); }

  void restart(chat::Settings settings) {
    chat = std::make_unique<chat::Chat>(settings, log, &journal);
  }

  chat::Now now() const { return chat::Now{ms, stamp}; }

  // Connects a client and reads its banner; fails the test if the chat refuses it.
  chat::ClientId open() {
    const chat::ClientId id = next_id++;
    BOOST_REQUIRE(chat->connect(id, "127.0.0.1:" + std::to_string(40000 + id), now()));
    drain(id);
    return id;
  }

  // Everything queued for the client, as if the socket took it all.
  std::string drain(chat::ClientId id) {
    std::string out(chat->pending(id));
    chat->sent(id, out.size(), now());
    // History streams in as the client reads: keep reading until nothing more comes.
    for (std::string_view more = chat->pending(id); !more.empty(); more = chat->pending(id)) {
      out.append(more);
      chat->sent(id, more.size(), now());
    }
    return out;
  }

  void type(chat::ClientId id, std::string_view bytes) { chat->receive(id, bytes, now()); }

  // Connects, names and drains a client.
  chat::ClientId join(const std::string& name) {
    const chat::ClientId id = open();
    type(id, name + "\n");
    drain(id);
    BOOST_REQUIRE_EQUAL(chat->nameOf(id), name);
    return id;
  }

  std::string prompt(std::string_view name) const {
    return "[" + stamp + "][" + std::string(name) + "]:";
  }

  RecordingLog log;
  RecordingJournal journal;
  std::unique_ptr<chat::Chat> chat;
  std::int64_t ms = 1000;
  std::string stamp{kStamp};
  chat::ClientId next_id = 1;
};

}  // namespace chat_test
