// Reads the server's lines for what the client must restore, and answers for the user while it
// comes back: its name at the prompt, then /join to its room.
#include "client/rejoin.hpp"

#include <algorithm>
#include <functional>

#include "chat/protocol.hpp"
#include "client/prompt_text.hpp"

namespace client {
namespace {

namespace protocol = chat::protocol;

// A wire string without its line end, as it shows as a line.
std::string_view lineOf(std::string_view wire) {
  while (!wire.empty() && wire.front() == '\n') wire.remove_prefix(1);
  while (!wire.empty() && wire.back() == '\n') wire.remove_suffix(1);
  return wire;
}

bool startsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Names and rooms are compared ignoring ASCII case, as the server compares them.
bool sameIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
           return lower(x) == lower(y);
         });
}

// The room of "You are now in <room>.", or empty.
std::string_view nowInRoom(std::string_view line) {
  if (!startsWith(line, protocol::kNowInRoomPrefix) || !endsWith(line, ".")) return {};
  return line.substr(protocol::kNowInRoomPrefix.size(),
                     line.size() - protocol::kNowInRoomPrefix.size() - 1);
}

// What the others' comings and goings look like; while the client waits for its /join to be
// answered, these belong to the room it is leaving.
bool isNoticeOfOthers(std::string_view line) {
  return endsWith(line, protocol::kJoinedSuffix) || endsWith(line, protocol::kLeftSuffix) ||
         line.find(protocol::kMovedMiddle) != std::string_view::npos ||
         line.find(protocol::kRenamedMiddle) != std::string_view::npos;
}

void appendLine(std::string_view line, std::string& out) {
  out.append(line.data(), line.size());
  out += '\n';
}

}  // namespace

std::int64_t RetrySchedule::waitMs(int failed) {
  if (failed < 0) failed = 0;
  if (failed > kDoublings) return kSteadyWaitMs;
  return kFirstWaitMs << failed;
}

bool ShownLines::seenBefore(std::string_view line) {
  const std::uint64_t hash = std::hash<std::string_view>()(line);
  if (!hashes_.insert(hash).second) return true;
  order_.push_back(hash);
  if (order_.size() > kMaxLines) {
    hashes_.erase(order_.front());
    order_.pop_front();
  }
  return false;
}

Rejoin::Rejoin(std::string default_room, std::string password)
    : default_room_(std::move(default_room)),
      room_(default_room_),
      password_(std::move(password)) {}

void Rejoin::fromServer(std::string_view bytes, std::int64_t now_ms, std::string& show,
                        std::string& reply) {
  bool passing = phase_ == Phase::Joining || phase_ == Phase::InChat;
  if (passing) show.append(bytes.data(), bytes.size());
  while (!bytes.empty()) {
    const std::size_t end = bytes.find('\n');
    const std::string_view piece = bytes.substr(0, end);
    if (!tail_broken_ && tail_.size() + piece.size() > kMaxTailBytes) {
      tail_broken_ = true;
      tail_.clear();
    }
    if (!tail_broken_) tail_.append(piece.data(), piece.size());
    if (end == std::string_view::npos) break;
    bytes.remove_prefix(end + 1);
    std::string line;
    line.swap(tail_);
    if (!tail_broken_) takeLine(line, now_ms, show, reply);
    tail_broken_ = false;
    if (!passing && phase_ == Phase::InChat) {  // back: the rest is the chat as it comes
      passing = true;
      show.append(bytes.data(), bytes.size());
    }
  }
  if (tail_broken_) return;
  if (passing) {
    followTail();
    if (phase_ == Phase::Joining && tail_ == protocol::kPasswordPrompt && !password_.empty()) {
      answerPassword(reply);
      show += '\n';  // as if typed without echo: the prompt ends, and the screen drops it
    }
  } else if (phase_ == Phase::Rejoining) {
    rejoinTail(show, reply);
  }
}

void Rejoin::takeLine(std::string_view line, std::int64_t now_ms, std::string& show,
                      std::string& reply) {
  if (phase_ == Phase::Joining || phase_ == Phase::InChat) {
    followLine(line);
  } else if (phase_ == Phase::Rejoining) {
    rejoinLine(line, now_ms, show, reply);
  }
}

