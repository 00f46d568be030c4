// An append-only file that writes each line through to the operating system before returning.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace net {

// Reads the first line of `path`, without its line end (LF or CRLF), reading at most two bytes
// past `max_bytes` (so a longer line comes back longer than `max_bytes`, cut there); false with
// the system's reason in `why`.
bool readFirstLine(const std::string& path, std::size_t max_bytes, std::string& line,
                   std::string& why);

// Whether every user of the machine may read `path`: POSIX's read bit for others. Windows keeps
// access in ACLs, which a file's owner sets with Explorer or icacls, so there it is always false.
// False with the system's reason in `why` when the file cannot be looked at.
bool readableByEveryone(const std::string& path, bool& everyone, std::string& why);

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
