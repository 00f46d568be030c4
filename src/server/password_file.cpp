// Loading --password-file, with a reason for every refusal.
#include "server/password_file.hpp"

#include "chat/password.hpp"
#include "file.hpp"

namespace server {

bool loadPassword(const std::string& path, bool private_only, std::string& password,
                  std::string& why) {
  std::string reason;
  if (!net::readFirstLine(path, chat::kMaxPasswordBytes, password, reason)) {
    why = "cannot read the password file " + path + ": " + reason;
    return false;
  }
  if (password.empty()) {
    why = "the password file " + path + " has an empty first line; the password is that line";
    return false;
  }
  if (password.size() > chat::kMaxPasswordBytes) {
    why = "the password in " + path + " is longer than " + std::to_string(chat::kMaxPasswordBytes) +
          " bytes";
    return false;
  }
  bool everyone = false;
  if (private_only && !net::readableByEveryone(path, everyone, reason)) {
    why = "cannot read the password file " + path + ": " + reason;
    return false;
  }
  if (everyone) {
    why = "every user of this machine may read the password file " + path +
          "; make it private first: chmod o-r " + path;
    return false;
  }
  return true;
}

}  // namespace server
