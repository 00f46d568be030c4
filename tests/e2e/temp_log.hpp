// A --log file name of a test's own in the temporary directory, removed when the test ends.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <system_error>

namespace e2e {

struct TempLog {
  TempLog() {
    std::random_device random;
    path =
        (std::filesystem::temp_directory_path() /
         ("netcat-chat-e2e-" + std::to_string(random()) + "-" + std::to_string(random()) + ".log"))
            .string();
  }
  ~TempLog() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
  TempLog(const TempLog&) = delete;
  TempLog& operator=(const TempLog&) = delete;

  std::string contents() const {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
  }

  std::string path;
};

}  // namespace e2e
