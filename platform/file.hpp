// An append-only file that writes each line through to the operating system before returning.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace net {

class AppendFile {
 public:
  AppendFile() = default;
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Opens (creating) `path` for appending; false with the system's reason in `why`.
  bool open(const std::string& path, std::string& why);
  // Writes and flushes `bytes`; false with the system's reason in `why`.
  bool write(std::string_view bytes, std::string& why);

 private:
  std::FILE* file_ = nullptr;
};

}  // namespace net