// The chat as it comes: the name from the prompts that the server ends with its "\n", the room
// from the replies to /join, the history lines shown.
void Rejoin::followLine(std::string_view line) {
  if (isPrompt(line)) {
    const std::string_view name = chatPromptName(line);
    if (!name.empty()) {
      name_.assign(name);
      phase_ = Phase::InChat;
    }
    return;
  }
  const std::string_view text = withoutOwnPrompts(line);
  if (text == lineOf(protocol::kGoodbye)) {
    user_left_ = true;
  } else if (const std::string_view room = nowInRoom(text); !room.empty()) {
    room_.assign(room);
  } else if (isMessageLine(text)) {
    shown_.seenBefore(text);
  }
}

// A chat prompt at the end of what came: the name was accepted. Which name is read where the
// prompt is certain to be one (see lineSent), not here, where a message may be cut after `]:`.
void Rejoin::followTail() {
  const std::string_view name = chatPromptName(tail_);
  if (name.empty()) return;
  phase_ = Phase::InChat;
  if (name_.empty()) name_.assign(name);
}

void Rejoin::rejoinLine(std::string_view line, std::int64_t now_ms, std::string& show,
                        std::string& reply) {
  switch (step_) {
    case Step::AwaitPrompt:
      if (password_sent_ && line == lineOf(protocol::kWrongPassword)) {
        // The server's password changed while the client was away. Trying again would only
        // count as more wrong guesses, and soon lock this address out.
        giveUp("Cannot rejoin: " + std::string(line));
        return;
      }
      if (held_.size() + line.size() < kMaxHeldBytes) appendLine(line, held_);
      return;
    case Step::NameSent:
    case Step::NameTaken:
      if (line == lineOf(protocol::kNameTaken)) {
        step_ = Step::NameTaken;
        name_prompt_waiting_ = false;
        name_again_at_ = now_ms + kNameRetryMs;
        if (!said_taken_) {
          notices_.push_back("The name " + name_ +
                             " is still taken (the old connection may not have been given up "
                             "yet); trying again every " +
                             std::to_string(kNameRetryMs / 1000) + " s.");
        }
        said_taken_ = true;
      } else if (isPrompt(line)) {
        if (!chatPromptName(line).empty()) accepted(show, reply);
      } else if (isMessageLine(line)) {
        // The default room's history: the client's own room is shown once it is back there.
        if (room_ == default_room_) showHistoryLine(line, show);
      } else if (!line.empty()) {
        last_reply_.assign(line);
      }
      return;
    case Step::Moving: {
      const std::string_view text = withoutOwnPrompts(line);
      if (text.empty() || isMessageLine(text) || isNoticeOfOthers(text)) return;  // not the answer
      const std::string_view room = nowInRoom(text);
      room_.assign(room.empty() ? std::string_view(default_room_) : room);  // refused: stays
      appendLine(text, show);
      step_ = Step::Replaying;
      return;
    }
    case Step::Replaying: {
      const std::string_view text = withoutOwnPrompts(line);
      if (text.empty()) {
        if (!line.empty()) backInChat();  // its prompt, ended by an event's "\n"
      } else if (isMessageLine(text)) {
        showHistoryLine(text, show);
      } else {
        appendLine(text, show);
      }
      return;
    }
  }
}

void Rejoin::rejoinTail(std::string& show, std::string& reply) {
  const bool name_prompt = tail_ == protocol::kNamePrompt;
  switch (step_) {
    case Step::AwaitPrompt:
      if (tail_ == protocol::kPasswordPrompt) {
        if (password_.empty()) {
          giveUp(
              "Cannot rejoin: the server asks for a password now; start the client again to "
              "give it.");
          return;
        }
        held_.clear();  // the banner, shown in this run already
        answerPassword(reply);
      } else if (name_prompt) {
        held_.clear();
        sendName(reply);
      }
      return;
    case Step::NameSent:
      if (name_prompt) {
        giveUp("Cannot rejoin as " + name_ + ": " +
               (last_reply_.empty() ? "the server refused the name." : last_reply_));
      } else if (tailIsOwnPrompt()) {
        accepted(show, reply);
      }
      return;
    case Step::NameTaken:
      if (name_prompt) {
        tail_.clear();
        name_prompt_waiting_ = true;
      }
      return;
    case Step::Moving:
      return;
    case Step::Replaying:
      if (tailIsOwnPrompt()) {
        show += tail_;
        backInChat();
      }
      return;
  }
}

// The name was accepted (the server's chat prompt ends what came, or the history before it).
void Rejoin::accepted(std::string& show, std::string& reply) {
  if (!sameIgnoringCase(room_, default_room_)) {
    reply += "/join " + room_ + "\n";
    tail_.clear();  // the prompt is used up by the /join
    step_ = Step::Moving;
    return;
  }
  if (tailIsOwnPrompt()) show += tail_;
  backInChat();
}

