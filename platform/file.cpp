// AppendFile with C stdio, which behaves alike on POSIX and Windows; errno stays in platform/.
#include "file.hpp"

#include <cerrno>
#include <cstring>

namespace net {

bool readFirstLine(const std::string& path, std::size_t max_bytes, std::string& line,
                   std::string& why) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    why = std::strerror(errno);
    return false;
  }
  line.clear();
  int c = 0;
  // One byte more than the bound for a CR before the LF, and one more again to tell a line that
  // is too long: so a line of exactly `max_bytes` ends the same with LF or CRLF.
  while (line.size() <= max_bytes + 1 && (c = std::fgetc(file)) != EOF && c != '\n') {
    line.push_back(static_cast<char>(c));
  }
  const bool failed = std::ferror(file) != 0;
  if (failed) why = std::strerror(errno);
  std::fclose(file);
  if (!line.empty() && line.back() == '\r' && c == '\n') line.pop_back();
  return !failed;
}

AppendFile::~AppendFile() {
  if (file_ != nullptr) std::fclose(file_);
}

bool AppendFile::open(const std::string& path, std::string& why) {
  // Binary mode: the log's line endings are "\n" on every platform.
  file_ = std::fopen(path.c_str(), "ab");
  if (file_ == nullptr) {
    why = std::strerror(errno);
    return false;
  }
  return true;
}

bool AppendFile::write(std::string_view bytes, std::string& why) {
  errno = 0;
  if (file_ == nullptr) {
    why = "file is not open";
    return false;
  }
  const bool ok =
      std::fwrite(bytes.data(), 1, bytes.size(), file_) == bytes.size() && std::fflush(file_) == 0;
  if (!ok) {
    why = errno != 0 ? std::strerror(errno) : "write failed";
    std::clearerr(file_);
  }
  return ok;
}

}  // namespace net
