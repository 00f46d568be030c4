// Reads the first line of --password-file, no more of the file than a password can take.
#include "client/password_file.hpp"

#include <fstream>

namespace client {

bool passwordFromText(std::string_view text, std::string& password, std::string& why) {
  std::string_view line = text.substr(0, text.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) {
    why = "its first line is empty";
    return false;
  }
  if (line.size() > kMaxPasswordBytes) {
    why = "its first line is longer than " + std::to_string(kMaxPasswordBytes) + " bytes";
    return false;
  }
  password.assign(line);
  return true;
}

bool readPasswordFile(const std::string& path, std::string& password, std::string& why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = "cannot open it for reading";
    return false;
  }
  // The longest password, its "\r\n", and one byte more to tell a longer line apart.
  constexpr std::size_t kEnough = kMaxPasswordBytes + 3;
  std::string start(kEnough, '\0');
  in.read(start.data(), static_cast<std::streamsize>(start.size()));
  if (in.bad()) {
    why = "cannot read it";
    return false;
  }
  start.resize(static_cast<std::size_t>(in.gcount()));
  return passwordFromText(start, password, why);
}

}  // namespace client
