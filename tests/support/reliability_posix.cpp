// /proc readings and scratch directories for the reliability tests (Linux and other POSIX).
#include "support/reliability.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace rel {
namespace {

std::string procPath(const e2e::ServerProcess& server) {
  return "/proc/" + std::to_string(server.pid());
}

}  // namespace

std::optional<std::uint64_t> statusKiB(const e2e::ServerProcess& server, const char* field) {
  if (e2e::serverRunsUnderRunner()) return std::nullopt;
  std::ifstream status(procPath(server) + "/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(prefix, 0) == 0) return std::stoull(line.substr(prefix.size()));
  }
  return std::nullopt;
}

std::optional<std::size_t> openDescriptors(const e2e::ServerProcess& server) {
  if (e2e::serverRunsUnderRunner()) return std::nullopt;
  DIR* dir = ::opendir((procPath(server) + "/fd").c_str());
  if (dir == nullptr) return std::nullopt;
  std::size_t count = 0;
  while (const dirent* entry = ::readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  ::closedir(dir);
  return count;
}

TemporaryDirectory::TemporaryDirectory() {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir && *dir ? dir : "/tmp") + "/netcat-chat-rel-XXXXXX";
  if (::mkdtemp(path.data()) != nullptr) path_ = path;
}

TemporaryDirectory::~TemporaryDirectory() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace rel
