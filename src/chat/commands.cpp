// The commands of docs/PROTOCOL.md §7: one table from verbs to handlers, each handler one short
// function.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "chat/chat.hpp"
#include "chat/chat_state.hpp"
#include "chat/protocol.hpp"
#include "chat/text.hpp"

namespace chat {

namespace p = protocol;

struct Commands {
  using Client = Chat::Client;
  using Handler = void (*)(Chat& chat, Client& client, std::string_view argument, const Now& now);
  struct Row {
    std::string_view verb;
    Handler run;
  };

  static void help(Chat& chat, Client& client, std::string_view, const Now& now) {
    chat.queueWithPrompt(client, p::kHelp, now);
  }

  static void list(Chat& chat, Client& client, std::string_view, const Now& now) {
    const Chat::Room& room = *client.room;
    std::string reply(p::kOnlinePrefix);
    reply.append(std::to_string(room.members.size())).append("): ");
    for (std::size_t i = 0; i < room.members.size(); ++i) {
      if (i > 0) reply.append(", ");
      reply.append(room.members[i]->name);
    }
    reply.push_back('\n');
    chat.queueWithPrompt(client, reply, now);
  }

  static void rooms(Chat& chat, Client& client, std::string_view, const Now& now) {
    std::string reply(p::kRoomsPrefix);
    reply.append(std::to_string(chat.rooms_.size())).append("): ");
    for (std::size_t i = 0; i < chat.rooms_.size(); ++i) {
      const Chat::Room& room = *chat.rooms_[i];
      if (i > 0) reply.append(", ");
      reply.append(room.name).append(" (").append(std::to_string(room.members.size()));
      if (&room == client.room) reply.append(p::kYouAreHere);
      reply.append(")");
    }
    reply.push_back('\n');
    chat.queueWithPrompt(client, reply, now);
  }

  static void name(Chat& chat, Client& client, std::string_view argument, const Now& now) {
    std::string name;
    const std::string_view refusal = chat.refuseName(client, argument, name);
    if (!refusal.empty()) return chat.queueWithPrompt(client, refusal, now);
    if (name == client.name) {
      return chat.queueWithPrompt(client, replyNaming(p::kAlreadyCalledPrefix, client), now);
    }
    chat.rename(client, std::move(name), now);
    chat.queueWithPrompt(client, {}, now);
  }

  static void join(Chat& chat, Client& client, std::string_view argument, const Now& now) {
    std::string_view refusal;
    Chat::Room* target = chat.openRoom(argument, refusal);
    if (target == nullptr) return chat.queueWithPrompt(client, refusal, now);
    if (target == client.room) {
      std::string reply(p::kAlreadyInRoomPrefix);
      reply.append(client.room->name).append(".\n");
      return chat.queueWithPrompt(client, reply, now);
    }
    chat.events_.event(chat.describe(client) + " moves from " + client.room->name + " to " +
                       target->name);
    chat.leaveRoom(client, client.name + std::string(p::kMovedMiddle) + target->name + ".", now);
    chat.queue(client, std::string(p::kNowInRoomPrefix).append(target->name).append(".\n"));
    chat.enterRoom(client, *target, now);
  }

  static void quit(Chat& chat, Client& client, std::string_view, const Now&) {
    chat.quit(client, "quit");
  }

  static void msg(Chat& chat, Client& sender, std::string_view argument, const Now& now) {
    const std::string_view typed = trimLeft(argument);
    Client* recipient = typed.empty() ? nullptr : longestNameAtStart(chat, typed);
    if (typed.empty() || (recipient != nullptr && typed.size() <= recipient->name.size() + 1)) {
      return chat.queueWithPrompt(sender, p::kMsgUsage, now);
    }
    if (recipient == nullptr) return chat.queueWithPrompt(sender, p::kNoSuchName, now);
    std::string text;
    text::sanitizeMessage(typed.substr(recipient->name.size() + 1), text);
    if (text::isBlank(text)) return chat.queueWithPrompt(sender, p::kMsgUsage, now);
    if (recipient == &sender) return chat.queueWithPrompt(sender, p::kMsgToSelf, now);
    chat.whisper(sender, *recipient, text, now);
    std::string echo("[");
    echo.append(now.stamp).append(p::kPrivateToPrefix).append(recipient->name);
    echo.append(p::kPrivateMark).append(text).append("\n");
    chat.queueWithPrompt(sender, echo, now);
  }

