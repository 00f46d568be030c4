// When and how the terminal client comes back after losing the chat (docs/PROTOCOL.md §14.3):
// the waits between tries, the answers to the name prompt and the room, the lines already shown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace client {

// The wait before each try: 1, 2, 4, 8 and 16 s, then 30 s between tries. A restarting server
// (an upgrade) is back within seconds, and the first tries find it soon; a server that is down
// for long is asked twice a minute, which costs it nothing.
class RetrySchedule {
 public:
  static constexpr std::int64_t kFirstWaitMs = 1000;
  static constexpr int kDoublings = 4;  // 1 s doubled four times is the last doubled wait, 16 s
  static constexpr std::int64_t kSteadyWaitMs = 30000;

  // The wait before the next try when `failed` tries have failed since the chat was lost.
  static std::int64_t waitMs(int failed);
};

// History lines (chat messages) shown in this run, so that the history a server replays to the
// returning client shows only what was said while it was away.
class ShownLines {
 public:
  // Twice the server's default --history (10,000 messages per room): a replay of a full default
  // history is still recognised after as many lines again arrived live. Each line is kept as a
  // 64-bit hash (about 50 bytes with the set's overhead, 1 MB in all); a clash of two hashes,
  // about one in 10^10 for a full set, would hide one line.
  static constexpr std::size_t kMaxLines = 20000;

  // Whether `line` was shown before; it counts as shown from now on.
  bool seenBefore(std::string_view line);
  std::size_t size() const { return order_.size(); }

 private:
  std::unordered_set<std::uint64_t> hashes_;
  std::deque<std::uint64_t> order_;  // oldest first, to forget the oldest beyond kMaxLines
};

// Follows one terminal client through the connections of a run: reads the server's text for the
// name, the room and the lines shown; decides whether a lost connection is tried again and when;
// on a new connection answers the password and name prompts and returns to the room, showing
// nothing of that but what is new. No sockets, no clock: the loop passes the time in
// milliseconds.
class Rejoin {
 public:
  // A taken name is tried again this often: the server frees the name of a connection it finds
  // dead within 2x--keepalive, and an old connection that ended cleanly has freed it at once.
  static constexpr std::int64_t kNameRetryMs = 5000;
  // Lines before the name prompt on a new connection (the banner, or why it was refused) kept to
  // show when the connection ends there; the banner is under 1 KiB.
  static constexpr std::size_t kMaxHeldBytes = 16 * 1024;
  // The server's unfinished line as followed here; prompts are short, and a longer line is no
  // prompt (the screen shows it as it is).
  static constexpr std::size_t kMaxTailBytes = 64 * 1024;

  enum class Phase {
    Joining,    // the first connection, before a name was accepted: nothing is retried
    InChat,     // in the chat: the server's bytes go to the screen as they are
    Away,       // the connection was lost; the next try is due at nextTryMs()
    Rejoining,  // connected again, answering for the user until back in the chat
    GaveUp,     // the server refused the name for good; the client ends
  };

  // `default_room` is where the server puts a newcomer; `password`, when not empty, answers the
  // password prompt of every connection (--password-file), so the user is never asked.
  explicit Rejoin(std::string default_room = "general", std::string password = {});

  // Bytes from the server on the current connection. Appends to `show` what the screen should
  // get, and to `reply` what to send to the server now.
  void fromServer(std::string_view bytes, std::int64_t now_ms, std::string& show,
                  std::string& reply);
  // The user sent a line at the server's prompt (in the chat only): that prompt is used up.
  void lineSent();
  // The user typed the password at the password prompt (see awaitsPassword): that prompt is used
  // up, and the password answers the prompt again on every reconnection.
  void passwordTyped(std::string password);
  // The first connection waits for the user to type the password: the line is a secret.
  bool awaitsPassword() const;
  // The connection ended without the user leaving through the client (Ctrl-C, Ctrl-D). Returns
  // whether the client tries again (then Away) or ends as before.
  bool connectionEnded(std::int64_t now_ms);
  // The try due at nextTryMs() could not connect.
  void connectFailed(std::int64_t now_ms);
  // The try connected: the server's banner and name prompt come next.
  void connected();
  // Appends to `reply` what is due at `now_ms` (the name again after kNameRetryMs).
  void tick(std::int64_t now_ms, std::string& reply);

  Phase phase() const { return phase_; }
  bool inChat() const { return phase_ == Phase::InChat; }
  bool tryDue(std::int64_t now_ms) const { return phase_ == Phase::Away && now_ms >= next_try_; }
  std::int64_t nextTryMs() const { return next_try_; }
  // The wait before the try now scheduled, for the message that announces it.
  std::int64_t waitMs() const { return RetrySchedule::waitMs(failed_); }
  // When tick() or a try is due next; -1 when nothing is.
  std::int64_t wakeAtMs() const;
  // Lines of the client's own to show (why a try waits, why it gave up), oldest first.
  std::vector<std::string> takeNotices();

  const std::string& name() const { return name_; }
  const std::string& room() const { return room_; }
  const ShownLines& shown() const { return shown_; }

 private:
  enum class Step { AwaitPrompt, NameSent, NameTaken, Moving, Replaying };

  void takeLine(std::string_view line, std::int64_t now_ms, std::string& show, std::string& reply);
  void followLine(std::string_view line);
  void followTail();
  void rejoinLine(std::string_view line, std::int64_t now_ms, std::string& show,
                  std::string& reply);
  void rejoinTail(std::string& show, std::string& reply);
  void accepted(std::string& show, std::string& reply);
  void showHistoryLine(std::string_view line, std::string& show);
  void sendName(std::string& reply);
  void answerPassword(std::string& reply);
  void giveUp(std::string why);
  void backInChat();
  bool tailIsOwnPrompt() const;
  std::string_view withoutOwnPrompts(std::string_view line) const;

  std::string default_room_;
  Phase phase_ = Phase::Joining;
  Step step_ = Step::AwaitPrompt;
  std::string name_;
  std::string room_;
  // Kept in memory only, never shown nor logged: it answers the prompt of each new connection.
  std::string password_;
  bool password_sent_ = false;  // on this connection
  bool user_left_ = false;      // the server said goodbye to a /quit
  int failed_ = 0;              // tries since the chat was lost
  std::int64_t next_try_ = 0;
  std::int64_t name_again_at_ = 0;
  bool name_prompt_waiting_ = false;  // the prompt after "Name is already taken." has come
  bool said_taken_ = false;
  std::string tail_;          // the server's unfinished line
  bool tail_broken_ = false;  // the tail outgrew kMaxTailBytes: not a prompt, ignored to its end
  std::string held_;          // lines before the name prompt of a new connection
  std::string last_reply_;    // the last line after the name was sent, to say why it failed
  std::vector<std::string> notices_;
  ShownLines shown_;
};

// The line shown while the client waits, e.g. "Reconnecting to example.org:8989 in 4 s (Ctrl-C
// to leave)"; `target` as describeTarget() names it.
std::string reconnectingLine(std::string_view target, std::int64_t wait_ms);

}  // namespace client
