// Reloading and appending the chat log; a line is on disk before anyone is sent its message.
#include "server/chat_log.hpp"

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <system_error>
#include <vector>

#include "chat/log_format.hpp"
#include "chat/protocol.hpp"

namespace server {
namespace {

namespace fs = std::filesystem;

struct RoomLines {
  std::deque<std::string> lines;
};

// Reads complete lines only; returns the size of the file's complete part.
bool readLog(const std::string& path, std::size_t history, std::vector<std::string>& order,
             std::map<std::string, RoomLines>& rooms, std::string& last_room,
             std::uintmax_t& complete_size, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = "cannot open it for reading";
    return false;
  }
  std::string room(chat::protocol::kDefaultRoom);
  std::string line;
  complete_size = 0;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no "\n": a line torn by a crash, never acknowledged to anyone
    complete_size += line.size() + 1;
    if (const auto marked = chat::log_format::markedRoom(line)) {
      room = std::string(*marked);
      continue;
    }
    if (!chat::log_format::isMessage(line)) continue;
    auto [it, fresh] = rooms.try_emplace(room);
    if (fresh) order.push_back(room);
    it->second.lines.push_back(line);
    if (it->second.lines.size() > history) it->second.lines.pop_front();
  }
  if (in.bad()) {
    why = "read error";
    return false;
  }
  last_room = room;
  return true;
}

}  // namespace

bool ChatLog::open(const std::string& path, chat::Chat& chat, std::size_t history,
                   std::string& why) {
  std::error_code error;
  if (fs::exists(path, error)) {
    std::vector<std::string> order;
    std::map<std::string, RoomLines> rooms;
    std::string last_room;
    std::uintmax_t complete_size = 0;
    if (!readLog(path, history, order, rooms, last_room, complete_size, why)) return false;
    const std::uintmax_t size = fs::file_size(path, error);
    if (!error && size > complete_size) fs::resize_file(path, complete_size, error);
    if (error) {
      why = "cannot cut off its torn last line: " + error.message();
      return false;
    }
    for (const std::string& room : order) {
      for (const std::string& line : rooms[room].lines) chat.restoreHistory(room, line);
      restored_ += rooms[room].lines.size();
    }
    chat.resumeJournal(last_room);
  }
  return file_.open(path, why);
}

bool ChatLog::append(std::string_view line, std::string& why) {
  line_.assign(line);
  line_.push_back('\n');
  return file_.write(line_, why);
}

}  // namespace server