void Rejoin::showHistoryLine(std::string_view line, std::string& show) {
  if (!shown_.seenBefore(line)) appendLine(line, show);
}

void Rejoin::sendName(std::string& reply) {
  reply += name_ + "\n";
  step_ = Step::NameSent;
  tail_.clear();
  last_reply_.clear();
}

void Rejoin::answerPassword(std::string& reply) {
  reply += password_ + "\n";
  password_sent_ = true;
  tail_.clear();
}

void Rejoin::giveUp(std::string why) {
  phase_ = Phase::GaveUp;
  notices_.push_back(std::move(why));
}

void Rejoin::backInChat() {
  phase_ = Phase::InChat;
  failed_ = 0;
  said_taken_ = false;
  held_.clear();
}

bool Rejoin::tailIsOwnPrompt() const { return sameIgnoringCase(chatPromptName(tail_), name_); }

// A reply that follows the client's own prompt on the same line: the server printed the prompt,
// then answered a line sent before it came (typed ahead, or a paste). The name prompt counts as
// its own too: a name typed before it came is answered right after it.
std::string_view Rejoin::withoutOwnPrompts(std::string_view line) const {
  std::size_t at = 0;
  for (;;) {
    const std::size_t end = promptEnd(line, at);
    if (end == std::string_view::npos) break;
    const std::string_view prompt = line.substr(at, end - at);
    const bool own = prompt == protocol::kNamePrompt ||
                     (!name_.empty() && sameIgnoringCase(chatPromptName(prompt), name_));
    if (!own) break;
    at = end;
  }
  return line.substr(at);
}

void Rejoin::passwordTyped(std::string password) {
  password_ = std::move(password);
  password_sent_ = true;
  tail_.clear();
}

bool Rejoin::awaitsPassword() const {
  return phase_ == Phase::Joining && !tail_broken_ && tail_ == protocol::kPasswordPrompt;
}

void Rejoin::lineSent() {
  const std::string_view name = chatPromptName(tail_);
  if (!name.empty()) name_.assign(name);
  tail_.clear();
}

bool Rejoin::connectionEnded(std::int64_t now_ms) {
  if (user_left_ || phase_ == Phase::Joining || phase_ == Phase::GaveUp) return false;
  if (phase_ == Phase::InChat) {
    const std::string_view name = chatPromptName(tail_);
    if (!name.empty()) name_.assign(name);
    failed_ = 0;
  } else {
    if (phase_ == Phase::Rejoining && step_ == Step::AwaitPrompt) {
      // Why this server would not take the client (chat full, too many from its address).
      std::string_view held = held_;
      while (!held.empty()) {
        const std::size_t end = held.find('\n');
        if (!held.substr(0, end).empty()) notices_.emplace_back(held.substr(0, end));
        held.remove_prefix(std::min(end + 1, held.size()));
      }
    }
    ++failed_;
  }
  phase_ = Phase::Away;
  next_try_ = now_ms + waitMs();
  tail_.clear();
  tail_broken_ = false;
  held_.clear();
  return true;
}

void Rejoin::connectFailed(std::int64_t now_ms) {
  ++failed_;
  next_try_ = now_ms + waitMs();
}

void Rejoin::connected() {
  phase_ = Phase::Rejoining;
  step_ = Step::AwaitPrompt;
  tail_.clear();
  tail_broken_ = false;
  held_.clear();
  name_prompt_waiting_ = false;
  password_sent_ = false;
}

void Rejoin::tick(std::int64_t now_ms, std::string& reply) {
  if (phase_ == Phase::Rejoining && step_ == Step::NameTaken && name_prompt_waiting_ &&
      now_ms >= name_again_at_) {
    name_prompt_waiting_ = false;
    sendName(reply);
  }
}

std::int64_t Rejoin::wakeAtMs() const {
  if (phase_ == Phase::Away) return next_try_;
  if (phase_ == Phase::Rejoining && step_ == Step::NameTaken && name_prompt_waiting_) {
    return name_again_at_;
  }
  return -1;
}

std::vector<std::string> Rejoin::takeNotices() {
  std::vector<std::string> taken;
  taken.swap(notices_);
  return taken;
}

std::string reconnectingLine(std::string_view target, std::int64_t wait_ms) {
  const std::int64_t seconds = (wait_ms + 999) / 1000;
  return "Reconnecting to " + std::string(target) + " in " + std::to_string(seconds) +
         " s (Ctrl-C to leave)";
}

}  // namespace client
