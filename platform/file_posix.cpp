// File permissions as POSIX keeps them.
#include "file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace net {

bool readableByEveryone(const std::string& path, bool& everyone, std::string& why) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    why = std::strerror(errno);
    return false;
  }
  everyone = (info.st_mode & S_IROTH) != 0;
  return true;
}

}  // namespace net
