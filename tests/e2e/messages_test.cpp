// End-to-end checks of talking and leaving (docs/PROTOCOL.md §5–§6): message format, stamping,
// order, leaves.
#include <ctime>
#include <map>

#include "e2e/fixture.hpp"

namespace e2e {
namespace {

struct Event {
  std::string who;
  std::string what;  // message text, or "+" for a join
  bool operator==(const Event& other) const { return who == other.who && what == other.what; }
  bool operator!=(const Event& other) const { return !(*this == other); }
};

std::ostream& operator<<(std::ostream& out, const Event& event) {
  return out << event.who << ":" << event.what;
}

// Parses a chat line with its timestamp masked, `[<ts>][name]:text`.
bool parseChatLine(std::string_view line, Event& event) {
  const std::string head = "[" + std::string(kTs) + "][";
  const std::size_t close = line.find("]:", head.size());
  if (line.compare(0, head.size(), head) != 0 || close == std::string_view::npos) return false;
  event.who = std::string(line.substr(head.size(), close - head.size()));
  event.what = std::string(line.substr(close + 2));
  return true;
}

// The chat events in what `me` received: live messages and join notices, in order. Every unit
// the server sends ends with `me`'s prompt; the text before it is empty (after `me`'s own line)
// or one framed event, "\n<event>\n".
std::vector<Event> liveEvents(const std::string& received, const std::string& me) {
  static constexpr std::string_view kJoined = " has joined our chat...";
  const std::string text = maskTimestamps(received);
  const std::string own_prompt = prompt(me);
  std::vector<Event> events;
  std::size_t from = 0;
  for (std::size_t at = text.find(own_prompt); at != std::string::npos;
       at = text.find(own_prompt, from)) {
    std::string_view unit(text.data() + from, at - from);
    from = at + own_prompt.size();
    if (unit.size() < 2 || unit.front() != '\n' || unit.back() != '\n') continue;
    unit = unit.substr(1, unit.size() - 2);
    Event event;
    if (parseChatLine(unit, event)) {
      events.push_back(event);
    } else if (unit.size() > kJoined.size() &&
               unit.substr(unit.size() - kJoined.size()) == kJoined) {
      events.push_back({std::string(unit.substr(0, unit.size() - kJoined.size())), "+"});
    }
  }
  return events;
}

// The messages in a history replay: one `[<ts>][name]:text` line each.
std::vector<Event> historyEvents(const std::string& replay) {
  std::vector<Event> events;
  for (const std::string& line : splitLines(maskTimestamps(replay))) {
    Event event;
    if (parseChatLine(line, event)) events.push_back(event);
  }
  return events;
}

std::vector<Event> without(const std::vector<Event>& events, const std::string& who) {
  std::vector<Event> kept;
  for (const Event& event : events) {
    if (event.who != who) kept.push_back(event);
  }
  return kept;
}

std::vector<Event> messagesOnly(const std::vector<Event>& events) {
  std::vector<Event> kept;
  for (const Event& event : events) {
    if (event.what != "+") kept.push_back(event);
  }
  return kept;
}

// A newcomer's view: replayed history, its prompt, then live events.
std::vector<Event> newcomerEvents(const std::string& received, const std::string& me) {
  const std::size_t name_at = received.find("][" + me + "]:");
  if (name_at == std::string::npos || name_at < kTimestampLength + 1) return {};
  const std::size_t prompt_at = name_at - kTimestampLength - 1;
  std::vector<Event> events = historyEvents(received.substr(0, prompt_at));
  const std::vector<Event> live = liveEvents(received.substr(prompt_at), me);
  events.insert(events.end(), live.begin(), live.end());
  return events;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(e2e_messages)

BOOST_AUTO_TEST_CASE(message_reaches_every_other_client_and_sender_gets_only_a_prompt) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient& bob = server.join("Bob");
  ChatClient& carol = server.join("Carol");
  BOOST_REQUIRE(alice.send("Hello, world!\n"));
  CHECK_RECEIVES(alice, "[<ts>][Alice]:");
  CHECK_RECEIVES(bob, "\n[<ts>][Alice]:Hello, world!\n[<ts>][Bob]:");
  CHECK_RECEIVES(carol, "\n[<ts>][Alice]:Hello, world!\n[<ts>][Carol]:");
  server.say("Carol", "and back");
}

BOOST_AUTO_TEST_CASE(message_is_stamped_once_with_the_local_time) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  ChatClient& bob = server.join("Bob");
  ChatClient& carol = server.join("Carol");
  const std::string before = net::localTimestamp(std::time(nullptr));
  BOOST_REQUIRE(alice.send("what time is it\n"));
  const std::string at_bob = bob.readUntil("[Bob]:");
  const std::string at_carol = carol.readUntil("[Carol]:");
  const std::string after = net::localTimestamp(std::time(nullptr));
  alice.readUntil("[Alice]:");
  const std::vector<std::string> bob_stamps = timestampsIn(at_bob);
  const std::vector<std::string> carol_stamps = timestampsIn(at_carol);
  BOOST_REQUIRE_EQUAL(bob_stamps.size(), 2u);
  BOOST_REQUIRE_EQUAL(carol_stamps.size(), 2u);
  BOOST_CHECK_EQUAL(bob_stamps[0], carol_stamps[0]);
  BOOST_CHECK_MESSAGE(before <= bob_stamps[0] && bob_stamps[0] <= after,
                      bob_stamps[0] << " is not between " << before << " and " << after);
}

BOOST_AUTO_TEST_CASE(empty_line_is_not_broadcast_and_sender_gets_a_prompt) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  BOOST_REQUIRE(alice.send("\n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  // Bob's next bytes must be this message, not an empty one.
  server.say("Alice", "after the empty line");
}

BOOST_AUTO_TEST_CASE(line_of_only_spaces_or_tabs_is_not_broadcast) {
  ChatServer server;
  ChatClient& alice = server.join("Alice");
  server.join("Bob");
  BOOST_REQUIRE(alice.send("     \n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  BOOST_REQUIRE(alice.send(" \t\t \n"));
  CHECK_RECEIVES(alice, prompt("Alice"));
  server.say("Alice", "after the blank lines");
}

BOOST_AUTO_TEST_CASE(inner_spaces_of_a_message_are_kept) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.say("Alice", "a  b   c");
}

BOOST_AUTO_TEST_CASE(end_of_stream_is_announced_as_a_leave) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.join("Carol");
  server.leave("Bob");
  server.say("Alice", "Bob is gone");
}

BOOST_AUTO_TEST_CASE(connection_reset_is_announced_as_a_leave) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.join("Carol");
  server.leave("Bob", true);
  server.say("Carol", "Bob vanished");
}

BOOST_AUTO_TEST_CASE(half_close_is_announced_as_a_leave) {
  ChatServer server;
  server.join("Alice");
  ChatClient& bob = server.join("Bob");
  bob.shutdownWrite();
  CHECK_RECEIVES(server.member("Alice"), leaveNoticeTo("Alice", "Bob"));
}

BOOST_AUTO_TEST_CASE(client_leaving_at_the_name_prompt_is_not_announced) {
  ChatServer server;
  auto stranger = server.connect();
  server.join("Alice");
  server.join("Bob");
  stranger->close();
  auto resetter = server.connect();
  resetter->reset();
  server.say("Bob", "nobody left");
}

BOOST_AUTO_TEST_CASE(clients_keep_talking_after_others_leave) {
  ChatServer server;
  server.join("Alice");
  server.join("Bob");
  server.join("Carol");
  server.join("Dave");
  server.leave("Alice");
  server.leave("Carol", true);
  server.say("Bob", "still here");
  server.say("Dave", "me too");
  server.join("Erin", historyLine("Bob", "still here") + historyLine("Dave", "me too"));
}

BOOST_AUTO_TEST_CASE(all_clients_see_concurrent_events_in_the_same_order) {
  constexpr int kRounds = 40;
  const std::vector<std::string> names{"A", "B", "C", "D"};
  // Each client sends its 40 lines at once, past the flood allowance; the order is what counts.
  ChatServer server({"--rate", "0"});
  for (const std::string& name : names) server.join(name);
  std::unique_ptr<ChatClient> erin;
  // Interleaved writes without reading, so the server has several clients ready at once; Erin
  // joins in the middle of it.
  for (int round = 0; round < kRounds; ++round) {
    for (const std::string& name : names) {
      BOOST_REQUIRE(server.member(name).send(name + std::to_string(round) + "\n"));
    }
    if (round == kRounds / 2) {
      erin = server.connect();
      BOOST_REQUIRE(erin->send("Erin\n"));
    }
  }
  const std::size_t all_messages = names.size() * kRounds;
  std::map<std::string, std::vector<Event>> seen;
  for (const std::string& name : names) {
    const std::size_t expected = all_messages - kRounds + 1;  // the others' messages and Erin
    const std::string received = server.member(name).readUntil([&](std::string_view bytes) {
      return liveEvents(std::string(bytes), name).size() >= expected ? bytes.size()
                                                                     : std::string_view::npos;
    });
    seen[name] = liveEvents(received, name);
    BOOST_CHECK_EQUAL(seen[name].size(), expected);
  }
  const std::string at_erin = erin->readUntil([&](std::string_view bytes) {
    return newcomerEvents(std::string(bytes), "Erin").size() >= all_messages
               ? bytes.size()
               : std::string_view::npos;
  });
  seen["Erin"] = newcomerEvents(at_erin, "Erin");
  BOOST_CHECK_EQUAL(seen["Erin"].size(), all_messages);
  for (const std::string& name : names) {
    for (const std::string& other : names) {
      BOOST_TEST_CONTEXT(name << " and " << other) {
        const std::vector<Event> mine = without(without(seen[name], other), name);
        const std::vector<Event> theirs = without(without(seen[other], other), name);
        BOOST_CHECK_EQUAL_COLLECTIONS(mine.begin(), mine.end(), theirs.begin(), theirs.end());
      }
    }
    BOOST_TEST_CONTEXT(name << " and Erin") {
      const std::vector<Event> mine = messagesOnly(seen[name]);
      const std::vector<Event> erins = without(seen["Erin"], name);
      BOOST_CHECK_EQUAL_COLLECTIONS(mine.begin(), mine.end(), erins.begin(), erins.end());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace e2e
