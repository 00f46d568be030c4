// The password that --connect's --password-file gives (SPEC §8): the file's first line, without
// its line end.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace client {

// SPEC §8: a password is 1 to 256 bytes; the server refuses longer ones as well.
inline constexpr std::size_t kMaxPasswordBytes = 256;

// The password in `text`, the start of a file: its first line without "\n" or "\r\n". False,
// with what is wrong in `why`, when that line is empty or longer than kMaxPasswordBytes.
bool passwordFromText(std::string_view text, std::string& password, std::string& why);

// Reads the password of the file at `path`; false with what went wrong in `why`, one line.
bool readPasswordFile(const std::string& path, std::string& password, std::string& why);

}  // namespace client
