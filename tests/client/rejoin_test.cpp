// Unit tests of the client's rejoin policy: the server's text and the time in, what to show and
// what to answer out.
#include "client/rejoin.hpp"

#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "chat/protocol.hpp"
#include "client/prompt_text.hpp"

namespace {

using client::Rejoin;
using client::RetrySchedule;
using client::ShownLines;
namespace protocol = chat::protocol;

const std::string kTs = "[2026-01-02 03:04:05]";
const std::string kNamePrompt(protocol::kNamePrompt);
const std::string kPasswordPrompt(protocol::kPasswordPrompt);

std::string promptOf(const std::string& name) { return kTs + "[" + name + "]:"; }
std::string message(const std::string& name, const std::string& text, int second = 5) {
  return "[2026-01-02 03:04:" + std::string(second < 10 ? "0" : "") + std::to_string(second) +
         "][" + name + "]:" + text;
}

// A Rejoin and what it said, as the client's loop drives it.
struct Client {
  Client() = default;
  // With --password-file's `password`.
  explicit Client(std::string password) : rejoin("general", std::move(password)) {}

  Rejoin rejoin;
  std::string shown;
  std::string sent;
  std::int64_t now = 0;

  Client& server(const std::string& bytes) {
    rejoin.fromServer(bytes, now, shown, sent);
    return *this;
  }
  std::string takeShown() {
    std::string taken;
    taken.swap(shown);
    return taken;
  }
  std::string takeSent() {
    std::string taken;
    taken.swap(sent);
    return taken;
  }
  // Joins as `name` on the first connection, with `history` (lines) before the prompt.
  Client& join(const std::string& name, const std::string& history = "") {
    server(std::string(protocol::kWelcome) + kNamePrompt);
    rejoin.lineSent();  // the name, typed at the prompt
    server(history + promptOf(name));
    takeShown();
    return *this;
  }
  // Loses the connection, waits for the try and connects again.
  Client& comeBack() {
    takeShown();
    takeSent();
    BOOST_REQUIRE(rejoin.connectionEnded(now));
    now = rejoin.nextTryMs();
    BOOST_REQUIRE(rejoin.tryDue(now));
    rejoin.connected();
    return *this;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(client_rejoin)

BOOST_AUTO_TEST_CASE(waits_1_2_4_8_16_seconds_then_every_30) {
  const std::vector<std::int64_t> expected = {1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    BOOST_CHECK_EQUAL(RetrySchedule::waitMs(static_cast<int>(i)), expected[i]);
  }
  BOOST_CHECK_EQUAL(RetrySchedule::waitMs(1000000), 30000);
}

BOOST_AUTO_TEST_CASE(failed_tries_follow_the_schedule_and_reset_once_back) {
  Client c;
  c.join("Alice");
  c.now = 100000;
  BOOST_REQUIRE(c.rejoin.connectionEnded(c.now));
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::Away);
  BOOST_CHECK_EQUAL(c.rejoin.nextTryMs(), 101000);
  BOOST_CHECK(!c.rejoin.tryDue(100999));
  BOOST_CHECK(c.rejoin.tryDue(101000));
  BOOST_CHECK_EQUAL(c.rejoin.wakeAtMs(), 101000);
  std::int64_t at = 101000;
  for (const std::int64_t wait : {2000, 4000, 8000, 16000, 30000, 30000}) {
    c.rejoin.connectFailed(at);
    BOOST_CHECK_EQUAL(c.rejoin.waitMs(), wait);
    BOOST_CHECK_EQUAL(c.rejoin.nextTryMs(), at + wait);
    at += wait;
  }
  c.now = at;
  c.rejoin.connected();
  c.server(std::string(protocol::kWelcome) + kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_REQUIRE(c.rejoin.connectionEnded(c.now));
  BOOST_CHECK_EQUAL(c.rejoin.nextTryMs(), c.now + 1000);
}

BOOST_AUTO_TEST_CASE(passes_the_chat_through_unchanged) {
  Client c;
  const std::string bytes = std::string(protocol::kWelcome) + kNamePrompt;
  c.server(bytes);
  BOOST_CHECK_EQUAL(c.takeShown(), bytes);
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::Joining);
  c.server(message("Bob", "old") + "\n" + promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.rejoin.name(), "Alice");
  const std::string event = "\n" + message("Bob", "hi") + "\n" + promptOf("Alice");
  c.server(event.substr(0, 7)).server(event.substr(7));
  BOOST_CHECK_EQUAL(c.takeShown(), message("Bob", "old") + "\n" + promptOf("Alice") + event);
  BOOST_CHECK(c.takeSent().empty());
}

BOOST_AUTO_TEST_CASE(a_connection_refused_before_its_name_was_accepted_is_not_retried) {
  for (const std::string_view refusal :
       {protocol::kChatFull, protocol::kTooManyFromAddress, std::string_view("")}) {
    Client c;
    c.server(std::string(refusal));
    BOOST_CHECK(!c.rejoin.connectionEnded(0));
  }
  Client timed_out;
  timed_out.server(std::string(protocol::kWelcome) + kNamePrompt);
  timed_out.server(std::string(protocol::kNameTimedOut));
  BOOST_CHECK(!timed_out.rejoin.connectionEnded(0));
  Client taken;
  taken.server(std::string(protocol::kWelcome) + kNamePrompt);
  taken.server(std::string(protocol::kNameTaken) + kNamePrompt);
  BOOST_CHECK(!taken.rejoin.connectionEnded(0));
}

BOOST_AUTO_TEST_CASE(reads_the_room_and_the_history_after_a_name_typed_ahead) {
  Client c;
  c.rejoin.lineSent();  // the name, typed before the banner came
  c.server(std::string(protocol::kWelcome) + kNamePrompt + message("Bob", "old") + "\n" +
           promptOf("Alice"));
  c.rejoin.lineSent();  // "/join games", typed ahead too
  c.server("You are now in games.\n" + promptOf("Alice"));
  BOOST_CHECK_EQUAL(c.rejoin.room(), "games");
  BOOST_CHECK_EQUAL(c.rejoin.shown().size(), 1u);
}

BOOST_AUTO_TEST_CASE(the_user_saying_goodbye_is_not_retried) {
  Client c;
  c.join("Alice");
  c.rejoin.lineSent();
  c.server(std::string(protocol::kGoodbye));
  BOOST_CHECK(!c.rejoin.connectionEnded(0));
}

BOOST_AUTO_TEST_CASE(a_server_shutting_down_or_a_lost_connection_is_retried) {
  Client shutting;
  shutting.join("Alice");
  shutting.server(std::string(protocol::kShuttingDown));
  BOOST_CHECK(shutting.rejoin.connectionEnded(0));
  Client lost;
  lost.join("Alice");
  BOOST_CHECK(lost.rejoin.connectionEnded(0));
}

BOOST_AUTO_TEST_CASE(answers_the_name_prompt_with_its_name_and_shows_no_banner) {
  Client c;
  c.join("Alice").comeBack();
  c.server(std::string(protocol::kWelcome).substr(0, 100));
  c.server(std::string(protocol::kWelcome).substr(100) + "[ENTER YOUR");
  BOOST_CHECK(c.takeSent().empty());
  c.server(" NAME]: ");
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.takeShown(), promptOf("Alice"));
}

BOOST_AUTO_TEST_CASE(follows_a_name_changed_with_slash_name) {
  Client c;
  c.join("Alice");
  c.rejoin.lineSent();  // "/name Carol"
  c.server(promptOf("Carol"));
  c.comeBack();
  c.server(std::string(protocol::kWelcome) + kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Carol\n");
}

BOOST_AUTO_TEST_CASE(the_name_comes_from_prompts_not_from_a_message_cut_after_its_name) {
  Client c;
  c.join("Alice");
  c.server("\n" + message("Bob", "hi") + "\n" + promptOf("Alice"));
  c.server("\n" + kTs + "[Bob]:");  // a message of Bob's, cut by the reads
  c.server("hello\n" + promptOf("Alice") + "\n");
  BOOST_CHECK_EQUAL(c.rejoin.name(), "Alice");
  c.comeBack();
  c.server(kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
}

BOOST_AUTO_TEST_CASE(a_taken_name_is_tried_again_every_5_seconds_and_said_once) {
  Client c;
  c.join("Alice").comeBack();
  c.server(std::string(protocol::kWelcome) + kNamePrompt);
  BOOST_REQUIRE_EQUAL(c.takeSent(), "Alice\n");
  for (int round = 0; round < 3; ++round) {
    c.server(std::string(protocol::kNameTaken) + kNamePrompt);
    BOOST_CHECK_EQUAL(c.rejoin.wakeAtMs(), c.now + Rejoin::kNameRetryMs);
    c.rejoin.tick(c.now + Rejoin::kNameRetryMs - 1, c.sent);
    BOOST_CHECK(c.takeSent().empty());
    c.now += Rejoin::kNameRetryMs;
    c.rejoin.tick(c.now, c.sent);
    BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
    BOOST_CHECK_EQUAL(c.rejoin.wakeAtMs(), -1);
  }
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK(notices[0].find("Alice is still taken") != std::string::npos);
  BOOST_CHECK(notices[0].find("every 5 s") != std::string::npos);
  BOOST_CHECK(c.takeShown().empty());  // the server's refusals and prompts are not shown
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
}

BOOST_AUTO_TEST_CASE(a_name_refused_for_another_reason_gives_up) {
  Client c;
  c.join("Alice").comeBack();
  c.server(kNamePrompt);
  c.takeSent();
  c.server(std::string(protocol::kNameBadChars) + kNamePrompt);
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::GaveUp);
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK_EQUAL(
      notices[0],
      "Cannot rejoin as Alice: " +
          std::string(protocol::kNameBadChars).substr(0, protocol::kNameBadChars.size() - 1));
  BOOST_CHECK(!c.rejoin.connectionEnded(c.now));
  BOOST_CHECK(c.takeSent().empty());
}

BOOST_AUTO_TEST_CASE(returns_to_its_room_with_slash_join) {
  Client c;
  c.join("Alice");
  c.rejoin.lineSent();  // "/join games"
  c.server("You are now in games.\n" + message("Bob", "in games") + "\n" + promptOf("Alice"));
  BOOST_CHECK_EQUAL(c.rejoin.room(), "games");
  c.comeBack();
  c.server(std::string(protocol::kWelcome) + kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
  // The default room's history is not the client's: it is not shown.
  c.server(message("Eve", "in general") + "\n" + promptOf("Alice"));
  BOOST_CHECK_EQUAL(c.takeSent(), "/join games\n");
  BOOST_CHECK(!c.rejoin.inChat());
  // An event in general may come before the answer, and the answer then follows its prompt.
  c.server("\nEve has joined our chat...\n" + promptOf("Alice"));
  c.server("You are now in games.\n" + message("Bob", "in games") + "\n" +
           message("Bob", "while away", 9) + "\n" + promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.takeShown(), "You are now in games.\n" + message("Bob", "while away", 9) +
                                       "\n" + promptOf("Alice"));
}

BOOST_AUTO_TEST_CASE(a_refused_slash_join_leaves_it_in_the_default_room) {
  Client c;
  c.join("Alice");
  c.server("You are now in games.\n" + promptOf("Alice"));
  c.comeBack();
  c.server(kNamePrompt);
  c.takeSent();
  c.server(promptOf("Alice"));
  BOOST_CHECK_EQUAL(c.takeSent(), "/join games\n");
  c.server(std::string(protocol::kTooManyRooms) + promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.rejoin.room(), "general");
  BOOST_CHECK_EQUAL(c.takeShown(), std::string(protocol::kTooManyRooms) + promptOf("Alice"));
}

BOOST_AUTO_TEST_CASE(history_lines_shown_already_are_not_shown_again) {
  Client c;
  const std::string old1 = message("Bob", "one", 1);
  const std::string old2 = message("Bob", "two", 2);
  c.join("Alice", old1 + "\n" + old2 + "\n");
  c.server("\n" + message("Bob", "three", 3) + "\n" + promptOf("Alice"));
  c.comeBack();
  c.server(kNamePrompt);
  c.takeSent();
  const std::string away = message("Bob", "said while away", 8);
  c.server(old1 + "\n" + old2 + "\n" + message("Bob", "three", 3) + "\n" + away + "\n");
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.takeShown(), away + "\n" + promptOf("Alice"));
  // And once more: nothing shown twice over several restarts.
  c.comeBack();
  c.server(kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
  c.server(old1 + "\n" + away + "\n" + promptOf("Alice"));
  BOOST_CHECK_EQUAL(c.takeShown(), promptOf("Alice"));
}

BOOST_AUTO_TEST_CASE(an_event_right_after_the_prompt_passes_through_once_back) {
  Client c;
  c.join("Alice");
  c.comeBack();
  c.server(kNamePrompt);
  c.takeSent();
  const std::string event = "\n" + message("Bob", "just now", 9) + "\n" + promptOf("Alice");
  c.server(promptOf("Alice") + event);
  BOOST_CHECK(c.rejoin.inChat());
  BOOST_CHECK_EQUAL(c.takeShown(), message("Bob", "just now", 9) + "\n" + promptOf("Alice"));
}

BOOST_AUTO_TEST_CASE(a_server_that_refuses_the_new_connection_says_why_and_is_tried_again) {
  Client c;
  c.join("Alice").comeBack();
  c.server(std::string(protocol::kChatFull));
  BOOST_CHECK(c.takeShown().empty());
  BOOST_REQUIRE(c.rejoin.connectionEnded(c.now));
  BOOST_CHECK_EQUAL(c.rejoin.nextTryMs(), c.now + 2000);
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK_EQUAL(notices[0] + "\n", std::string(protocol::kChatFull));
}

BOOST_AUTO_TEST_CASE(remembers_a_bounded_number_of_lines) {
  ShownLines shown;
  for (std::size_t i = 0; i < ShownLines::kMaxLines + 10; ++i) {
    BOOST_CHECK(!shown.seenBefore("line " + std::to_string(i)));
  }
  BOOST_CHECK_EQUAL(shown.size(), ShownLines::kMaxLines);
  BOOST_CHECK(shown.seenBefore("line " + std::to_string(ShownLines::kMaxLines + 9)));
  BOOST_CHECK(!shown.seenBefore("line 0"));  // the oldest was forgotten
}

BOOST_AUTO_TEST_CASE(a_line_without_end_is_no_prompt_and_bounded) {
  Client c;
  c.join("Alice");
  c.server(std::string(Rejoin::kMaxTailBytes + 10, 'x'));
  c.server(promptOf("Bob") + "\n");  // the end of that long line, not a prompt of Bob's
  BOOST_CHECK_EQUAL(c.rejoin.name(), "Alice");
}

BOOST_AUTO_TEST_CASE(the_waiting_line_names_the_server_and_the_seconds) {
  BOOST_CHECK_EQUAL(client::reconnectingLine("example.org:8989", 4000),
                    "Reconnecting to example.org:8989 in 4 s (Ctrl-C to leave)");
  BOOST_CHECK_EQUAL(client::reconnectingLine("[::1]:2525", 30000),
                    "Reconnecting to [::1]:2525 in 30 s (Ctrl-C to leave)");
}

BOOST_AUTO_TEST_CASE(prompts_and_message_lines_are_told_apart) {
  BOOST_CHECK_EQUAL(client::chatPromptName(promptOf("Alice")), "Alice");
  BOOST_CHECK_EQUAL(client::chatPromptName(promptOf("Alice") + promptOf("Al ice")), "Al ice");
  BOOST_CHECK(client::chatPromptName(kNamePrompt).empty());
  BOOST_CHECK(client::chatPromptName(message("Bob", "hi")).empty());
  BOOST_CHECK(client::isMessageLine(message("Bob", "hi")));
  BOOST_CHECK(!client::isMessageLine(promptOf("Bob")));
  BOOST_CHECK(!client::isMessageLine(kTs + "[Bob][private]:hi"));
  BOOST_CHECK(!client::isMessageLine("Bob has joined our chat..."));
}

BOOST_AUTO_TEST_CASE(the_password_prompt_waits_for_a_secret_line) {
  Client c;
  c.server(std::string(protocol::kWelcome) + "[ENTER THE ");
  BOOST_CHECK(!c.rejoin.awaitsPassword());
  c.server("PASSWORD]: ");
  BOOST_CHECK(c.rejoin.awaitsPassword());
  BOOST_CHECK_EQUAL(c.takeShown(), std::string(protocol::kWelcome) + kPasswordPrompt);
  BOOST_CHECK(c.takeSent().empty());
  c.rejoin.passwordTyped("hunter2");
  BOOST_CHECK(!c.rejoin.awaitsPassword());
  c.server(kNamePrompt);
  BOOST_CHECK(!c.rejoin.awaitsPassword());
  BOOST_CHECK_EQUAL(c.takeShown(), kNamePrompt);
}

BOOST_AUTO_TEST_CASE(a_wrong_password_on_the_first_connection_is_not_retried) {
  Client c;
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  c.rejoin.passwordTyped("wrong");
  c.server(std::string(protocol::kWrongPassword));
  BOOST_CHECK(!c.rejoin.awaitsPassword());
  BOOST_CHECK_EQUAL(c.takeShown(), std::string(protocol::kWelcome) + kPasswordPrompt +
                                       std::string(protocol::kWrongPassword));
  BOOST_CHECK(!c.rejoin.connectionEnded(0));
  Client blocked;
  blocked.server(std::string(protocol::kTooManyWrongPasswords));
  BOOST_CHECK(!blocked.rejoin.connectionEnded(0));
}

BOOST_AUTO_TEST_CASE(the_password_of_a_file_answers_the_prompt_unseen) {
  Client c("hunter2");
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  BOOST_CHECK(!c.rejoin.awaitsPassword());
  BOOST_CHECK_EQUAL(c.takeSent(), "hunter2\n");
  // The prompt is ended as a line typed without echo would end it, so the screen drops it.
  BOOST_CHECK_EQUAL(c.takeShown(), std::string(protocol::kWelcome) + kPasswordPrompt + "\n");
  c.server(kNamePrompt);
  BOOST_CHECK(c.takeSent().empty());
  BOOST_CHECK_EQUAL(c.takeShown(), kNamePrompt);
  c.rejoin.lineSent();
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
}

BOOST_AUTO_TEST_CASE(the_password_of_a_file_goes_to_the_password_prompt_only) {
  Client c("hunter2");
  c.server(std::string(protocol::kWelcome) + kNamePrompt);
  BOOST_CHECK(c.takeSent().empty());
  c.rejoin.lineSent();
  c.server("[2026-01-02 03:04:05][ENTER THE PASSWORD]:");
  BOOST_CHECK(c.takeSent().empty());
}

BOOST_AUTO_TEST_CASE(reconnecting_answers_with_the_typed_password_then_the_name) {
  Client c;
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  c.rejoin.passwordTyped("hunter2");
  c.server(kNamePrompt);
  c.rejoin.lineSent();
  c.server(message("Bob", "old") + "\n" + promptOf("Alice"));
  BOOST_REQUIRE(c.rejoin.inChat());
  for (int round = 0; round < 2; ++round) {
    c.comeBack();
    c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
    BOOST_CHECK_EQUAL(c.takeSent(), "hunter2\n");
    c.server(kNamePrompt);
    BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
    c.server(message("Bob", "old") + "\n" + message("Bob", "new", round + 6) + "\n" +
             promptOf("Alice"));
    BOOST_CHECK(c.rejoin.inChat());
    // Neither the banner nor the prompts show again; only what was said while away.
    BOOST_CHECK_EQUAL(c.takeShown(), message("Bob", "new", round + 6) + "\n" + promptOf("Alice"));
  }
}

BOOST_AUTO_TEST_CASE(reconnecting_answers_with_the_password_of_a_file) {
  Client c("hunter2");
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  c.takeSent();
  c.server(kNamePrompt);
  c.rejoin.lineSent();
  c.server(promptOf("Alice"));
  c.comeBack();
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "hunter2\n");
  c.server(kNamePrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "Alice\n");
  c.server(promptOf("Alice"));
  BOOST_CHECK(c.rejoin.inChat());
}

BOOST_AUTO_TEST_CASE(a_password_refused_on_reconnecting_ends_the_client_without_more_guesses) {
  Client c;
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  c.rejoin.passwordTyped("old password");
  c.server(kNamePrompt);
  c.rejoin.lineSent();
  c.server(promptOf("Alice"));
  c.comeBack();
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  BOOST_CHECK_EQUAL(c.takeSent(), "old password\n");
  c.server(std::string(protocol::kWrongPassword));
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::GaveUp);
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK_EQUAL(notices[0], "Cannot rejoin: Wrong password.");
  BOOST_CHECK(!c.rejoin.connectionEnded(c.now));
  BOOST_CHECK(c.takeShown().find("old password") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_server_that_asks_for_a_password_only_now_ends_the_client) {
  Client c;
  c.join("Alice");
  c.comeBack();
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt);
  BOOST_CHECK(c.takeSent().empty());
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::GaveUp);
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK_NE(notices[0].find("asks for a password now"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_address_blocked_while_reconnecting_is_tried_again_later) {
  Client c("hunter2");
  c.server(std::string(protocol::kWelcome) + kPasswordPrompt).server(kNamePrompt);
  c.rejoin.lineSent();
  c.server(promptOf("Alice"));
  c.comeBack();
  c.server(std::string(protocol::kTooManyWrongPasswords));
  BOOST_CHECK(c.takeSent().empty());
  BOOST_REQUIRE(c.rejoin.connectionEnded(c.now));
  const std::vector<std::string> notices = c.rejoin.takeNotices();
  BOOST_REQUIRE_EQUAL(notices.size(), 1u);
  BOOST_CHECK_EQUAL(notices[0] + "\n", std::string(protocol::kTooManyWrongPasswords));
  BOOST_CHECK(c.rejoin.phase() == Rejoin::Phase::Away);
}

BOOST_AUTO_TEST_SUITE_END()