  static void ignore(Chat& chat, Client& client, std::string_view argument, const Now& now) {
    std::string name;
    text::repairUtf8(text::trimBlanks(argument), name);
    if (name.empty()) return listIgnored(chat, client, now);
    Client* target = clientNamed(chat, name);
    if (target == nullptr) return chat.queueWithPrompt(client, p::kNoSuchName, now);
    if (target == &client) return chat.queueWithPrompt(client, p::kIgnoreSelf, now);
    if (Chat::ignoresClient(client, *target)) {
      return chat.queueWithPrompt(client, replyNaming(p::kAlreadyIgnoringPrefix, *target), now);
    }
    chat.events_.event(chat.describe(client) + " ignores " + chat.describe(*target));
    chat.startIgnoring(client, *target);
    chat.queueWithPrompt(client, replyNaming(p::kNowIgnoringPrefix, *target), now);
  }

  static void unignore(Chat& chat, Client& client, std::string_view argument, const Now& now) {
    std::string name;
    text::repairUtf8(text::trimBlanks(argument), name);
    if (name.empty()) return chat.queueWithPrompt(client, p::kUnignoreUsage, now);
    Client* target = clientNamed(chat, name);
    if (target == nullptr) return chat.queueWithPrompt(client, p::kNoSuchName, now);
    if (!Chat::ignoresClient(client, *target)) {
      return chat.queueWithPrompt(client, replyNaming(p::kNotIgnoringPrefix, *target), now);
    }
    chat.events_.event(chat.describe(client) + " no longer ignores " + chat.describe(*target));
    chat.stopIgnoring(client, *target);
    chat.queueWithPrompt(client, replyNaming(p::kNoLongerIgnoringPrefix, *target), now);
  }

  // --- helpers ---

  static void listIgnored(Chat& chat, Client& client, const Now& now) {
    if (client.ignoring.empty()) return chat.queueWithPrompt(client, p::kIgnoringNobody, now);
    std::vector<std::string> names;
    for (const Client* ignored : client.ignoring) names.push_back(ignored->name);
    std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
      return text::asciiLower(a) < text::asciiLower(b);
    });
    std::string reply(p::kIgnoringPrefix);
    reply.append(std::to_string(names.size())).append("): ");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i > 0) reply.append(", ");
      reply.append(names[i]);
    }
    reply.push_back('\n');
    chat.queueWithPrompt(client, reply, now);
  }

  static std::string replyNaming(std::string_view prefix, const Client& subject) {
    return std::string(prefix).append(subject.name).append(".\n");
  }

  static std::string_view trimLeft(std::string_view s) {
    const std::size_t start = s.find_first_not_of(" \t");
    return start == std::string_view::npos ? std::string_view() : s.substr(start);
  }

  // The named client whose name is the longest one `typed` starts with, followed by a space or
  // by nothing: names may hold spaces, so the longest reading is the one meant.
  static Client* longestNameAtStart(Chat& chat, std::string_view typed) {
    Client* best = nullptr;
    for (auto& [id, candidate] : chat.clients_) {
      const std::string& name = candidate->name;
      if (name.empty() || name.size() > typed.size()) continue;
      if (typed.size() > name.size() && typed[name.size()] != ' ') continue;
      if (!text::equalsIgnoringAsciiCase(typed.substr(0, name.size()), name)) continue;
      if (best == nullptr || name.size() > best->name.size()) best = candidate.get();
    }
    return best;
  }

  static Client* clientNamed(Chat& chat, std::string_view name) { return chat.clientNamed(name); }

  // Adding a command: one row here and one function above.
  static constexpr Row kTable[] = {
      {"/help", help}, {"/list", list},     {"/rooms", rooms},
      {"/name", name}, {"/join", join},     {"/quit", quit},
      {"/msg", msg},   {"/ignore", ignore}, {"/unignore", unignore},
  };
};

void Chat::handleCommand(Client& client, std::string_view command, const Now& now) {
  const std::size_t space = command.find_first_of(" \t");
  const std::string verb = text::asciiLower(command.substr(0, space));
  const std::string_view argument =
      space == std::string_view::npos ? std::string_view() : command.substr(space + 1);
  for (const Commands::Row& row : Commands::kTable) {
    if (row.verb == verb) return row.run(*this, client, argument, now);
  }
  queueWithPrompt(client, p::kUnknownCommand, now);
}

}  // namespace chat
